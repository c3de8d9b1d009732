// The results of failover runs (issue 14): the timeline in keepalived's words, each
// failure's detection, traffic move and repair with the requests it cost, the CSV's failures
// by reason and VRRP master, and availability measured (by time, from the components'
// states) beside MTBF/(MTBF+MTTR). Scenarios: tests/run/data/failover-pair.yaml (a VRRP v2
// DR pair, TCP_CHECK) and one-server.yaml (one real server failing at random).

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "run/availability.hpp"
#include "run/failovers.hpp"
#include "run_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

std::string data_file(const std::string& name) { return (kSource / "tests" / "run" / "data" / name).string(); }

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// failover-pair.yaml with `timeline` (YAML flow list) added.
run::RunResult run_pair(const std::string& timeline, const std::vector<std::string>& overrides = {}) {
  const std::string text = replaced(file_text(data_file("failover-pair.yaml")), "warmup: 0s\n",
                                    "warmup: 0s\ntimeline: " + timeline + "\n");
  return run::run_scenario(checked(scenario::read_scenario_text(text, "failover-pair.yaml", overrides)), {});
}

const run::TimelineEntry& first_record(const run::RunResult& r, const std::string& component, const std::string& detail,
                                       double after = 0) {
  for (const run::TimelineEntry& e : r.timeline)
    if (e.component == component && e.detail == detail && e.time_s >= after) return e;
  FAIL("no " << component << " " << detail << " after " << after);
  throw std::logic_error("unreachable");
}

const run::Sample& sample_at(const run::RunResult& r, double t) {
  for (const run::Sample& s : r.series)
    if (std::abs(s.time_s - t) < 1e-9) return s;
  FAIL("no sample at " << t);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("failover: a MASTER crash is detected after the last advert plus Master_Down_Interval, "
          "traffic moves with the GARP") {
  const run::RunResult r = run_pair("[{at: 20s, crash: lvs1}, {at: 40s, recover: lvs1}]");
  REQUIRE(r.control_plane);
  REQUIRE(r.failovers.size() == 1);
  const run::FailoverResult& f = r.failovers[0];
  CHECK(f.cause == "crash");
  CHECK(f.component == "lvs1");
  CHECK(f.at_s == 20.0);
  // lvs1 (state MASTER, priority 150) takes over 1 s + skew after start, then adverts every
  // advert_int: the last before 20 s leaves at M + 18 s. lvs2 (v2, priority 100) waits
  // 3 x 1 s + (256 - 100)/256 s = 3.609375 s after receiving it (less than 1 ms on the LAN).
  const double master = first_record(r, "VI_1@lvs1", "BACKUP->MASTER").time_s;
  CHECK(master == Approx(1.0 + 1.0 / 256 * 1).margin(0.01));  // one interval and the smallest skew
  const double last_advert = master + std::floor(20.0 - master);
  REQUIRE(f.detected_s);
  CHECK(*f.detected_s - (last_advert + 3.609375) >= 0.0);
  CHECK(*f.detected_s - (last_advert + 3.609375) < 0.001);
  CHECK(*f.detected_s == first_record(r, "VI_1@lvs2", "BACKUP->MASTER", 20).time_s);
  CHECK(f.detected_by == "lvs2: VRRP_Instance(VI_1) Entering MASTER STATE");
  // The router's entry for the VIP follows the first GARP, as it arrives.
  REQUIRE(f.traffic_moved_s);
  const auto garp = std::find_if(r.vip_arp.begin(), r.vip_arp.end(), [](const run::VipArpChange& c) {
    return c.time_s > 20 && c.entry.rfind("router ", 0) == 0 && c.owner == "lvs2/eth0";
  });
  REQUIRE(garp != r.vip_arp.end());
  CHECK(*f.traffic_moved_s == garp->time_s);
  CHECK(*f.traffic_moved_s > *f.detected_s);
  CHECK(*f.traffic_moved_s - *f.detected_s < 0.001);
  REQUIRE(f.recovered_s);
  CHECK(*f.recovered_s == 40.0);
  // Every request issued in [20 s, moved) (100/s, evenly spaced from 0.01 s) lost its first
  // SYN: those whose retransmissions were too late for the 3 s timeout failed, the rest
  // were answered after more than 1 s.
  const auto issued = static_cast<std::uint64_t>(std::ceil((*f.traffic_moved_s - 20.0) * 100 - 1e-9));
  CHECK(f.requests_failed + f.requests_delayed == issued);
  CHECK(f.requests_failed > 0);
  CHECK(f.requests_delayed > 0);
  // The CSV's master column: lvs1 until the crash, nobody until lvs2's takeover, lvs2, and
  // lvs1 again once it is back (it preempts: priority 150).
  CHECK(sample_at(r, 19).vrrp_master == std::vector<std::string>{"lvs1"});
  CHECK(sample_at(r, 21).vrrp_master == std::vector<std::string>{""});
  CHECK(sample_at(r, 23).vrrp_master == std::vector<std::string>{"lvs2"});
  CHECK(sample_at(r, 42).vrrp_master == std::vector<std::string>{"lvs1"});
  // Down (no director holds the VIP) from the start until lvs1's takeover, and from the
  // crash until lvs2's; lvs1's preemption after its boot hands the VIP over in one instant.
  const double takeover2 = *f.detected_s;
  CHECK(r.availability.time == Approx(1 - (master + (takeover2 - 20)) / 60).epsilon(1e-9));
  CHECK(r.availability.method == "batch means");
  CHECK(r.availability.samples == 10);
  CHECK(r.availability.ci_low <= r.availability.time);
  CHECK(r.availability.ci_high >= r.availability.time);
  CHECK(r.availability.components.empty());
}

TEST_CASE("failover: a real server crash is detected by TCP_CHECK within delay_loop + connect_timeout x (retry + 1) "
          "+ delay_before_retry x retry") {
  const run::RunResult r = run_pair("[{at: 25s, crash: web1}]");
  REQUIRE(r.failovers.size() == 1);
  const run::FailoverResult& f = r.failovers[0];
  CHECK(f.component == "web1");
  // The first check after the crash starts within delay_loop (6 s); it and its 2 retries
  // each time out after connect_timeout (3 s), 2 s apart: 13 s after its start.
  REQUIRE(f.detected_s);
  CHECK(*f.detected_s >= 25 + 13);
  CHECK(*f.detected_s <= 25 + 6 + 13);
  CHECK(f.detected_by.find("Removing service [192.168.1.101]:80 from VS [192.168.1.100]:80") != std::string::npos);
  // Traffic moves when lvs1, the MASTER, removes web1 (lvs2 checks on its own).
  REQUIRE(f.traffic_moved_s);
  const run::TimelineEntry& removed = first_record(r, "[192.168.1.101]:80", "lvs1: removed");
  CHECK(*f.traffic_moved_s == removed.time_s);
  CHECK(removed.line == "Removing service [192.168.1.101]:80 from VS [192.168.1.100]:80");
  CHECK_FALSE(f.recovered_s);  // never repaired
  // rr sends every other request to web1 until then: each times out (3 s).
  const double window = *f.traffic_moved_s - 25;
  CHECK(static_cast<double>(f.requests_failed) == Approx(window * 50).margin(2));
  CHECK(f.requests_delayed == 0);
  // web2 served throughout: the service never went down.
  CHECK(r.availability.time == Approx(1 - first_record(r, "VI_1@lvs1", "BACKUP->MASTER").time_s / 60).epsilon(1e-9));
  // The CSV's failures by reason: all timeouts.
  std::uint64_t timeouts = 0;
  for (const run::Sample& s : r.series) timeouts += s.failed_by_reason[static_cast<std::size_t>(FailReason::Timeout)];
  CHECK(timeouts == r.requests.failed[static_cast<std::size_t>(FailReason::Timeout)]);
  CHECK(timeouts > 0);
}

TEST_CASE("failover: a BACKUP's crash moves nothing: detected and moved are null in the JSON") {
  const run::RunResult r = run_pair("[{at: 20s, crash: lvs2}]");
  REQUIRE(r.failovers.size() == 1);
  CHECK_FALSE(r.failovers[0].detected_s);
  CHECK_FALSE(r.failovers[0].traffic_moved_s);
  CHECK_FALSE(r.failovers[0].recovered_s);
  CHECK(r.failovers[0].requests_failed == 0);
  const nlohmann::json j = nlohmann::json::parse(run::to_json(r));
  const nlohmann::json& f = j.at("failovers").at(0);
  CHECK(f.at("cause") == "crash");
  CHECK(f.at("component") == "lvs2");
  CHECK(f.at("at_s") == 20.0);
  CHECK(f.at("detected_s").is_null());
  CHECK(f.at("traffic_moved_s").is_null());
  CHECK(f.at("recovered_s").is_null());
  CHECK(f.at("requests_failed") == 0);
  CHECK(f.at("requests_delayed") == 0);
  // The timeline: one record per log record, in time order, with keepalived's line.
  REQUIRE(j.at("timeline").size() == r.timeline.size());
  const nlohmann::json& crash = *std::find_if(j.at("timeline").begin(), j.at("timeline").end(),
                                              [](const nlohmann::json& e) { return e.at("event") == "crash"; });
  CHECK(crash.at("time_s") == 20.0);
  CHECK(crash.at("component") == "lvs2");
  CHECK(crash.at("detail") == "power off");
  CHECK(crash.at("line") == "lvs2: power off (silent: no FIN, no RST, no ARP reply)");
  for (std::size_t k = 1; k < j.at("timeline").size(); ++k)
    CHECK(j.at("timeline")[k - 1].at("time_s") <= j.at("timeline")[k].at("time_s"));
  const nlohmann::json& a = j.at("availability");
  for (const char* key : {"requests", "time", "ci_low", "ci_high", "method", "components", "redundant"})
    CHECK(a.contains(key));
}

TEST_CASE("failover: the CSV gains failures by reason and the MASTER of each VRRP instance") {
  const run::RunResult r = run_pair("[{at: 20s, crash: lvs1}]");
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("lvslab-" + std::to_string(::getpid()) + "-failover-csv");
  std::filesystem::remove_all(dir);
  run::write_csv(dir.string(), r);
  std::istringstream csv(file_text((dir / "timeseries.csv").string()));
  std::string header, line;
  std::getline(csv, header);
  CHECK(header ==
        "time_s,completed,failed,throughput_rps,latency_mean_ms,latency_p50_ms,latency_p99_ms,cpu_lvs1,cpu_lvs2,"
        "failed_timeout,failed_reset,failed_unreachable,failed_tcp_timeout,failed_closed,failed_no_ephemeral_port,"
        "failed_too_many_open,failed_nfs_timeout,master_VI_1");
  std::vector<std::string> last_column;
  while (std::getline(csv, line)) last_column.push_back(line.substr(line.rfind(',') + 1));
  REQUIRE(last_column.size() == 60);
  CHECK(last_column[0] == "");       // 1 s: lvs1 is not MASTER yet (1.004 s)
  CHECK(last_column[1] == "lvs1");   // 2 s
  CHECK(last_column[18] == "lvs1");  // 19 s
  CHECK(last_column[20] == "");      // 21 s: lvs1 is down, lvs2 waits
  CHECK(last_column[22] == "lvs2");  // 23 s
  CHECK(last_column[59] == "lvs2");
  std::filesystem::remove_all(dir);
}

TEST_CASE("failover: the summary prints the timeline in keepalived's words, capped, then failovers and availability") {
  const run::RunResult r = run_pair("[{at: 20s, crash: lvs1}, {at: 40s, recover: lvs1}]");
  std::ostringstream os;
  run::print_summary(os, r, false);
  const std::string text = os.str();
  CHECK(text.find("\nTimeline (keepalived's log)\n") != std::string::npos);
  CHECK(text.find("    20.000 s  lvs1: power off (silent: no FIN, no RST, no ARP reply)\n") != std::string::npos);
  CHECK(text.find(" s  lvs2: VRRP_Instance(VI_1) Entering MASTER STATE\n") != std::string::npos);
  CHECK(text.find("\nFailovers   cause") != std::string::npos);
  CHECK(text.find("detected: lvs2: VRRP_Instance(VI_1) Entering MASTER STATE") != std::string::npos);
  CHECK(text.find("\nAvailability  requests ") != std::string::npos);
  std::ostringstream capped;
  run::RunResult many = r;
  while (many.timeline.size() < 45) many.timeline.push_back(many.timeline.back());
  run::print_summary(capped, many, false);
  CHECK(capped.str().find("  and 5 more (--json lists them)\n") != std::string::npos);
}

TEST_CASE("failover: a healthy scenario without a control plane prints none of it") {
  const run::RunResult r = run::run_scenario(nat({"duration=2s"}), {});
  CHECK_FALSE(r.control_plane);
  std::ostringstream os;
  run::print_summary(os, r, false);
  CHECK(os.str().find("Timeline") == std::string::npos);
  CHECK(os.str().find("Availability") == std::string::npos);
  CHECK(r.availability.time == 1.0);
  CHECK(r.failovers.empty());
}

TEST_CASE("availability: one real server failing at random (MTBF 100 s, MTTR 10 s) is up 100/110 of the time, "
          "within the interval") {
  const scenario::ScenarioSpec spec = checked(scenario::read_scenario(data_file("one-server.yaml")));
  const run::RunResult r = run::run_scenario(spec, {});
  const run::AvailabilityResult& a = r.availability;
  REQUIRE(a.components.size() == 1);
  CHECK(a.components[0].component == "rs1");
  CHECK(a.components[0].mtbf_s == 100.0);
  CHECK(a.components[0].mttr_s == 10.0);
  CHECK(a.components[0].formula == "100/(100+10)");
  CHECK(a.components[0].availability == Approx(100.0 / 110));
  CHECK(a.redundant.empty());  // one server, no health checks: nothing stands in
  CHECK(a.method == "batch means");
  CHECK(a.ci_low <= 100.0 / 110);
  CHECK(a.ci_high >= 100.0 / 110);
  CHECK(a.ci_high - a.ci_low < 0.2);
  // By requests: about as available (a request issued while rs1 is down times out).
  REQUIRE(a.requests);
  CHECK(*a.requests == Approx(a.time).margin(0.05));
  // Each crash is a failover with its repair; nothing detects it (no checker, one director).
  CHECK(r.failovers.size() > 10);
  for (const run::FailoverResult& f : r.failovers) {
    CHECK_FALSE(f.detected_s);
    if (f.recovered_s) CHECK(*f.recovered_s > f.at_s);
  }

  // Replications: the interval is Student t over the runs' time availabilities.
  const run::RunResult reps = run::run_replications(spec, {}, 10);
  CHECK(reps.replications == 10);
  CHECK(reps.availability.method == "replications");
  CHECK(reps.availability.samples == 10);
  CHECK(reps.availability.batches[0] == Approx(r.availability.time));  // the first run is the plain run
  CHECK(reps.fingerprint == r.fingerprint);
  CHECK(reps.availability.ci_low <= 100.0 / 110);
  CHECK(reps.availability.ci_high >= 100.0 / 110);
  CHECK(reps.availability.ci_high - reps.availability.ci_low < a.ci_high - a.ci_low);
}

TEST_CASE("availability: redundant pairs from the scenario's structure: 1-(1-A)^2") {
  const std::string text = file_text(data_file("failover-pair.yaml")) +
                           "failures:\n  - {crash: web1, mtbf: 100s, mttr: 10s}\n  - {crash: web2, mtbf: 100s, mttr: 10s}\n"
                           "  - {crash: lvs1, mtbf: 300s, mttr: 20s}\n";
  const scenario::ScenarioSpec spec = checked(scenario::read_scenario_text(text, "pair.yaml"));
  const std::vector<run::ComponentAvailability> c = run::component_availability(spec);
  REQUIRE(c.size() == 3);
  const std::vector<run::RedundantAvailability> g = run::redundant_availability(spec, c);
  REQUIRE(g.size() == 2);
  CHECK(g[0].role == "directors of VI_1");
  CHECK(g[0].components == std::vector<std::string>{"lvs1", "lvs2"});
  CHECK(g[0].formula == "1-(1-A_lvs1)(1-A_lvs2)");  // lvs2 never fails: A = 1
  CHECK(g[0].availability == 1.0);
  CHECK(g[1].role == "real servers of TCP 192.168.1.100:80");
  CHECK(g[1].formula == "1-(1-A)^2");
  CHECK(g[1].availability == Approx(1 - (10.0 / 110) * (10.0 / 110)));
}

TEST_CASE("failovers: the window and the counts as data") {
  // A real server seen down by the BACKUP first; traffic moves when the MASTER removes it.
  const std::vector<run::TimelineEntry> t = {
      {1.0, "VI_1@lvs1", "vrrp-state", "BACKUP->MASTER", "VRRP_Instance(VI_1) Entering MASTER STATE"},
      {10.0, "web1", "crash", "power off", "web1: power off"},
      {20.0, "[192.168.1.101]:80", "realserver-down", "lvs2: removed", "Removing service [192.168.1.101]:80 from VS [192.168.1.100]:80"},
      {22.0, "[192.168.1.101]:80", "realserver-down", "lvs1: removed", "Removing service [192.168.1.101]:80 from VS [192.168.1.100]:80"},
      {30.0, "web1", "recover", "boot", "web1: booted, services started"},
  };
  run::FailoverInputs in;
  in.directors = {"lvs1", "lvs2"};
  in.server_addresses["web1"] = {"[192.168.1.101]"};
  in.end_s = 60;
  const auto at = [](double s) { return Time::from_seconds(s); };
  in.outcomes = {{at(9.9), at(12.9), FailReason::Timeout},  // before the failure
                 {at(10.0), at(13.0), FailReason::Timeout},
                 {at(21.9), at(24.9), FailReason::Timeout},
                 {at(15.0), at(16.5), std::nullopt},          // slow, completed
                 {at(22.0), at(25.0), FailReason::Timeout}};  // after traffic moved
  const std::vector<run::FailoverResult> f = run::find_failovers(t, {}, in);
  REQUIRE(f.size() == 1);
  CHECK(*f[0].detected_s == 20.0);
  CHECK(f[0].detected_by == "lvs2: Removing service [192.168.1.101]:80 from VS [192.168.1.100]:80");
  CHECK(*f[0].traffic_moved_s == 22.0);
  CHECK(*f[0].recovered_s == 30.0);
  CHECK(f[0].requests_failed == 2);
  CHECK(f[0].requests_delayed == 1);
}
