// lvslab sweep end to end (run/sweep.hpp, run/slo_search.hpp): the output does not depend on
// the thread count; common random numbers make points that differ only in a name give the
// same figures; a bad point is refused before any run; and the SLO search finds the answers
// Erlang C gives on an M/M/c server (metrics/queueing.hpp).

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/queueing.hpp"
#include "run/bottleneck.hpp"
#include "run/slo_search.hpp"
#include "run/sweep.hpp"
#include "support/source_tree.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

std::string all_output(const run::SweepResult& r) {
  std::ostringstream os;
  run::print_sweep(os, r);
  return os.str() + run::sweep_json(r) + run::sweep_csv(r);
}

run::SweepResult sweep(const std::vector<std::string>& params, int replications, int threads,
                       const std::vector<std::string>& overrides = {"warmup=200ms"}) {
  run::SweepOptions o;
  for (const std::string& p : params) o.params.push_back(run::parse_sweep_param(p));
  o.replications = replications;
  o.until = Time::ms(700);
  const auto specs = run::read_points(scenario_path("nat-basic.yaml"), overrides, o.params, o.until);
  run::BatchOptions b;
  b.threads = threads;
  b.until = o.until;
  run::ThreadRunner runner(b);
  return run::run_sweep(specs, o, runner);
}

constexpr auto kP99 = static_cast<std::size_t>(run::RunMetric::LatencyP99);
constexpr auto kThroughput = static_cast<std::size_t>(run::RunMetric::Throughput);

}  // namespace

TEST_CASE("sweep output is the same for 1 and 2 threads", "[sweep]") {
  const std::vector<std::string> grid{"workload.clients[0].arrivals.rate=200:600:200", "servers[0].workers=2,8"};
  const run::SweepResult one = sweep(grid, 2, 1);
  const run::SweepResult two = sweep(grid, 2, 2);
  REQUIRE(one.points.size() == 6);
  CHECK(one.points[1].values == std::vector<std::string>{"200", "8"});
  CHECK(one.seeds == std::vector<std::uint64_t>{1, 2});
  CHECK(all_output(one) == all_output(two));
  // More offered load, more throughput: 600/s carries about 3x what 200/s does.
  CHECK(one.points[4].metrics[kThroughput].mean > 2.5 * one.points[0].metrics[kThroughput].mean);
}

TEST_CASE("sweep uses common random numbers: rr and wrr with equal weights give the same runs", "[sweep]") {
  const run::SweepResult r = sweep({"services[0].scheduler=rr,wrr"}, 3, 2);
  REQUIRE(r.points.size() == 2);
  REQUIRE(r.points[0].runs.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) CHECK(r.points[0].runs[i].values == r.points[1].runs[i].values);
  // ... while the replications differ from each other (their seeds do).
  CHECK(r.points[0].runs[0].values[kP99] != r.points[0].runs[1].values[kP99]);
  CHECK(r.points[0].metrics[kP99].n == 3);
  CHECK(r.points[0].metrics[kP99].half_width > 0);
}

TEST_CASE("sweep points read from the scenario's text are the points read from its file", "[sweep]") {
  // The GUI sweeps its editor's text: the same figures, file name and errors as the CLI's file.
  const std::string path = scenario_path("nat-basic.yaml");
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  run::SweepOptions o;
  o.params.push_back(run::parse_sweep_param("workload.clients[0].arrivals.rate=200,400"));
  o.replications = 2;
  o.until = Time::ms(700);
  const std::vector<std::string> overrides{"warmup=200ms"};
  const auto from_file = run::read_points(path, overrides, o.params, o.until);
  const auto from_text = run::read_points_text(text, path, overrides, o.params, o.until);
  run::BatchOptions b;
  b.until = o.until;
  run::ThreadRunner runner(b);
  CHECK(all_output(run::run_sweep(from_text, o, runner)) == all_output(run::run_sweep(from_file, o, runner)));
  o.params.front() = run::parse_sweep_param("services[0].destinations[0].weight=1,-1");
  std::string file_error, text_error;
  try { run::read_points(path, {}, o.params, std::nullopt); } catch (const std::invalid_argument& e) { file_error = e.what(); }
  try { run::read_points_text(text, path, {}, o.params, std::nullopt); } catch (const std::invalid_argument& e) { text_error = e.what(); }
  CHECK_FALSE(file_error.empty());
  CHECK(text_error == file_error);
}

TEST_CASE("sweep warns in one line naming the first point validate() warns about", "[sweep]") {
  // nat-basic's servers carry at most 3200 requests/s: 4000/s is warned about, 1000/s is not.
  const std::vector<run::SweepParam> params{run::parse_sweep_param("workload.clients[0].arrivals.rate=1000,4000,5000")};
  const auto specs = run::read_points(scenario_path("nat-basic.yaml"), {}, params, std::nullopt);
  CHECK_THAT(run::points_warnings(specs, params),
             Catch::Matchers::StartsWith("2 of 3 points have warnings; the first: point 2 "
                                         "(workload.clients[0].arrivals.rate=4000): " + scenario_path("nat-basic.yaml") + ":"));
  CHECK(run::points_warnings({specs.front()}, {run::parse_sweep_param("workload.clients[0].arrivals.rate=1000")}).empty());
}

TEST_CASE("sweep refuses a bad point before running anything, naming it and the key", "[sweep]") {
  run::SweepOptions o;
  o.params.push_back(run::parse_sweep_param("services[0].destinations[0].weight=1,-1"));
  CHECK_THROWS_WITH(run::read_points(scenario_path("nat-basic.yaml"), {}, o.params, std::nullopt),
                    Catch::Matchers::StartsWith("point 2 (services[0].destinations[0].weight=-1): --set "
                                                "services[0].destinations[0].weight: "));
}

namespace {

// nat-basic cut to one real server (rs2 weighted 0) with `workers` workers, exponential
// service of mean 10 ms (mu = 100/s), Poisson sessions of one request with a 1000-byte
// response: an M/M/c FIFO queue, plus a constant network part well under 1 ms.
std::vector<std::string> mmc_overrides(const std::string& duration) {
  return {"duration=" + duration, "warmup=2s", "services[0].destinations[1].weight=0", "servers[0].service_time.mean=10ms",
          "servers[0].response_size.distribution=normal", "servers[0].response_size.mean=1000B",
          "servers[0].response_size.stddev=0"};
}

// 95% intervals over R replications of `duration` each, up to 5R when one straddles the bound.
run::SloSearchResult search(const std::string& param, run::Seek seek, const std::vector<std::string>& extra,
                            const std::string& duration, int replications) {
  std::vector<std::string> overrides = mmc_overrides(duration);
  overrides.insert(overrides.end(), extra.begin(), extra.end());
  run::SloOptions o;
  o.slo = run::parse_slo("p99<100ms");
  o.seek = seek;
  o.param = run::parse_sweep_param(param);
  o.replications = replications;
  o.max_replications = 5 * replications;
  const auto specs = run::read_points(scenario_path("nat-basic.yaml"), overrides, {o.param}, std::nullopt);
  run::BatchOptions b;
  b.threads = 2;
  run::ThreadRunner runner(b);
  return run::find_slo(specs, o, runner);
}

}  // namespace

TEST_CASE("SLO search finds the fewest workers whose Erlang-C p99 meets the bound", "[sweep][slo][theory]") {
  // lambda = 280/s, mu = 100/s: the p99 of the time in system is 234.8 ms with c = 3 and
  // 54.9 ms with c = 4, so c = 4 is the fewest meeting 100 ms; the search starts at the
  // smallest stable c, floor(2.8) + 1 = 3.
  const std::optional<int> expected = servers_for_response_quantile(280, 100, 0.99, 0.100);
  REQUIRE(expected == 4);
  REQUIRE(stable_minimum_servers(280, 100) == 3);
  const run::SloSearchResult r =
      search("servers[0].workers=3:10:1", run::Seek::Min, {"workload.clients[0].arrivals.rate=280"}, "20s", 3);
  REQUIRE(r.last_passing.has_value());
  CHECK(r.candidates[*r.last_passing] == std::to_string(*expected));
  REQUIRE(r.first_failing.has_value());
  CHECK(r.candidates[*r.first_failing] == "3");
  // Bisection over 8 values: probes 6, 4, 3.
  REQUIRE(r.probes.size() == 3);
  CHECK(r.probes[0].value == "6");
  CHECK(r.probes[2].value == "3");
  CHECK_FALSE(r.probes[2].holds);
  // The measured p99 at c = 4 is Erlang C's within 10 % (the network adds under 1 ms).
  CHECK(r.probes[1].ci.mean == Approx(response_time_quantile(mmc(4, 280, 100), 0.99) * 1e3).epsilon(0.10));
}

TEST_CASE("SLO search finds the highest rate whose Erlang-C p99 meets the bound with c fixed", "[sweep][slo][theory]") {
  // c = 4, mu = 100/s: the p99 is 85.6 ms at 340/s and 121.9 ms at 360/s, so 340 is the
  // highest of 200, 220, ..., 380 meeting 100 ms. Near saturation the p99 of a run varies
  // more (rho = 0.85, 0.9), hence 60 s runs: their means come within 3 % of Erlang C's.
  std::string expected;
  for (int rate = 200; rate <= 380; rate += 20)
    if (response_time_quantile(mmc(4, rate, 100), 0.99) < 0.100) expected = std::to_string(rate);
  REQUIRE(expected == "340");
  const run::SloSearchResult r =
      search("workload.clients[0].arrivals.rate=200:380:20", run::Seek::Max, {"servers[0].workers=4"}, "60s", 4);
  REQUIRE(r.last_passing.has_value());
  CHECK(r.candidates[*r.last_passing] == expected);
  REQUIRE(r.first_failing.has_value());
  CHECK(r.candidates[*r.first_failing] == "360");
  std::ostringstream os;
  run::print_slo_search(os, r);
  CHECK_THAT(os.str(), Catch::Matchers::Contains("answer: 340\nbracket: [340, 360] (last passing, first failing)\n"));
}

namespace {

// A finished run whose bottleneck attribution put `resource` first.
lvs::run::RunFigures run_naming(std::string_view resource, bool saturated, double utilization) {
  lvs::run::RunFigures f;
  f.status = lvs::run::RunStatus::Done;
  f.bottleneck = {static_cast<double>(lvs::run::bottleneck_resource_index(resource)), saturated ? 1.0 : 0.0,
                  utilization};
  return f;
}

}  // namespace

TEST_CASE("a sweep point's bottleneck is the one most of its runs saturate", "[sweep][bottleneck]") {
  using lvs::run::point_bottleneck;
  using lvs::run::point_bottleneck_text;
  const std::vector<lvs::run::RunFigures> runs{run_naming("director cpu", true, 0.98),
                                               run_naming("rs workers", true, 0.96),
                                               run_naming("director cpu", true, 1.0),
                                               run_naming("rs workers", false, 0.80)};
  const lvs::run::PointBottleneck b = point_bottleneck(runs);
  CHECK(b.resource == "director cpu");
  CHECK(b.saturated);
  CHECK(b.runs == 2);
  CHECK(b.utilization == Approx(0.99));
  CHECK(point_bottleneck_text(b, runs.size()) == "director cpu 99% (2 of 4 runs)");
}

TEST_CASE("a sweep point saturated in fewer than half its runs names the busiest instead", "[sweep][bottleneck]") {
  const std::vector<lvs::run::RunFigures> runs{run_naming("link", true, 0.97), run_naming("rs workers", false, 0.60),
                                               run_naming("rs workers", false, 0.70)};
  const lvs::run::PointBottleneck b = lvs::run::point_bottleneck(runs);
  CHECK(b.resource == "rs workers");
  CHECK_FALSE(b.saturated);
  CHECK(lvs::run::point_bottleneck_text(b, runs.size()) == "none, busiest: rs workers 65%");
  CHECK(lvs::run::point_bottleneck_text(lvs::run::point_bottleneck({}), 0) == "-");
}
