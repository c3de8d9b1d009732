#include "cli/trace_command.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <stdexcept>

#include "cli/interrupt.hpp"
#include "cli/output_paths.hpp"
#include "cli/scenario_commands.hpp"
#include "core/file_output.hpp"
#include "run/trace.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::cli {

namespace {

// "nat, dr" -> {"nat", "dr"}, each checked against the known modes.
std::vector<std::string> parse_modes(const std::string& text) {
  std::vector<std::string> modes;
  std::size_t at = 0;
  for (;;) {
    const std::size_t comma = text.find(',', at);
    std::string m = text.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    m.erase(0, m.find_first_not_of(' '));
    m.erase(m.find_last_not_of(' ') + 1);
    run::mode_example_file(m);  // throws, naming --modes and the valid modes
    modes.push_back(m);
    if (comma == std::string::npos) return modes;
    at = comma + 1;
  }
}

void emit(const std::optional<std::string>& json_path, const std::string& json, const std::string& text,
          std::ostream& out) {
  if (json_path && *json_path == "-") {
    out << json;
    return;
  }
  out << text;
  if (json_path) write_file(*json_path, json);
}

}  // namespace

int run_trace(const TraceOptions& o, std::ostream& out, std::ostream& err) {
  const std::vector<std::string> modes = o.modes ? parse_modes(*o.modes) : std::vector<std::string>{};
  const scenario::ScenarioSpec spec = scenario::read_scenario(o.scenario, o.overrides);
  if (report_findings(spec, err)) return kExitBadInput;
  if (o.pcap && modes.size() > 1)
    throw std::invalid_argument("--pcap: capture one walk at a time (leave out --modes, or give it one mode)");
  if (o.pcap_all && !o.pcap) throw std::invalid_argument("--pcap-all: say where with --pcap FILE");
  if (o.json && o.pcap && *o.json == "-" && *o.pcap == "-")
    throw std::invalid_argument("--json - and --pcap -: only one of them can go to stdout");
  if (o.json) check_output_file("--json", *o.json);
  run::TraceRequest req;
  req.client = o.client;
  req.session = o.request;
  req.pcap = o.pcap;
  req.pcap_all = o.pcap_all;
  req.on_start = sigint_test_hook();
  req.interrupt = install_sigint_handler();
  run::TraceFormat format;
  format.colour = isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
  if (modes.empty()) {
    const run::Trace t = run::trace_request(spec, req);
    emit(o.json, run::trace_to_json(t), run::format_trace(t, format), out);
    return t.end == run::Trace::End::Interrupted ? kExitInterrupted : 0;
  }
  const std::vector<run::ModeTrace> walks = run::trace_modes(o.scenario, o.overrides, modes, req);
  emit(o.json, run::modes_to_json(walks), run::format_modes(walks, format), out);
  return req.interrupt->load() ? kExitInterrupted : 0;
}

}  // namespace lvs::cli
