// `lvslab trace --modes`: the same request walked once per forwarding mode, in a variant of
// the user's scenario derived for each mode (mode_variant.hpp), or in the mode's bundled
// example when the variant cannot be derived or does not validate.

#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <tuple>

#include "run/mode_variant.hpp"
#include "run/trace.hpp"

namespace lvs::run {

std::string_view mode_example_file(std::string_view mode) {
  if (mode == "nat") return "nat-basic";
  if (mode == "dr") return "dr-basic";
  if (mode == "tun") return "tun-wan";
  if (mode == "fullnat") return "fullnat-cloud";
  std::string valid;
  for (std::string_view m : kTraceModes) valid += (valid.empty() ? "" : ", ") + std::string(m);
  throw std::invalid_argument("--modes: unknown mode '" + std::string(mode) + "'; valid modes: " + valid);
}

namespace {

using scenario::ClientSpec;
using scenario::Finding;
using scenario::ScenarioSpec;

// The first error of `spec` that `before` does not have (by key and message), or "".
std::string new_error(const ScenarioSpec& spec, const ScenarioSpec& before) {
  std::set<std::tuple<std::string, std::string>> old;
  for (const Finding& f : scenario::validate(before)) old.emplace(f.origin.path, f.message);
  for (const Finding& f : scenario::validate(spec))
    if (f.severity == Finding::Severity::Error && old.count({f.origin.path, f.message}) == 0) return f.message;
  return "";
}

// "every destination of nat-basic switched to dr; VIP ... on lo of rs1, rs2; ...".
std::string derived_note(const ScenarioSpec& given, const std::string& mode, const std::vector<std::string>& changes) {
  std::string note = "every destination of " + given.name + " switched to " + mode;
  for (const std::string& c : changes) note += "; " + c;
  return note;
}

// The mode's example next to the user's file, when the variant could not be had.
ModeTrace fall_back(const ScenarioSpec& given, const std::string& mode, const std::string& why, const TraceRequest& req) {
  const std::string example = std::string(mode_example_file(mode));
  ModeTrace w{mode, given.file, {}, {}, {}, {}};
  const std::filesystem::path fallback = std::filesystem::path(given.file).parent_path() / (example + ".yaml");
  if (!std::filesystem::exists(fallback)) {
    w.note = why + " (and no " + example + ".yaml next to it)";
    return w;
  }
  ScenarioSpec other = scenario::read_scenario(fallback.string());
  for (const Finding& f : scenario::validate(other))
    if (f.severity == Finding::Severity::Error) {
      w.note = why + "; " + example + ".yaml next to it has an error: " + f.message;
      return w;
    }
  TraceRequest r = req;
  const bool has_client = std::any_of(other.workload.clients.begin(), other.workload.clients.end(),
                                      [&](const ClientSpec& c) { return c.name == r.client || c.host == r.client; });
  if (!has_client) r.client.clear();
  w.file = fallback.string();
  w.note = why + "; walked in " + example + ".yaml instead";
  w.trace = trace_request(other, r);
  w.spec = std::move(other);
  return w;
}

ModeTrace trace_mode(const ScenarioSpec& given, const std::string& mode, const TraceRequest& req) {
  ModeVariant v = derive_mode_variant(given, scenario::method_named(mode));
  const std::string why = given.name + " does not suit " + mode + ": ";
  if (!v.spec) return fall_back(given, mode, why + v.reason, req);
  if (const std::string error = new_error(*v.spec, given); !error.empty()) {
    std::string tried = " (derived: ";
    for (std::size_t i = 0; i < v.changes.size(); ++i) tried += (i == 0 ? "" : "; ") + v.changes[i];
    return fall_back(given, mode, why + error + (v.changes.empty() ? "" : tried + ")"), req);
  }
  ModeTrace w{mode, given.file, derived_note(given, mode, v.changes), v.changes, {}, {}};
  w.trace = trace_request(*v.spec, req);
  w.spec = std::move(v.spec);
  return w;
}

}  // namespace

std::vector<ModeTrace> trace_modes(const ScenarioSpec& spec, const std::vector<std::string>& modes,
                                   const TraceRequest& req) {
  for (const std::string& m : modes) mode_example_file(m);  // every name checked before any run
  std::vector<ModeTrace> out;
  for (const std::string& m : modes) {
    out.push_back(trace_mode(spec, m, req));
    if (req.interrupt != nullptr && req.interrupt->load()) break;  // the walks so far
  }
  return out;
}

std::vector<ModeTrace> trace_modes(const std::string& path, const std::vector<std::string>& overrides,
                                   const std::vector<std::string>& modes, const TraceRequest& req) {
  for (const std::string& m : modes) mode_example_file(m);  // before reading: the name is the first error
  return trace_modes(scenario::read_scenario(path, overrides), modes, req);
}

}  // namespace lvs::run
