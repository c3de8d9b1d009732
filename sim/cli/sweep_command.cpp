#include "cli/sweep_command.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <ostream>
#include <stdexcept>

#include "cli/interrupt.hpp"
#include "cli/mpi_runner.hpp"
#include "cli/output_paths.hpp"
#include "cli/scenario_commands.hpp"
#include "run/slo_search.hpp"
#include "run/sweep.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::cli {

namespace {

// "\rsweep: 3/8 points, 14/40 runs, 12 s elapsed, about 22 s left" on stderr after each run
// of a sweep (job j is a run of point j / R); "\rsweep: 14 runs, 12 s elapsed" in an SLO
// search, whose number of runs is not known in advance.
class Progress {
 public:
  /// `points` 0: an SLO search.
  Progress(std::size_t points, std::size_t replications)
      : runs_per_point_(replications), done_per_point_(points), start_(std::chrono::steady_clock::now()) {}

  void run_done(std::size_t job) {
    ++runs_;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (done_per_point_.empty()) {
      std::fprintf(stderr, "\rsweep: %zu runs, %.0f s elapsed ", runs_, elapsed);
    } else {
      points_ += ++done_per_point_[job / runs_per_point_] == runs_per_point_;
      const std::size_t total = done_per_point_.size() * runs_per_point_;
      const double left = elapsed * static_cast<double>(total - runs_) / static_cast<double>(runs_);
      std::fprintf(stderr, "\rsweep: %zu/%zu points, %zu/%zu runs, %.0f s elapsed, about %.0f s left %s", points_,
                   done_per_point_.size(), runs_, total, elapsed, left, runs_ == total ? "\n" : "");
    }
    std::fflush(stderr);
  }

 private:
  std::size_t runs_per_point_;
  std::vector<std::size_t> done_per_point_;  // runs finished per point
  std::size_t runs_ = 0, points_ = 0;
  std::chrono::steady_clock::time_point start_;
};

struct Plan {
  std::vector<run::SweepParam> params;
  std::vector<std::string> overrides;        // --set, then (with --find) the other params' single values
  std::optional<run::Slo> slo;
  std::optional<run::FindTarget> find;
};

// With --find: the searched param alone; the others must have one value each.
void focus_on(Plan& p) {
  std::vector<run::SweepParam> searched;
  for (const run::SweepParam& q : p.params) {
    if (q.key == p.find->key) searched.push_back(q);
    else if (q.values.size() == 1) p.overrides.push_back(q.key + "=" + q.values.front());
    else throw std::invalid_argument("--param " + q.key + ": with --find, only " + p.find->key +
                                     " may take several values (use --set for the others)");
  }
  if (searched.size() != 1)
    throw std::invalid_argument("--find " + p.find->key + ": give its values once with --param " + p.find->key +
                                "=FROM:TO:STEP or v1,v2,...");
  p.params = std::move(searched);
}

Plan plan(const SweepCliOptions& o) {
  Plan p;
  p.overrides = o.overrides;
  for (const std::string& text : o.params) p.params.push_back(run::parse_sweep_param(text));
  if (p.params.empty()) throw std::invalid_argument("--param: at least one is required");
  (void)run::grid_points(p.params);
  if (o.slo.has_value() != o.find.has_value()) throw std::invalid_argument("--slo and --find go together");
  if (o.max_replications && !o.find) throw std::invalid_argument("--max-replications: only with --slo and --find");
  if (o.slo) p.slo = run::parse_slo(*o.slo);
  if (o.find) {
    p.find = run::parse_find(*o.find);
    focus_on(p);
  }
  check_json_csv(o.json, o.csv);
  return p;
}

run::BatchOptions batch_options(const SweepCliOptions& o, std::optional<Time> until) {
  run::BatchOptions b;
  b.threads = o.jobs;
  b.until = until;
  b.on_start = sigint_test_hook();
  b.interrupt = install_sigint_handler();
  return b;
}

// The sweep or search, written to `out` and the files when `writer` (MPI rank 0, or no MPI).
int sweep_and_write(const SweepCliOptions& o, std::ostream& out, std::ostream& err, const MpiWorld* world) {
  const Plan p = plan(o);
  const std::optional<Time> until = parse_until(o.until);
  const bool writer = world == nullptr || world->rank() == 0;
  const std::vector<scenario::ScenarioSpec> specs = run::read_points(o.scenario, p.overrides, p.params, until);
  if (writer)  // one line, as `run` prints its warnings
    if (const std::string warnings = run::points_warnings(specs, p.params); !warnings.empty())
      err << "lvslab sweep: " << warnings << '\n';
  run::BatchOptions b = batch_options(o, until);
  std::shared_ptr<Progress> progress;
  if (world == nullptr && isatty(STDERR_FILENO)) {
    progress = std::make_shared<Progress>(p.find ? 0 : specs.size(), static_cast<std::size_t>(o.replications));
    b.finished = [progress](std::size_t job) { progress->run_done(job); };
  }
  std::unique_ptr<run::BatchRunner> runner =
      world ? world->runner(std::move(b)) : std::make_unique<run::ThreadRunner>(std::move(b));
  if (p.find) {
    const run::SloOptions so{*p.slo, p.find->seek, p.params.front(), o.replications,
                             o.max_replications.value_or(5 * o.replications), o.seed, until};
    const run::SloSearchResult r = run::find_slo(specs, so, *runner);
    if (writer)
      write_json_csv(
          out, o.json, o.csv, [&r] { return run::slo_search_json(r); }, [&r] { return run::slo_search_csv(r); },
          [&r](std::ostream& os) { run::print_slo_search(os, r); });
    return r.interrupted ? kExitInterrupted : 0;
  }
  const run::SweepResult r = run::run_sweep(specs, {p.params, o.replications, o.seed, until}, *runner);
  if (writer)
    write_json_csv(
        out, o.json, o.csv, [&r] { return run::sweep_json(r); }, [&r] { return run::sweep_csv(r); },
        [&r](std::ostream& os) { run::print_sweep(os, r); });
  return r.interrupted ? kExitInterrupted : 0;
}

}  // namespace

int run_sweep_command(const SweepCliOptions& o, std::ostream& out, std::ostream& err) {
  const std::unique_ptr<MpiWorld> world = launched_by_mpi() ? std::make_unique<MpiWorld>() : nullptr;
  if (world == nullptr || world->rank() == 0) return sweep_and_write(o, out, err, world.get());
  // Every rank meets the same bad input at the same point: rank 0 alone reports it.
  try {
    return sweep_and_write(o, out, err, world.get());
  } catch (const std::exception&) {
    return kExitBadInput;
  }
}

}  // namespace lvs::cli
