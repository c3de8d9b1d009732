// Schedulers against queueing theory, on the harness of queue_harness.hpp: random as
// independent M/M/1 queues, an M/M/c server against Erlang C, the supermarket model for the
// power-of-two-choices schedulers (Mitzenmacher 2001), and the latency-aware ones avoiding a
// slow server. Run lengths are chosen so that each tolerance is at least ~2.5 standard
// errors of the estimate (standard errors from batch means and from spreads over seeds,
// reported with each check; run with -s to see them).

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "metrics/queueing.hpp"
#include "queue_harness.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

/// The n -> infinity mean time in system of the supermarket model with d = 2 at load lambda.
double supermarket_two_choices(double lambda) { return supermarket_time_in_system(lambda, 2); }

std::string describe(const BatchEstimate& e) {
  return std::to_string(e.mean).append(" +- ").append(std::to_string(e.se)).append(" (1 SE)");
}

}  // namespace

TEST_CASE("random to 4 servers at load 0.5 behaves as 4 independent M/M/1 queues", "[schedulers][theory]") {
  // 80,000 jobs; M/M/1 at rho 0.5: T = 1 / (1 - rho) = 2, P(idle) = 1 - rho. Over seeds the
  // mean time in system spread by ~0.02 (batch SE 0.02-0.026), so +-0.1 (5%) is > 4 SE.
  const QueueStats st = run_queue({.scheduler = "random", .servers = 4, .workers = 1, .arrival_rate = 2.0, .service_means = {},
                                   .warmup = 100, .batch_length = 2000, .batches = 20, .seed = 1});
  INFO("mean time in system " << describe(st.response) << ", jobs " << st.jobs);
  CHECK(st.rejected == 0);
  CHECK(st.response.mean == Approx(2.0).margin(0.1));
  for (std::size_t s = 0; s < st.idle.size(); ++s) {
    INFO("server " << s << " idle " << st.idle[s] << ", share " << st.share[s]);
    CHECK(st.idle[s] == Approx(0.5).margin(0.02));   // per-server SE ~0.004
    CHECK(st.share[s] == Approx(0.25).margin(0.01));  // binomial SE 0.0015
  }
}

TEST_CASE("one server with 10 workers at 8 Erlang matches Erlang C", "[schedulers][theory]") {
  // The textbook figures, and lvs's own M/M/c model agreeing with them.
  const MmcResult q = mmc(10, 8.0, 1.0);
  CHECK(q.p_wait == Approx(0.4092).margin(5e-5));
  CHECK(q.mean_wait == Approx(0.2046).margin(5e-5));
  CHECK(erlang_c(10, 8.0) == Approx(q.p_wait).epsilon(1e-12));

  // 400,000 jobs: batch SE ~0.005 on P(wait) and ~0.006 on the mean wait (spread over six
  // seeds: 0.402-0.413 and 0.198-0.213), so tolerances of 0.02 and 0.025 are > 3 SE.
  const QueueStats st = run_queue({.scheduler = "random", .servers = 1, .workers = 10, .arrival_rate = 8.0, .service_means = {},
                                   .warmup = 100, .batch_length = 2500, .batches = 20, .seed = 1});
  INFO("P(wait) " << describe(st.p_wait) << ", mean wait " << describe(st.wait) << ", time in system "
                  << describe(st.response) << ", jobs " << st.jobs);
  CHECK(st.p_wait.mean == Approx(q.p_wait).margin(0.02));
  CHECK(st.wait.mean == Approx(q.mean_wait).margin(0.025));
  CHECK(st.response.mean == Approx(q.mean_wait + 1.0).margin(0.03));
}

TEST_CASE("supermarket model: two choices on 100 servers at lambda 0.9 approach 2.6141", "[schedulers][theory]") {
  const double limit = supermarket_two_choices(0.9);
  CHECK(limit == Approx(2.6141).margin(5e-5));
  // twos is looked up by name: if it is not registered, make_scheduler throws naming the
  // valid schedulers, and this test fails (it never skips).
  const std::string name = GENERATE(as<std::string>{}, "p2c", "twos");
  // 135,000 jobs. Over eight seeds p2c averaged ~2.635 (n = 100 sits ~1% above the limit)
  // and twos ~2.672 (+2.2%: its two draws may coincide, and the first destination has a
  // slight bias), each with a spread of ~0.03 (batch SE 0.03-0.06); the 5% bound (2.745) is
  // ~2.4 spreads above twos's mean and was not reached by any seed (worst 2.715).
  const QueueStats st = run_queue({.scheduler = name, .servers = 100, .workers = 1, .arrival_rate = 90.0, .service_means = {},
                                   .warmup = 50, .batch_length = 100, .batches = 15, .seed = 1});
  INFO(name << ": mean time in system " << describe(st.response) << ", jobs " << st.jobs);
  CHECK(st.rejected == 0);
  CHECK(st.response.mean == Approx(limit).epsilon(0.05));
}

TEST_CASE("supermarket model: random (d = 1) on 100 servers at lambda 0.9 stays at 10", "[schedulers][theory]") {
  // Each server is an M/M/1 queue at 0.9: T = 10. Its variance is large (relaxation time
  // ~380 service times), so this is the longest run: 720,000 jobs from an M/M/1 steady-state
  // start. Over twelve seeds the mean spread 9.74-10.26 (sd ~0.19, batch SE 0.10-0.24): 5% is
  // ~2.6 sd, the most the time budget under ASan allows.
  const QueueStats st = run_queue({.scheduler = "random", .servers = 100, .workers = 1, .arrival_rate = 90.0, .service_means = {},
                                   .initial_load = 0.9, .warmup = 100, .batch_length = 800, .batches = 10,
                                   .seed = 1});
  INFO("random: mean time in system " << describe(st.response) << ", jobs " << st.jobs);
  CHECK(st.rejected == 0);
  CHECK(st.response.mean == Approx(10.0).epsilon(0.05));
}

TEST_CASE("latency-aware schedulers send a twice-slower server clearly less than random", "[schedulers][theory]") {
  // 4 servers, server 0 with mean service 2, the others 1; lambda 1.6. Random sends it 1/4
  // (its load 0.8); lrt and peak-ewma learn its latency and send it ~8% and ~12-13% (three
  // seeds each), so a margin of 0.08 below random's share is > 5 binomial SE.
  const auto share_of_slow = [](const std::string& name) {
    const QueueStats st = run_queue({.scheduler = name, .servers = 4, .workers = 1, .arrival_rate = 1.6,
                                     .service_means = {2.0, 1.0, 1.0, 1.0}, .warmup = 200, .batch_length = 500,
                                     .batches = 10, .seed = 3});
    INFO(name << ": slow server's share " << st.share[0] << ", mean time in system " << describe(st.response));
    CHECK(st.rejected == 0);
    return st;
  };
  const QueueStats random = share_of_slow("random");
  const QueueStats lrt = share_of_slow("lrt");
  const QueueStats peak = share_of_slow("peak-ewma");
  INFO("slow server's share: random " << random.share[0] << ", lrt " << lrt.share[0] << ", peak-ewma " << peak.share[0]);
  CHECK(random.share[0] == Approx(0.25).margin(0.02));
  CHECK(lrt.share[0] < random.share[0] - 0.08);
  CHECK(peak.share[0] < random.share[0] - 0.08);
  CHECK(lrt.response.mean < random.response.mean);
  CHECK(peak.response.mean < random.response.mean);
}
