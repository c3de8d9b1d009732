#include <catch2/catch.hpp>

#include <cmath>
#include <deque>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/simulation.hpp"

using namespace lvs;
using namespace lvs::literals;

namespace {

// An M/M/1 queue driven by the engine: Poisson arrivals (stream "arrivals"), exponential
// service (stream "service"), FIFO, one server. Small, but it exercises scheduling,
// streams and the fingerprint the way a model does.
class MM1 {
 public:
  MM1(Simulation& sim, double lambda_per_s, double mu_per_s)
      : sim_(sim), arrivals_(sim.rng("arrivals")), service_(sim.rng("service")),
        mean_gap_ns_(1e9 / lambda_per_s), mean_service_ns_(1e9 / mu_per_s) {}

  void start() { schedule_arrival(); }
  /// Mean time in system of the customers that have left, seconds.
  double mean_response_s() const { return total_response_s_ / static_cast<double>(departed_); }
  std::uint64_t departed() const { return departed_; }

 private:
  static Time exp_ns(Rng& rng, double mean_ns) {
    return Time::ns(static_cast<std::int64_t>(std::llround(-mean_ns * std::log(rng.uniform_pos01()))));
  }
  void schedule_arrival() {
    sim_.schedule_in(exp_ns(arrivals_, mean_gap_ns_), [this] { arrive(); });
  }
  void arrive() {
    queue_.push_back(sim_.now());
    if (queue_.size() == 1) begin_service();
    schedule_arrival();
  }
  void begin_service() {
    sim_.schedule_in(exp_ns(service_, mean_service_ns_), [this] { depart(); });
  }
  void depart() {
    total_response_s_ += (sim_.now() - queue_.front()).seconds();
    ++departed_;
    queue_.pop_front();
    if (!queue_.empty()) begin_service();
  }

  Simulation& sim_;
  Rng& arrivals_;
  Rng& service_;
  double mean_gap_ns_;
  double mean_service_ns_;
  std::deque<Time> queue_;
  double total_response_s_ = 0;
  std::uint64_t departed_ = 0;
};

struct MM1Result {
  std::uint64_t fingerprint;
  std::uint64_t events;
  double mean_response_s;
};

MM1Result run_mm1(std::uint64_t seed, Time horizon) {
  Simulation sim(seed);
  MM1 model(sim, 500.0, 1000.0);
  model.start();
  sim.run_until(horizon);
  return {sim.fingerprint().value(), sim.events_executed(), model.mean_response_s()};
}

}  // namespace

TEST_CASE("events see the clock at their own time, schedule_in is relative", "[simulation]") {
  Simulation sim;
  std::vector<Time> seen;
  sim.schedule_at(5_ms, [&] {
    seen.push_back(sim.now());
    sim.schedule_in(2_ms, [&] { seen.push_back(sim.now()); });
    sim.schedule_in(0_ns, [&] { seen.push_back(sim.now()); });  // same time, after this one
  });
  sim.run();
  CHECK(seen == std::vector<Time>{5_ms, 5_ms, 7_ms});
  CHECK(sim.now() == 7_ms);
  CHECK(sim.events_executed() == 3);
}

TEST_CASE("run_until runs events at the boundary, not after it, and moves the clock there", "[simulation]") {
  Simulation sim;
  std::vector<int> ran;
  sim.schedule_at(10_ms - 1_ns, [&] { ran.push_back(1); });
  sim.schedule_at(10_ms, [&] {
    ran.push_back(2);
    sim.schedule_at(10_ms, [&] { ran.push_back(3); });  // scheduled at the boundary by an event at it
  });
  sim.schedule_at(10_ms + 1_ns, [&] { ran.push_back(4); });
  sim.run_until(10_ms);
  CHECK(ran == std::vector<int>{1, 2, 3});
  CHECK(sim.now() == 10_ms);
  CHECK(sim.events_pending() == 1);
  CHECK(sim.next_event_time() == 10_ms + 1_ns);

  sim.run_until(20_ms);
  CHECK(ran == std::vector<int>{1, 2, 3, 4});
  CHECK(sim.now() == 20_ms);  // advanced past the last event to the limit

  Simulation idle;
  idle.run_until(3_s);
  CHECK(idle.now() == 3_s);
}

TEST_CASE("stop ends the run after the current event, run resumes", "[simulation]") {
  Simulation sim;
  int count = 0;
  for (int i = 1; i <= 5; ++i)
    sim.schedule_at(Time::ms(i), [&] {
      if (++count == 2) sim.stop();
    });
  sim.run_until(1_s);
  CHECK(count == 2);
  CHECK(sim.stopped());
  CHECK(sim.now() == 2_ms);  // not moved to the limit
  sim.run();
  CHECK(count == 5);
  CHECK_FALSE(sim.stopped());
}

TEST_CASE("step runs exactly one event", "[simulation]") {
  Simulation sim;
  int count = 0;
  sim.schedule_at(1_ms, [&] { ++count; });
  sim.schedule_at(2_ms, [&] { ++count; });
  CHECK(sim.step());
  CHECK(count == 1);
  CHECK(sim.now() == 1_ms);
  CHECK(sim.step());
  CHECK_FALSE(sim.step());
  CHECK(count == 2);
}

TEST_CASE("scheduling in the past is an error", "[simulation]") {
  Simulation sim;
  sim.schedule_at(5_ms, [] {});
  sim.run();
  CHECK_THROWS_WITH(sim.schedule_at(4_ms, [] {}),
                    "cannot schedule an event at 4ms, before the current time 5ms");
}

TEST_CASE("an event can cancel another due at the same time", "[simulation]") {
  Simulation sim;
  bool second_ran = false;
  EventId second;
  sim.schedule_at(1_ms, [&] { sim.cancel(second); });
  second = sim.schedule_at(1_ms, [&] { second_ran = true; });
  sim.run();
  CHECK_FALSE(second_ran);
  CHECK(sim.events_executed() == 1);
}

TEST_CASE("a timer restarts, cancels and reports whether it is armed", "[simulation]") {
  Simulation sim;
  Timer rto;
  std::vector<Time> fired;
  rto.restart(sim, 200_ms, [&] { fired.push_back(sim.now()); });
  CHECK(rto.armed(sim));
  sim.run_until(100_ms);
  rto.restart(sim, 200_ms, [&] { fired.push_back(sim.now()); });  // pushes the expiry back
  sim.run_until(250_ms);
  CHECK(fired.empty());
  sim.run_until(300_ms);
  CHECK(fired == std::vector<Time>{300_ms});
  CHECK_FALSE(rto.armed(sim));
  rto.restart(sim, 1_s, [&] { fired.push_back(sim.now()); });
  CHECK(rto.cancel(sim));
  CHECK_FALSE(rto.cancel(sim));
  sim.run();
  CHECK(fired.size() == 1);
}

TEST_CASE("the same seed gives the same trajectory, another seed another", "[simulation][determinism]") {
  const MM1Result a = run_mm1(7, 20_s);
  const MM1Result b = run_mm1(7, 20_s);
  const MM1Result c = run_mm1(8, 20_s);
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.events == b.events);
  CHECK(a.mean_response_s == b.mean_response_s);
  CHECK(a.fingerprint != c.fingerprint);
}

TEST_CASE("two simulations interleaved or on two threads give what each gives alone", "[simulation][determinism]") {
  const MM1Result alone1 = run_mm1(1, 5_s);
  const MM1Result alone2 = run_mm1(2, 5_s);

  Simulation s1(1), s2(2);
  MM1 m1(s1, 500.0, 1000.0), m2(s2, 500.0, 1000.0);
  m1.start();
  m2.start();
  while (s1.next_event_time() <= 5_s || s2.next_event_time() <= 5_s) {  // alternate one event each
    if (s1.next_event_time() <= 5_s) s1.step();
    if (s2.next_event_time() <= 5_s) s2.step();
  }
  CHECK(s1.fingerprint().value() == alone1.fingerprint);
  CHECK(s2.fingerprint().value() == alone2.fingerprint);

  MM1Result t1{}, t2{};
  std::thread th1([&] { t1 = run_mm1(1, 5_s); });
  std::thread th2([&] { t2 = run_mm1(2, 5_s); });
  th1.join();
  th2.join();
  CHECK(t1.fingerprint == alone1.fingerprint);
  CHECK(t2.fingerprint == alone2.fingerprint);
  CHECK(t1.mean_response_s == alone1.mean_response_s);
}

TEST_CASE("M/M/1 through the engine matches 1/(mu - lambda)", "[simulation][theory]") {
  // lambda = 500/s, mu = 1000/s: rho = 0.5, mean time in system 1/(mu - lambda) = 2 ms.
  // About 10^6 customers; the relative standard error at rho = 0.5 is well under 1%.
  const MM1Result r = run_mm1(11, 2000_s);
  CHECK(r.mean_response_s == Approx(0.002).epsilon(0.03));
}

TEST_CASE("named streams: one object per name, unaffected by other streams", "[simulation][rng]") {
  Simulation a(42), b(42);
  Rng& clients_a = a.rng("clients");
  CHECK(&a.rng("clients") == &clients_a);
  // In b, other streams come first and are drawn from; "clients" must not notice.
  b.rng("server1")();
  b.rng("server2")();
  Rng& clients_b = b.rng("clients");
  for (int i = 0; i < 100; ++i) REQUIRE(clients_a() == clients_b());
  CHECK(Rng(42, "clients")() != Rng(42, "server1")());
}

TEST_CASE("trace records carry the time and the source", "[simulation][trace]") {
  Simulation sim;
  TraceLog log;
  sim.trace("nobody", "dropped: no sink yet");
  sim.set_trace_sink(&log);
  CHECK(sim.tracing());
  sim.schedule_at(3_ms, [&] { sim.trace("director1", "SYN to 10.0.0.2:80"); });
  sim.run();
  REQUIRE(log.records().size() == 1);
  CHECK(log.records()[0].t == 3_ms);
  CHECK(log.records()[0].source == "director1");
  CHECK(log.records()[0].message == "SYN to 10.0.0.2:80");
}

TEST_CASE("the fingerprint hashes the event times run-length encoded", "[simulation][fingerprint]") {
  // Times 1 ms, 1 ms, 2 ms, 1 s: runs (1 ms, 2), (2 ms, 1), (1 s, 1), mixed in that order.
  Simulation sim;
  for (Time t : {1_ms, 1_ms, 2_ms, 1_s}) sim.schedule_at(t, [] {});
  sim.run();
  Fingerprint expected;
  for (std::uint64_t v : {1'000'000ULL, 2ULL, 2'000'000ULL, 1ULL, 1'000'000'000ULL, 1ULL}) expected.mix(v);
  CHECK(sim.fingerprint().value() == expected.value());
  CHECK(sim.events_executed() == 4);

  SECTION("reading it leaves the open run open") {
    Simulation part;
    part.schedule_at(1_ms, [] {});
    part.run();
    const std::uint64_t after_one = part.fingerprint().value();
    part.schedule_at(1_ms, [] {});
    for (Time t : {2_ms, 1_s}) part.schedule_at(t, [] {});
    part.run();
    CHECK(after_one != part.fingerprint().value());
    CHECK(part.fingerprint().value() == expected.value());
  }
}

TEST_CASE("fold_events counts and fingerprints like that many events right after the running one",
          "[simulation][fingerprint]") {
  Simulation folded;
  folded.schedule_at(5_us, [&] { folded.fold_events(1000); });
  folded.schedule_at(6_us, [] {});
  folded.run();
  Simulation alone;
  for (int k = 0; k < 1001; ++k) alone.schedule_at(5_us, [] {});
  alone.schedule_at(6_us, [] {});
  alone.run();
  CHECK(folded.events_executed() == 1002);
  CHECK(folded.fingerprint().value() == alone.fingerprint().value());
  Simulation moved;  // one of the copies a nanosecond later: another trajectory
  for (int k = 0; k < 1000; ++k) moved.schedule_at(5_us, [] {});
  moved.schedule_at(5_us + 1_ns, [] {});
  moved.schedule_at(6_us, [] {});
  moved.run();
  CHECK(moved.fingerprint().value() != alone.fingerprint().value());
}
