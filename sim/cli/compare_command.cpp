#include "cli/compare_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <ostream>
#include <stdexcept>

#include "cli/interrupt.hpp"
#include "cli/output_paths.hpp"
#include "cli/scenario_commands.hpp"
#include "run/compare.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::cli {

namespace {

// "\rcompare: 7/20 runs" on a terminal; called one run at a time by compare_schedulers().
void show_progress(int done, int total) {
  std::fprintf(stderr, "\rcompare: %d/%d runs%s", done, total, done == total ? "\n" : "");
  std::fflush(stderr);
}

run::CompareOptions compare_options(const CompareCliOptions& o) {
  const run::Streams streams = o.independent ? run::Streams::Independent : run::Streams::Common;
  try {
    run::check_schedulers(o.schedulers, streams);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("--schedulers: ") + e.what());
  }
  check_json_csv(o.json, o.csv);
  run::CompareOptions co;
  co.schedulers = o.schedulers;
  co.replications = o.replications;
  co.jobs = o.jobs;
  co.base_seed = o.seed;
  co.streams = streams;
  co.until = parse_until(o.until);
  if (isatty(STDERR_FILENO)) co.progress = show_progress;
  co.on_start = sigint_test_hook();
  co.interrupt = install_sigint_handler();
  return co;
}

}  // namespace

int run_compare(const CompareCliOptions& o, std::ostream& out, std::ostream& err) {
  const run::CompareOptions co = compare_options(o);
  const scenario::ScenarioSpec spec = scenario::read_scenario(o.scenario, o.overrides);
  if (report_findings(spec, err)) return kExitBadInput;
  const run::CompareResult r = run::compare_schedulers(spec, co);
  write_json_csv(
      out, o.json, o.csv, [&r] { return run::comparison_json(r); }, [&r] { return run::comparison_csv(r); },
      [&r](std::ostream& os) { run::print_comparison(os, r); });
  return r.interrupted ? kExitInterrupted : 0;
}

}  // namespace lvs::cli
