#include "fuzz/scenario_entry.hpp"

#include <vector>

#include "scenario/scenario_spec.hpp"
#include "scenario/yaml_reader.hpp"

namespace lvs::fuzz {

namespace {

constexpr std::string_view kSetPrefix = "#--set ";

// The assignments of the leading "#--set ..." lines of `data` (which stay: YAML comments, so
// positions in messages are the file's own).
std::vector<std::string> overrides_of(std::string_view data) {
  std::vector<std::string> overrides;
  while (data.substr(0, kSetPrefix.size()) == kSetPrefix) {
    const std::size_t end = data.find('\n');
    overrides.emplace_back(data.substr(kSetPrefix.size(), end - kSetPrefix.size()));
    data.remove_prefix(end == std::string_view::npos ? data.size() : end + 1);
  }
  return overrides;
}

}  // namespace

std::string check_scenario(std::string_view data, const std::string& name) {
  const std::vector<std::string> overrides = overrides_of(data);
  try {
    const scenario::ScenarioSpec spec = scenario::read_scenario_text(data, name, overrides);
    for (const scenario::Finding& f : scenario::validate(spec))
      if (f.severity == scenario::Finding::Severity::Error) return "error: " + f.str(spec.file);
    return "ok: " + std::to_string(spec.topology.hosts.size()) + " hosts, " + std::to_string(spec.services.size()) +
           " services, " + std::to_string(spec.workload.clients.size()) + " client populations";
  } catch (const scenario::ScenarioError& e) {
    return std::string("error: ") + e.what();
  }
}

}  // namespace lvs::fuzz
