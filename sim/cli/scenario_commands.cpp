#include "cli/scenario_commands.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <stdexcept>

#include "cli/interrupt.hpp"
#include "cli/output_paths.hpp"
#include "core/file_output.hpp"
#include "lvs/ipvsadm_args.hpp"
#include "run/availability.hpp"
#include "run/run.hpp"
#include "run/scenario_theory.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::cli {

namespace {

// "\r  12.0 s / 60.0 s simulated (20%)" on a terminal, at most every half second.
class Progress {
 public:
  void operator()(Time now, Time end) {
    const auto t = std::chrono::steady_clock::now();
    if (t - last_ < std::chrono::milliseconds(500) && now < end) return;
    last_ = t;
    std::fprintf(stderr, "\r  %.1f s / %.1f s simulated (%.0f%%)%s", now.seconds(), end.seconds(),
                 100.0 * now.seconds() / end.seconds(), now >= end ? "\n" : "");
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace

bool report_findings(const scenario::ScenarioSpec& spec, std::ostream& err) {
  bool errors = false;
  for (const scenario::Finding& f : scenario::validate(spec)) {
    err << f.str(spec.file) << '\n';
    errors = errors || f.severity == scenario::Finding::Severity::Error;
  }
  return errors;
}

std::optional<Time> parse_until(const std::optional<std::string>& until) {
  if (!until) return std::nullopt;
  Time t;
  try {
    t = parse_time(*until);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("--until: ") + e.what());
  }
  if (t <= Time()) throw std::invalid_argument("--until: expected a duration > 0, got '" + *until + "'");
  if (t > kMaxSpan)
    throw std::invalid_argument("--until: expected a duration of at most " + max_span_text() + " (365 days), got '" +
                                *until + "'");
  return t;
}

namespace {

// --ipvsadm, --at and --director into the run's requests; checked before the scenario is read.
void parse_ipvsadm_options(const RunOptions& o, run::RunOptions& ro) {
  if (o.ipvsadm.empty() && !o.at.empty()) throw std::invalid_argument("--at: give the views to take with --ipvsadm");
  if (o.ipvsadm.empty() && o.director) throw std::invalid_argument("--director: give the views to take with --ipvsadm");
  for (const std::string& args : o.ipvsadm) {
    try {
      ro.ipvsadm.push_back({o.director.value_or(""), parse_ipvsadm_args(args)});
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("--ipvsadm '" + args + "': " + e.what());
    }
  }
  for (const std::string& at : o.at) {
    try {
      ro.ipvsadm_at.push_back(parse_time(at));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("--at: " + std::string(e.what()));
    }
  }
}

}  // namespace

int run_validate(const ValidateOptions& o, std::ostream& out, std::ostream& err) {
  const scenario::ScenarioSpec spec = scenario::read_scenario(o.scenario, o.overrides);
  if (report_findings(spec, err)) return kExitBadInput;
  out << o.scenario << ": ok: " << spec.topology.hosts.size() << " hosts, " << spec.services.size()
      << " services, " << spec.workload.clients.size() << " client populations";
  if (!spec.storage.empty()) out << ", " << spec.storage.size() << " storage servers";
  if (spec.workload.content) out << ", " << spec.workload.content->config.files << " files";
  out << "\n";
  return 0;
}

// Every output path of `run`, before the run: a typo must not cost it.
void check_outputs(const RunOptions& o) {
  if (o.json && o.pcap && *o.json == "-" && *o.pcap == "-")
    throw std::invalid_argument("--json - and --pcap -: only one of them can go to stdout");
  if (o.pcap_both_ends && !o.pcap) throw std::invalid_argument("--pcap-both-ends: say where with --pcap FILE");
  if (o.json) check_output_file("--json", *o.json);
  if (o.csv) check_output_dir("--csv", *o.csv);
}

int run_run(const RunOptions& o, std::ostream& out, std::ostream& err) {
  run::RunOptions ro;
  parse_ipvsadm_options(o, ro);
  ro.until = parse_until(o.until);
  scenario::ScenarioSpec spec = scenario::read_scenario(o.scenario, o.overrides);
  if (report_findings(spec, err)) return kExitBadInput;
  // Validated: nothing after names a position in the file, whose tree holds some 1.7 KB per real
  // server (docs/scenario-loading.md); the run gets that memory back.
  spec.positions.clear();
  check_outputs(o);
  run::check_run_options(spec, ro);
  ro.seed = o.seed;
  ro.pcap = o.pcap;
  ro.pcap_both_ends = o.pcap_both_ends;
  if (isatty(STDERR_FILENO)) ro.progress = Progress{};
  ro.on_start = sigint_test_hook();
  ro.interrupt = install_sigint_handler();
  run::RunResult r = o.replications > 1 ? run::run_replications(spec, ro, o.replications) : run::run_scenario(spec, ro);
  if (const std::optional<run::TheoryComparison> theory = run::theory_for(spec); theory && !r.interrupted)
    r.theory = run::with_measured(*theory, r);
  if (r.interrupted) err << (isatty(STDERR_FILENO) ? "\n" : "") << "lvslab run: " << run::interrupted_text(r) << "\n";
  if (o.json && *o.json == "-") {
    out << run::to_json(r);
  } else {
    run::print_summary(out, r);
    run::print_ipvsadm(out, r);
    if (o.json) write_file(*o.json, run::to_json(r));
  }
  if (o.csv) run::write_csv(*o.csv, r);
  return r.interrupted ? kExitInterrupted : 0;
}

}  // namespace lvs::cli
