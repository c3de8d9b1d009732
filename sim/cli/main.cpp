// lvslab: one binary, one subcommand per job. This file only wires the command line
// (CLI11) to the options struct of each subcommand and maps errors to exit codes: 0 done,
// 1 an output could not be written completely (WriteError), 2 bad input or usage.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <exception>
#include <optional>
#include <iostream>
#include <string>

#include "cli/compare_command.hpp"
#include "cli/disruption_command.hpp"
#include "cli/import_command.hpp"
#include "cli/interrupt.hpp"
#include "cli/output_paths.hpp"
#include "cli/profiles_command.hpp"
#include "cli/scenario_commands.hpp"
#include "cli/schedule_command.hpp"
#include "cli/sweep_command.hpp"
#include "cli/theory_command.hpp"
#include "cli/trace_command.hpp"
#include "core/file_output.hpp"
#include "lvs/version.hpp"
#include "run/trace.hpp"
#include "scenario/units.hpp"
#include "schedulers/registry.hpp"

namespace {

using lvs::cli::kExitBadInput;

// --seed as `--set seed=` reads it: a decimal integer >= 0 ("-1" would wrap to 2^64 - 1).
const CLI::Validator kSeed(
    [](std::string& text) -> std::string {
      const std::optional<std::int64_t> seed = lvs::scenario::parse_integer(text);
      return seed && *seed >= 0 ? "" : "expected an integer >= 0, got '" + text + "'";
    },
    "INTEGER>=0");

void add_theory(CLI::App& app, lvs::cli::TheoryOptions& o, int& status) {
  CLI::App* cmd = app.add_subcommand(
      "theory", "Queueing models of a scenario (or, from flags, M/M/c / Erlang C and the server count for a latency SLO)");
  cmd->add_option("scenario", o.scenario, "Scenario YAML file: derive the rate, servers and service time from it");
  cmd->add_option("--set", o.overrides, "With a scenario: override a value, KEY.PATH=VALUE (repeatable)");
  cmd->add_option("--rate", o.rate, "Without a scenario: arrival rate, requests per second")->check(CLI::PositiveNumber);
  cmd->add_option("--service-time", o.service_time, "Without a scenario: mean service time per request, e.g. 10ms");
  cmd->add_option("--servers", o.servers,
                  "Number of real servers (c); default with --slo: the fewest meeting it, searched upward from the "
                  "smallest stable c; else 1")
      ->check(CLI::Range(1, 10'000'000));
  cmd->add_option("--slo", o.slo, "Response-time target, e.g. 200ms: also print the fewest servers meeting it");
  cmd->add_option("--quantile", o.quantile, "Quantile of the SLO")->capture_default_str()->check(CLI::Range(0.5, 0.999999));
  cmd->add_option("--choices", o.choices,
                  "Also the supermarket model: each request to the least loaded of D servers picked at random, "
                  "each server one worker, many servers (twos, p2c: D = 2)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--json", o.json, "Also write the figures as JSON to this file");
  cmd->callback([&o, &status] { status = lvs::cli::run_theory(o, std::cout, std::cerr); });
}

void add_schedulers(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("schedulers", "List the scheduling algorithms by their ipvsadm names");
  cmd->callback([] {
    for (const lvs::SchedulerInfo& s : lvs::scheduler_list())
      std::cout << s.name << "\t" << s.description << (s.in_kernel ? "" : " (lvslab's own, not in the kernel)") << '\n';
  });
}

void add_profiles(CLI::App& app, lvs::cli::ProfilesOptions& o) {
  CLI::App* cmd = app.add_subcommand("profiles", "List the director profiles: costs per packet and connection, with sources");
  cmd->add_flag("--json", o.json, "Print the profiles as JSON");
  cmd->callback([&o] { lvs::cli::run_profiles(o, std::cout); });
}

void add_schedule(CLI::App& app, lvs::cli::ScheduleOptions& o) {
  CLI::App* cmd = app.add_subcommand("schedule", "Probe one scheduler: its picks, one per line, on destinations in kernel list order");
  cmd->add_option("scheduler", o.scheduler, "Scheduler name (lvslab schedulers)")->required();
  cmd->add_option("--weights", o.weights, "Weights in the kernel's list order (index 0 is walked first)")->required()->delimiter(',');
  cmd->add_option("--active", o.active, "activeconns per destination")->delimiter(',');
  cmd->add_option("--inactive", o.inactive, "inactconns per destination")->delimiter(',');
  cmd->add_option("--overloaded", o.overloaded, "Overload flag (-x reached) per destination, 0 or 1")->delimiter(',');
  cmd->add_option("--picks", o.picks, "Consecutive picks; each adds one active connection to the chosen one")
      ->capture_default_str()->check(CLI::Range(std::int64_t{1}, std::int64_t{10'000'000}));
  cmd->add_option("--addrs", o.addrs, "One pick per flow address (source for sh/mh, destination for dh/lblc/lblcr)")->delimiter(',');
  cmd->add_option("--ports", o.ports, "Source port per --addrs (with sh-port / mh-port)")->delimiter(',');
  cmd->add_option("--dests", o.dests, "Destination IP:PORT per destination (default 10.1.0.1:80, 10.1.0.2:80, ...)")->delimiter(',');
  cmd->add_option("--last-weights", o.last_weights, "Last non-zero weight per destination (mh), where the weight is 0")->delimiter(',');
  cmd->add_option("--flags", o.flags, "Scheduler flags: sh-fallback, sh-port, mh-fallback, mh-port")->delimiter(',');
  cmd->add_option("--seed", o.seed, "Seed of the scheduler's random stream")->capture_default_str();
  cmd->callback([&o] { lvs::cli::run_schedule(o, std::cout); });
}

void add_disruption(CLI::App& app, lvs::cli::DisruptionOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "disruption", "Flows the hashing schedulers (sh, dh, mh; ring, not a kernel one) move when K of N servers fail or are added");
  cmd->add_option("--schedulers", o.schedulers, "Schedulers: sh, dh, mh, ring (ring: consistent hashing, not in the kernel)")
      ->capture_default_str()->delimiter(',');
  cmd->add_option("--servers", o.servers, "N, the servers before the change (rs1..rsN, added in that order)");
  cmd->add_option("--fail", o.fail, "K servers fail (K < N)");
  cmd->add_option("--add", o.add, "K servers are added (rsN+1..rsN+K)");
  cmd->add_option("--failed", o.failed, "Which servers fail, 1..N (default: K drawn from the seed)")->delimiter(',');
  cmd->add_option("--on-failure", o.on_failure,
                  "remove (keepalived's DELDEST, its default) or inhibit (inhibit_on_failure: weight 0)")->capture_default_str();
  cmd->add_flag("--fallback", o.fallback, "Set sh-fallback / mh-fallback (ipvsadm -b, IP_VS_SVC_F_SCHED1)");
  cmd->add_option("--table-size", o.table_size, "mh's table size M: a prime of ip_vs_mh.c, 251..131071 (default 4093)");
  cmd->add_option("--vnodes", o.vnodes, "ring: virtual nodes per server (nginx's consistent hash: 160)")->capture_default_str();
  cmd->add_option("--flows", o.flows, "F, the flows probed")->capture_default_str();
  cmd->add_option("--seed", o.seed, "Seed of the flows and of the failed servers")->capture_default_str()->check(kSeed);
  cmd->add_option("--weights", o.weights, "Weight per server, N values (N + K with --add); default all 1")->delimiter(',');
  cmd->add_option("--json", o.json, "Also write the figures as JSON to this file ('-': to stdout, no tables)");
  cmd->add_flag("--maglev-example", o.maglev_example,
                "Print the Maglev paper's Table 1 (M = 7, B1 removed), populated by mh's own loop");
  cmd->callback([&o] { lvs::cli::run_disruption(o, std::cout); });
}

void add_validate(CLI::App& app, lvs::cli::ValidateOptions& o, int& status) {
  CLI::App* cmd = app.add_subcommand("validate", "Check a scenario file: syntax, names, addresses, reachability, modes");
  cmd->add_option("scenario", o.scenario, "Scenario YAML file")->required();
  cmd->add_option("--set", o.overrides, "Override a value: KEY.PATH=VALUE (repeatable)");
  cmd->callback([&o, &status] { status = lvs::cli::run_validate(o, std::cout, std::cerr); });
}

void add_run(CLI::App& app, lvs::cli::RunOptions& o, int& status) {
  CLI::App* cmd = app.add_subcommand("run", "Run a scenario and print the summary (and JSON, CSV)");
  cmd->add_option("scenario", o.scenario, "Scenario YAML file")->required();
  cmd->add_option("--seed", o.seed, "Run seed (default: the scenario's seed)")->check(kSeed);
  cmd->add_option("--until", o.until, "Simulated time to run, e.g. 30s (default: the scenario's duration)");
  cmd->add_option("--set", o.overrides, "Override a value: KEY.PATH=VALUE (repeatable)");
  cmd->add_option("--json", o.json, "Write the results as JSON to this file ('-': to stdout, no summary)");
  cmd->add_option("--csv", o.csv, "Write timeseries.csv, servers.csv and links.csv into this directory");
  cmd->add_option("--pcap", o.pcap,
                  "Write the frames at the directors' and real servers' interfaces to this pcap file, each once, as sent");
  cmd->add_flag("--pcap-both-ends", o.pcap_both_ends,
                "With --pcap: write each frame as it leaves and as it arrives at a capture interface, as tcpdump on each would");
  cmd->add_option("--ipvsadm", o.ipvsadm,
                  "Print what `ipvsadm ARGS` prints on the director, e.g. \"-Ln --rate\" (repeatable): -Ln, "
                  "--stats, --rate, --exact, --thresholds, --persistent-conn, --timeout, -Lnc, -S -n")
      ->allow_extra_args(false);
  cmd->add_option("--at", o.at, "Take every --ipvsadm view at this simulated time, e.g. 10s (repeatable; default: the end)")
      ->allow_extra_args(false);
  cmd->add_option("--director", o.director, "The director the --ipvsadm views are taken on (default: the first)");
  cmd->add_option("--replications", o.replications,
                  "Run N seeds (seed, seed+1, ...): the summary is the first run's, availability's interval is over all N")
      ->check(CLI::Range(1, 10000));
  cmd->callback([&o, &status] { status = lvs::cli::run_run(o, std::cout, std::cerr); });
}

void add_trace(CLI::App& app, lvs::cli::TraceOptions& o, int& status) {
  CLI::App* cmd = app.add_subcommand("trace", "Walk one request and its reply hop by hop (or in several modes)");
  cmd->add_option("scenario", o.scenario, "Scenario YAML file")->required();
  cmd->add_option("--request", o.request, "Which session of the client population, from 1")->capture_default_str();
  cmd->add_option("--client", o.client, "Client population (default: the first)");
  cmd->add_option("--modes", o.modes, "Walk the request in these modes, e.g. nat,dr,tun,fullnat, and compare");
  cmd->add_option("--set", o.overrides, "Override a value: KEY.PATH=VALUE (repeatable)");
  cmd->add_option("--json", o.json, "Write the rows as JSON to this file ('-': to stdout, no text)");
  cmd->add_option("--pcap", o.pcap, "Also write the request's frames (each once, as sent) to this pcap file");
  cmd->add_flag("--pcap-all", o.pcap_all,
                "With --pcap: every frame at the directors' and real servers' interfaces while the trace runs");
  cmd->callback([&o, &status] { status = lvs::cli::run_trace(o, std::cout, std::cerr); });
}

void add_compare(CLI::App& app, lvs::cli::CompareCliOptions& o, int& status) {
  CLI::App* cmd = app.add_subcommand("compare", "Run a scenario with several schedulers and compare them (mean ± 95% CI)");
  cmd->add_option("scenario", o.scenario, "Scenario YAML file")->required();
  cmd->add_option("--schedulers", o.schedulers, "Schedulers to compare, e.g. rr,wrr,wlc (the first is the baseline)")
      ->required()->allow_extra_args(false)->delimiter(',');
  cmd->add_option("--replications", o.replications,
                  "Runs per scheduler, seeds SEED .. SEED+R-1 for every scheduler (common random numbers)")
      ->capture_default_str()->check(CLI::Range(1, 10'000));
  cmd->add_flag("--independent", o.independent,
                "Give each scheduler seeds of its own (scheduler k, from 0: SEED+kR .. SEED+kR+R-1) instead of "
                "common random numbers; differences get Welch's interval; a scheduler may be named twice (an A/A "
                "comparison)");
  cmd->add_option("--jobs", o.jobs, "Runs at once, on threads (the output does not depend on it)")
      ->capture_default_str()->check(CLI::Range(1, 256));
  cmd->add_option("--seed", o.seed, "Seed of the first replication (default: the scenario's seed)")
      ->check(kSeed);
  cmd->add_option("--until", o.until, "Simulated time of each run, e.g. 30s (default: the scenario's duration)");
  cmd->add_option("--set", o.overrides, "Override a value: KEY.PATH=VALUE (repeatable)");
  cmd->add_option("--json", o.json, "Write everything, per replication too, as JSON to this file ('-': to stdout)");
  cmd->add_option("--csv", o.csv, "Write one row per scheduler and replication to this CSV file ('-': to stdout)");
  cmd->callback([&o, &status] { status = lvs::cli::run_compare(o, std::cout, std::cerr); });
}

void add_sweep(CLI::App& app, lvs::cli::SweepCliOptions& o, int& status) {
  CLI::App* cmd = app.add_subcommand("sweep", "Run a scenario over a grid of values (mean ± 95% CI per point), or find the "
                                              "highest / lowest value meeting an SLO");
  cmd->add_option("scenario", o.scenario, "Scenario YAML file")->required();
  cmd->add_option("--param", o.params,
                  "KEY.PATH=FROM:TO:STEP or KEY.PATH=v1,v2,... (repeatable: the grid is their product, the first "
                  "varying slowest)")
      ->required()->allow_extra_args(false);
  cmd->add_option("--replications", o.replications,
                  "Runs per point, seeds SEED .. SEED+R-1 at every point (common random numbers)")
      ->capture_default_str()->check(CLI::Range(1, 10'000));
  cmd->add_option("--jobs", o.jobs, "Runs at once, on threads (per MPI rank; the output does not depend on it)")
      ->capture_default_str()->check(CLI::Range(1, 256));
  cmd->add_option("--seed", o.seed, "Seed of the first replication (default: the scenario's seed)")->check(kSeed);
  cmd->add_option("--until", o.until, "Simulated time of each run, e.g. 30s (default: the scenario's duration)");
  cmd->add_option("--set", o.overrides, "Override a value at every point: KEY.PATH=VALUE (repeatable)");
  cmd->add_option("--slo", o.slo, "With --find: the objective, p50<DURATION, p99<DURATION, mean<DURATION or failed<PERCENT%");
  cmd->add_option("--find", o.find,
                  "With --slo: max:KEY.PATH (the highest value of that --param meeting the SLO) or min:KEY.PATH (the "
                  "lowest), by bisection");
  cmd->add_option("--max-replications", o.max_replications,
                  "With --find: replications a probe may reach while its interval straddles the bound (default 5R)")
      ->check(CLI::Range(1, 100'000));
  cmd->add_option("--json", o.json, "Write everything as JSON to this file ('-': to stdout)");
  cmd->add_option("--csv", o.csv, "Write one row per point (per probe with --find) to this CSV file ('-': to stdout)");
  cmd->callback([&o, &status] { status = lvs::cli::run_sweep_command(o, std::cout, std::cerr); });
}

void add_import(CLI::App& app, lvs::cli::ImportOptions& o, int& status) {
  CLI::App* cmd = app.add_subcommand("import", "Read keepalived.conf (one per director), ipvsadm-save or ldirectord.cf "
                                               "into a scenario; warnings name FILE:LINE");
  cmd->add_option("keepalived", o.keepalived, "keepalived.conf of each director (a VRRP pair: one file each)");
  cmd->add_option("--ipvsadm-save", o.ipvsadm_save, "ipvsadm-save (ipvsadm -S) output, with or without -n");
  cmd->add_option("--ldirectord", o.ldirectord, "ldirectord.cf");
  cmd->add_option("--director", o.director, "Host name of the director the --ipvsadm-save / --ldirectord table is on")
      ->capture_default_str();
  cmd->add_option("-o,--output", o.output, "Scenario YAML to write ('-': stdout)")->capture_default_str();
  cmd->callback([&o, &status] { status = lvs::cli::run_import(o, std::cout, std::cerr); });
}

void add_export(CLI::App& app, lvs::cli::ExportOptions& o, int& status) {
  CLI::App* cmd = app.add_subcommand("export", "Write a scenario's directors as keepalived.conf and ipvsadm-save -n "
                                               "(FILE-DIRECTOR.EXT each when there are several)");
  cmd->add_option("scenario", o.scenario, "Scenario YAML file")->required();
  cmd->add_option("--keepalived", o.keepalived, "keepalived.conf to write");
  cmd->add_option("--ipvsadm-save", o.ipvsadm_save, "ipvsadm -S -n rules to write");
  cmd->add_option("--set", o.overrides, "Override a value: KEY.PATH=VALUE (repeatable)");
  cmd->callback([&o, &status] { status = lvs::cli::run_export(o, std::cout, std::cerr); });
}

// "lvslab run: error: MESSAGE" on stderr.
void report(const CLI::App& app, const std::string& message) {
  std::cerr << "lvslab";
  if (!app.get_subcommands().empty()) std::cerr << ' ' << app.get_subcommands().front()->get_name();
  std::cerr << ": error: " << message << '\n';
}

// A usage error (an unknown option, a missing or malformed value) exits 2 like every other bad
// input, not with CLI11's own codes (104..109).
int usage_error(const CLI::App& app, const CLI::ParseError& e) {
  report(app, e.what());
  const std::string sub = app.get_subcommands().empty() ? "" : " " + app.get_subcommands().front()->get_name();
  std::cerr << "Run 'lvslab" << sub << " --help' for the options.\n";
  return kExitBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"lvslab " + std::string(lvs::kVersion) +
               ": a discrete-event simulator and scheduler lab for LVS (IPVS) clusters"};
  app.name("lvslab");
  app.set_version_flag("--version", "lvslab " + std::string(lvs::kVersion));
  app.require_subcommand(1);
  app.footer("Run 'lvslab SUBCOMMAND --help' for a subcommand's options.");

  int status = 0;
  lvs::cli::TheoryOptions theory;
  add_theory(app, theory, status);
  add_schedulers(app);
  lvs::cli::ProfilesOptions profiles;
  add_profiles(app, profiles);
  lvs::cli::ScheduleOptions schedule;
  add_schedule(app, schedule);
  lvs::cli::DisruptionOptions disruption;
  add_disruption(app, disruption);
  lvs::cli::ValidateOptions validate;
  add_validate(app, validate, status);
  lvs::cli::RunOptions run;
  add_run(app, run, status);
  lvs::cli::TraceOptions trace;
  add_trace(app, trace, status);
  lvs::cli::CompareCliOptions compare;
  add_compare(app, compare, status);
  lvs::cli::SweepCliOptions sweep;
  add_sweep(app, sweep, status);
  lvs::cli::ImportOptions import_options;
  add_import(app, import_options, status);
  lvs::cli::ExportOptions export_options;
  add_export(app, export_options, status);

  if (argc == 1) {
    std::cerr << app.help();
    return kExitBadInput;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != static_cast<int>(CLI::ExitCodes::Success)) return usage_error(app, e);
    status = app.exit(e);  // --help, --version
  } catch (const lvs::WriteError& e) {
    report(app, e.what());
    return lvs::cli::kExitWriteFailed;
  } catch (const lvs::run::Interrupted& e) {
    report(app, e.what());
    return lvs::cli::kExitInterrupted;
  } catch (const std::exception& e) {
    report(app, e.what());
    return kExitBadInput;
  }
  try {
    lvs::cli::flush_stdout();
  } catch (const lvs::WriteError& e) {
    report(app, e.what());
    return lvs::cli::kExitWriteFailed;
  }
  return status;
}
