#pragma once
// What each what-if control does to a scenario's text: the edit a user would make by hand in
// the YAML, found by the key paths the spec's items came from, so that the editor shows it,
// undo takes it back, and the saved file reads back as what was run.

#include <cstddef>
#include <cstdint>
#include <string>

#include "scenario/scenario_spec.hpp"
#include "scenario/scenario_text.hpp"

namespace lvs::gui {

/// `scheduler:` of every service (ipvsadm -E -s).
void edit_scheduler(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, const std::string& name);
/// The first client's arrival rate: a single rate becomes `rate`; a profile's steps are all
/// scaled by rate / (its first step's rate), keeping its shape.
void edit_rate(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, double rate);
/// `method:` of every destination of every service ("nat", "dr", "tun", "fullnat").
void edit_method(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, const std::string& method);
/// `weight:` of destination `destination` of the first service.
void edit_weight(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, std::size_t destination,
                 std::uint32_t weight);
/// The first service's `persistent:` (seconds) and `netmask:`, or neither when `on` is false.
void edit_persistence(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, bool on,
                      std::uint32_t timeout_s, const std::string& netmask);
/// The number of destinations (and real servers) of the first service.
void edit_servers(scenario::ScenarioText& text, std::size_t count);

/// A number as a scenario file writes it: the shortest text that reads back exactly ("250",
/// "12.5").
std::string number_text(double v);

}  // namespace lvs::gui
