#pragma once
// Scenario files cut down with overrides, for the end-to-end tests of tests/run.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "run/builder.hpp"
#include "run/run.hpp"
#include "support/source_tree.hpp"

namespace lvs::test {


/// `text` with the first `from` replaced by `to` (which must be there).
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

inline std::vector<std::string> joined(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// `spec`, after checking that validate() finds no error in it.
inline scenario::ScenarioSpec checked(scenario::ScenarioSpec spec) {
  for (const scenario::Finding& f : scenario::validate(spec)) {
    INFO(f.str(spec.file));
    CHECK(f.severity != scenario::Finding::Severity::Error);
  }
  return spec;
}

/// scenarios/STEM.yaml with `overrides` ("KEY.PATH=VALUE"), validated.
inline scenario::ScenarioSpec scenario_file(const std::string& stem, const std::vector<std::string>& overrides) {
  return checked(scenario::read_scenario((kSource / "scenarios" / (stem + ".yaml")).string(), overrides));
}

/// nat-basic with `overrides` after these: no warm-up, constant arrivals, a constant
/// service time (a normal distribution with stddev 0; the file's mean, 5 ms, unless
/// overridden) and a constant 1000-byte response.
inline scenario::ScenarioSpec nat(const std::vector<std::string>& overrides) {
  return scenario_file("nat-basic", joined({"warmup=0", "workload.clients[0].arrivals.process=constant",
                                            "servers[0].service_time.distribution=normal",
                                            "servers[0].service_time.stddev=0",
                                            "servers[0].response_size.distribution=normal",
                                            "servers[0].response_size.mean=1000B",
                                            "servers[0].response_size.stddev=0"},
                                           overrides));
}

/// Overrides that leave one session of the bundled mode file `stem` (nat-basic, dr-basic,
/// tun-wan, fullnat-cloud): one session at 1 s, a constant service time and a constant
/// 10 000-byte response, one request per connection, dr-basic's closed-loop users idle.
inline std::vector<std::string> one_request(const std::string& stem) {
  std::vector<std::string> o{"duration=3s",
                             "warmup=0",
                             "workload.clients[0].arrivals.process=constant",
                             "workload.clients[0].arrivals.rate=1",
                             "workload.clients[0].stop=1500ms",
                             "servers[0].service_time.distribution=normal",
                             "servers[0].service_time.stddev=0"};
  if (stem == "fullnat-cloud")  // the file's response is a constant 8KB
    return joined(o, {"servers[0].response_size=10000B", "workload.clients[0].requests_per_connection=1"});
  o = joined(o, {"servers[0].response_size.distribution=normal", "servers[0].response_size.mean=10000B",
                 "servers[0].response_size.stddev=0"});
  if (stem == "dr-basic")  // no closed loop
    o = joined(o, {"workload.clients[0].requests_per_connection=1", "workload.clients[1].start=100s"});
  return o;
}

/// The counters of all real servers of `m`, added up.
inline RealServerStats served(const run::Model& m) {
  RealServerStats sum;
  for (const RealServer* rs : m.servers) {
    sum.requests += rs->stats().requests;
    sum.responses += rs->stats().responses;
    sum.abandoned += rs->stats().abandoned;
    sum.connections += rs->stats().connections;
  }
  return sum;
}

inline std::uint64_t failed(const RequestStats& s, FailReason r) { return s.failed[static_cast<std::size_t>(r)]; }

}  // namespace lvs::test
