// The storage scenarios end to end: an NFS outage stalls exactly the web servers whose
// requests need the server; a soft mount fails a request timeo x (1 + retrans) after its
// call went out; a cache cluster's page caches against Che's approximation, and what
// locality scheduling saves in origin traffic.

#include <catch2/catch.hpp>

#include "run_fixture.hpp"
#include "storage/che.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

const RealServer& web(const run::Model& m, const std::string& name) {
  for (const RealServer* s : m.servers)
    if (s->name() == name) return *s;
  FAIL("no web server " << name);
  return *m.servers.front();
}

// Each NFS call a host sends (a TCP segment with data to port 2049), with its time.
struct NfsCalls : PacketObserver {
  std::string from;
  std::vector<Time> at;
  void on_transmit(Time t, const Interface& out, const Packet& p) override {
    if (out.node().name() == from && p.is_tcp() && p.dport == storage::kNfsPort && p.payload > 0) at.push_back(t);
  }
};

}  // namespace

TEST_CASE("nfs-spof, hard mounts: the outage stalls exactly the web server whose requests need NFS",
          "[run][storage][nfs]") {
  // web1 holds the whole web root (40 MB in 64 MiB, warm) and trusts its attributes for an
  // hour (nocto, actimeo=3600): it never needs the server. web2 revalidates every open (cto).
  const scenario::ScenarioSpec spec =
      scenario_file("nfs-spof", {"duration=56s", "servers[0].mount.options=hard,nocto,actimeo=3600",
                                 "servers[0].mount.page_cache=64MiB", "servers[1].mount.options=hard"});
  const auto m = run::build_model(spec, spec.seed);
  const RealServer& web1 = web(*m, "web1");
  const RealServer& web2 = web(*m, "web2");
  m->sim.run_until(Time::s(31));  // the server died at 30 s
  const std::uint64_t web1_before = web1.stats().responses, web2_before = web2.stats().responses;
  m->sim.run_until(Time::s(55));
  // web1 sent no NFS call in the whole run and kept serving its half of the load: 200
  // connections/s of 2 requests, rr over two servers, 24 s.
  std::uint64_t calls = 0;
  for (std::uint64_t c : web1.mount()->stats().calls) calls += c;
  CHECK(calls == 0);
  CHECK(web1.stats().responses - web1_before > 4000);
  // web2 answered nothing: every worker is blocked on NFS.
  CHECK(web2.stats().responses == web2_before);
  CHECK(web2.storage_blocked() == 32);
  CHECK(web2.busy_workers() == 32);
}

TEST_CASE("nfs-spof, soft mount: a request fails timeo x (1 + retrans) = 3 s after its call went out",
          "[run][storage][nfs]") {
  const scenario::ScenarioSpec spec = scenario_file("nfs-spof", {"duration=35s"});
  const auto m = run::build_model(spec, spec.seed);
  NfsCalls calls;
  calls.from = "web2";
  m->sim.run_until(Time::s(30));
  m->net.set_observer(&calls);
  m->sim.run_until(Time::s(35));
  m->net.set_observer(nullptr);
  REQUIRE_FALSE(calls.at.empty());
  const Time first_call = calls.at.front();  // the first call after the crash (at 30 s)
  Time first_timeout = Time::max();
  for (const control::LogRecord& r : m->log.records())
    if (r.component == "web2" && r.event == "nfs-timeout") {
      first_timeout = r.at;
      break;
    }
  // timeo=10 (1 s), retrans=2: waits of 1 s then 2 s; the major timeout at 1 s x (1 + 2).
  CHECK(first_timeout == first_call + Time::s(3));
  CHECK(web(*m, "web2").stats().storage_errors > 0);
  CHECK(web(*m, "web1").stats().storage_errors == 0);  // hard: never fails
}

TEST_CASE("cache cluster: rr's page caches hit as Che predicts, lblc and dh cut the origin traffic",
          "[run][storage][cache]") {
  const auto run_with = [](const std::string& scheduler) {
    run::RunOptions o;
    return run::run_scenario(scenario_file("cache-cluster-lblc", {"services[0].scheduler=" + scheduler}), o);
  };
  const run::RunResult rr = run_with("rr");
  REQUIRE(rr.storage);
  // Under rr every cache sees the whole catalogue as independent requests: Che's
  // approximation for 48 MiB of the 400 MB catalogue (printed beside each measured ratio).
  for (const run::MountResult& c : rr.storage->mounts) {
    REQUIRE(c.che_hit_ratio);
    CHECK(c.hit_ratio == Approx(*c.che_hit_ratio).margin(0.025));
  }
  const double rr_origin = static_cast<double>(rr.storage->nfs.at(0).read_bytes);
  const run::RunResult lblc = run_with("lblc");
  const run::RunResult dh = run_with("dh");
  // A site stays on one cache: about a quarter of the catalogue per cache.
  CHECK(static_cast<double>(lblc.storage->nfs.at(0).read_bytes) < 0.7 * rr_origin);
  CHECK(static_cast<double>(dh.storage->nfs.at(0).read_bytes) < 0.7 * rr_origin);
  // mh hashes the client's address (ip_vs_mh), not the site: no locality.
  const run::RunResult mh = run_with("mh");
  CHECK(static_cast<double>(mh.storage->nfs.at(0).read_bytes) > 0.9 * rr_origin);
}
