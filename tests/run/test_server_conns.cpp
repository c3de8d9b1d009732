// ServerConns (run/sampler.hpp), the time series' and the summary's ActiveConn / InActConn
// per real server in one pass over the destinations, against the search per server it
// replaced (kept here as the reference): the same figures at every sample, on a group of
// servers under load and on two directors that both hold connections (split-brain.yaml: the
// sync daemon copies the master's connections to the backup, whose figures count too).

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "run/builder.hpp"
#include "run/sampler.hpp"
#include "scenario/scenario_spec.hpp"
#include "support/source_tree.hpp"

using namespace lvs;

namespace {

// The old conns_of: every destination of every service of every director, compared by name.
std::pair<std::int64_t, std::int64_t> reference_conns_of(const run::Model& m, const std::string& server) {
  std::int64_t active = 0, inactive = 0;
  for (const Director* d : m.directors)
    for (const auto& vs : d->services())
      for (const SchedDest& dest : vs->destinations())
        if (vs->config(dest.id).name == server) {
          active += dest.activeconns;
          inactive += dest.inactconns;
        }
  return {active, inactive};
}

// Runs `spec` to each of `times` and compares; returns the connections seen over all samples.
std::int64_t compare_at(const scenario::ScenarioSpec& spec, const std::vector<Time>& times) {
  auto m = run::build_model(spec, 1);
  run::ServerConns conns(*m);
  std::int64_t seen = 0;
  for (Time t : times) {
    m->sim.run_until(t);
    const std::vector<run::ServerConns::Conns>& got = conns.take();
    REQUIRE(got.size() == m->servers.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      INFO(m->servers[i]->name() << " at " << t.seconds() << " s");
      const auto expected = reference_conns_of(*m, m->servers[i]->name());
      CHECK(got[i] == expected);
      seen += expected.first + expected.second;
    }
  }
  return seen;
}

}  // namespace

TEST_CASE("ServerConns equals the search per server on a group of 12 at 20 000 requests/s", "[run][scale]") {
  const auto spec = scenario::read_scenario(test::scenario_path("capacity-groups.yaml"),
                                            {"services[0].groups[0].count=12"});
  CHECK(compare_at(spec, {Time::ms(300), Time::ms(700), Time::ms(1100)}) > 100);
}

TEST_CASE("ServerConns adds up the destinations of both directors of split-brain", "[run][scale]") {
  const auto spec = scenario::read_scenario(test::scenario_path("split-brain.yaml"));
  CHECK(compare_at(spec, {Time::s(5), Time::s(12), Time::s(20)}) > 0);
}

// The lesson's third case (ARP fixed): the director gets the traffic, rs4 its share after 45 s.
TEST_CASE("ServerConns counts a destination added at run time (dr-arp-problem.yaml adds rs4 at 45 s)", "[run][scale]") {
  const auto spec = scenario::read_scenario(test::scenario_path("dr-arp-problem.yaml"),
                                            {"topology.hosts[3].sysctl.arp_ignore=1",
                                             "topology.hosts[3].sysctl.arp_announce=2"});
  auto m = run::build_model(spec, 1);
  run::ServerConns conns(*m);
  std::size_t rs4 = m->servers.size();
  for (std::size_t i = 0; i < m->servers.size(); ++i)
    if (m->servers[i]->name() == "rs4") rs4 = i;
  REQUIRE(rs4 < m->servers.size());
  m->sim.run_until(Time::s(40));
  CHECK(conns.take()[rs4] == run::ServerConns::Conns{0, 0});  // not in the service yet
  m->sim.run_until(Time::s(55));
  const auto after = conns.take()[rs4];  // the add changed the service's generation
  CHECK(after == reference_conns_of(*m, "rs4"));
  CHECK(after.first + after.second > 0);
}
