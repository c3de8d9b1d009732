#pragma once
// A small queueing harness for checking schedulers against queueing theory: n servers,
// each with c workers and an unbounded FIFO, Poisson arrivals of total rate lambda,
// exponential service times (mean 1 service time unless set per server). On each arrival
// the scheduler picks through a DestTable, with a random client address and port; a
// destination's activeconns is the number of jobs in its system (set on arrival and
// departure through DestTable::set_counts, so on_counts_changed runs), and each departure
// reports its time in system through Scheduler::on_request_done.
//
// Time here is a double in service times (a test, not the model); one service time is
// `service_time_unit` of simulated time when handed to the scheduler. Statistics are taken
// after a warm-up over equal batches (by departure time), whose means give the standard
// errors (batch means; Law and Kelton, "Simulation Modeling and Analysis", 9.5.3).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "core/time.hpp"
#include "metrics/summary.hpp"
#include "schedulers/dest_table.hpp"
#include "schedulers/registry.hpp"

namespace lvs::test {

/// Simulated time of one mean service time, as the scheduler sees latencies.
inline constexpr Time service_time_unit = Time::ms(100);

/// What to run.
struct QueueSetup {
  /// The scheduler's registered name (make_scheduler throws if it is unknown).
  std::string scheduler;
  /// n, the number of servers (destinations, weight 1 each).
  int servers = 1;
  /// c, workers per server.
  int workers = 1;
  /// lambda, total arrivals per service time.
  double arrival_rate = 0.5;
  /// Mean service time per server, in service times; empty: 1 for every server.
  std::vector<double> service_means;
  /// Each server starts with a Geometric(initial_load) number of jobs, P(k) = (1 - r) r^k:
  /// the M/M/1 steady state at load r, to shorten the warm-up; 0 starts empty.
  double initial_load = 0;
  /// Time discarded before statistics start, service times.
  double warmup = 100;
  /// Length of one batch, service times.
  double batch_length = 100;
  /// Number of batches after the warm-up.
  int batches = 10;
  /// The run seed; arrivals, service, flows and the scheduler have their own streams.
  std::uint64_t seed = 1;
};

/// A mean over batches with its standard error.
struct BatchEstimate {
  /// The mean of the batch means.
  double mean = 0;
  /// Standard deviation of the batch means / sqrt(batches).
  double se = 0;
};

/// What was measured after the warm-up.
struct QueueStats {
  /// Time in system per job, service times.
  BatchEstimate response;
  /// Waiting time (queue only) per job, service times.
  BatchEstimate wait;
  /// Fraction of jobs that found every worker of their server busy.
  BatchEstimate p_wait;
  /// Per server: fraction of arrivals sent there.
  std::vector<double> share;
  /// Per server: fraction of time with no job in its system.
  std::vector<double> idle;
  /// Jobs that departed after the warm-up.
  std::uint64_t jobs = 0;
  /// Arrivals for which the scheduler answered none (dropped).
  std::uint64_t rejected = 0;
};

/// Runs the harness; see the file comment.
class QueueHarness {
 public:
  explicit QueueHarness(const QueueSetup& setup)
      : setup_(setup),
        sched_(make_scheduler(setup.scheduler)),
        table_(*sched_),
        arrivals_(setup.seed, "arrivals"),
        service_(setup.seed, "service"),
        flows_(setup.seed, "flows"),
        picks_(setup.seed, "scheduler"),
        servers_(static_cast<std::size_t>(setup.servers)) {
    for (int s = setup.servers; s-- > 0;) table_.add({.id = static_cast<DestId>(s), .weight = 1});
    table_.bind_scheduler(*sched_);  // list index = id, as sched_fixture's service()
    end_ = setup.warmup + setup.batch_length * setup.batches;
    batch_.resize(static_cast<std::size_t>(setup.batches));
    shares_.assign(servers_.size(), 0);
  }

  /// Runs to the end of the last batch and returns the statistics.
  QueueStats run() {
    for (int s = 0; s < setup_.servers; ++s) preload(s);
    double next_arrival = exponential(arrivals_, 1.0 / setup_.arrival_rate);
    while (true) {
      const bool departure = !departures_.empty() && departures_.top().t < next_arrival;
      const double t = departure ? departures_.top().t : next_arrival;
      if (t >= end_) break;
      if (departure) {
        const Job job = departures_.top();
        departures_.pop();
        depart(job);
      } else {
        arrive(t);
        next_arrival = t + exponential(arrivals_, 1.0 / setup_.arrival_rate);
      }
    }
    return finish();
  }

 private:
  struct Job {
    double t = 0;        // departure time
    double arrival = 0;  // arrival time
    double start = 0;    // service start
    int server = 0;
    bool waited = false;
    bool operator>(const Job& o) const { return t > o.t; }
  };
  struct Server {
    int jobs = 0;               // in its system: in service + waiting
    std::deque<Job> waiting;    // FIFO
    double idle_since = 0;      // when jobs last became 0
    double idle_time = 0;       // after the warm-up
  };
  struct Batch {
    double response = 0, wait = 0;
    std::uint64_t jobs = 0, waited = 0;
  };

  static double exponential(Rng& rng, double mean) { return -mean * std::log(rng.uniform_pos01()); }
  static Time to_time(double service_times) {
    return Time::ns(std::llround(service_times * static_cast<double>(service_time_unit.count())));
  }
  double service_mean(int s) const {
    return setup_.service_means.empty() ? 1.0 : setup_.service_means[static_cast<std::size_t>(s)];
  }

  void arrive(double t) {
    SchedFlow flow{.protocol = 6,
                   .saddr = InetAddr::v4(0x0A000000u | static_cast<std::uint32_t>(flows_.below(1u << 20))),
                   .sport = static_cast<std::uint16_t>(1024 + flows_.below(64512)),
                   .daddr = InetAddr::v4(0xC0A84A81u),
                   .dport = 80};
    const auto pick = table_.schedule(picks_, flow, to_time(t));
    if (!pick) {
      ++rejected_;
      return;
    }
    const int s = static_cast<int>(table_.dests()[*pick].id);
    if (t >= setup_.warmup) ++shares_[static_cast<std::size_t>(s)];
    admit(s, t);
  }

  // A job arriving at server s at time t: counted in activeconns, served or queued.
  void admit(int s, double t) {
    Server& srv = servers_[static_cast<std::size_t>(s)];
    if (srv.jobs == 0) close_idle(srv, t);
    table_.set_counts(static_cast<DestId>(s), ++srv.jobs, 0);
    Job job{.t = 0, .arrival = t, .start = t, .server = s, .waited = srv.jobs > setup_.workers};
    if (job.waited) {
      srv.waiting.push_back(job);
    } else {
      start(job, t);
    }
  }

  // Geometric(initial_load) jobs arriving at time 0, by inverse transform.
  void preload(int s) {
    if (setup_.initial_load <= 0) return;
    const double k = std::floor(std::log(arrivals_.uniform_pos01()) / std::log(setup_.initial_load));
    for (int j = 0; j < static_cast<int>(k); ++j) admit(s, 0);
  }

  void start(Job job, double t) {
    job.start = t;
    job.t = t + exponential(service_, service_mean(job.server));
    departures_.push(job);
  }

  void depart(const Job& job) {
    Server& srv = servers_[static_cast<std::size_t>(job.server)];
    table_.set_counts(static_cast<DestId>(job.server), --srv.jobs, 0);
    sched_->on_request_done(static_cast<DestId>(job.server), to_time(job.t - job.arrival), to_time(job.t));
    if (srv.jobs == 0) srv.idle_since = job.t;
    if (!srv.waiting.empty()) {
      const Job next = srv.waiting.front();
      srv.waiting.pop_front();
      start(next, job.t);
    }
    if (job.t < setup_.warmup) return;
    Batch& b = batch_[static_cast<std::size_t>((job.t - setup_.warmup) / setup_.batch_length)];
    b.response += job.t - job.arrival;
    b.wait += job.start - job.arrival;
    ++b.jobs;
    b.waited += job.waited ? 1 : 0;
  }

  void close_idle(Server& srv, double t) const {
    if (t > setup_.warmup) srv.idle_time += t - std::max(srv.idle_since, setup_.warmup);
  }

  static BatchEstimate estimate(const Summary& s) {
    return {s.mean(), s.stddev() / std::sqrt(static_cast<double>(s.count()))};
  }

  QueueStats finish() {
    QueueStats out;
    Summary response, wait, p_wait;
    for (const Batch& b : batch_) {
      const auto n = static_cast<double>(b.jobs);
      response.add(b.response / n);
      wait.add(b.wait / n);
      p_wait.add(static_cast<double>(b.waited) / n);
      out.jobs += b.jobs;
    }
    out.response = estimate(response);
    out.wait = estimate(wait);
    out.p_wait = estimate(p_wait);
    double arrivals = 0;
    for (const double a : shares_) arrivals += a;
    for (std::size_t s = 0; s < servers_.size(); ++s) {
      if (servers_[s].jobs == 0) close_idle(servers_[s], end_);
      out.share.push_back(shares_[s] / arrivals);
      out.idle.push_back(servers_[s].idle_time / (end_ - setup_.warmup));
    }
    out.rejected = rejected_;
    return out;
  }

  QueueSetup setup_;
  std::unique_ptr<Scheduler> sched_;
  DestTable table_;
  Rng arrivals_, service_, flows_, picks_;
  std::vector<Server> servers_;
  std::priority_queue<Job, std::vector<Job>, std::greater<>> departures_;
  std::vector<Batch> batch_;
  std::vector<double> shares_;
  double end_ = 0;
  std::uint64_t rejected_ = 0;
};

/// Runs `setup` once.
inline QueueStats run_queue(const QueueSetup& setup) { return QueueHarness(setup).run(); }

}  // namespace lvs::test
