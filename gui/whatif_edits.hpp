#pragma once
// What each what-if control does to a scenario's text: the edit a user would make by hand in
// the YAML, found by the key paths the spec's items came from, so that the editor shows it,
// undo takes it back, and the saved file reads back as what was run.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario_spec.hpp"
#include "scenario/scenario_text.hpp"

namespace lvs::gui {

/// `scheduler:` of service `service` (ipvsadm -E -s); the per-service edits below throw
/// std::invalid_argument when the scenario has no such service.
void edit_scheduler(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, std::size_t service,
                    const std::string& name);
/// The first client's arrival rate: a single rate becomes `rate`; a profile's steps are all
/// scaled by rate / (its first step's rate), keeping its shape.
void edit_rate(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, double rate);
/// `method:` of every destination of every service ("nat", "dr", "tun", "fullnat").
void edit_method(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, const std::string& method);
/// `weight:` of destination `destination` of service `service`.
void edit_weight(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, std::size_t service,
                 std::size_t destination, std::uint32_t weight);
/// Service `service`'s `persistent:` (seconds) and `netmask:`, or neither when `on` is false.
void edit_persistence(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, std::size_t service, bool on,
                      std::uint32_t timeout_s, const std::string& netmask);
/// The number of destinations (and real servers) of service `service`.
void edit_servers(scenario::ScenarioText& text, std::size_t service, std::size_t count);

/// A failure on the scenario's timeline and its repair, as the what-if panel sets them.
struct InjectedFailure {
  std::string action;     ///< "crash" (a host), "stop" (its service), "link-down" (a link or HOST/IFACE)
  std::string component;  ///< the host, link or HOST/IFACE
  double at_s = 0;
  std::optional<double> repair_s;  ///< its recover, start or link-up; nullopt: never in the run
};
/// The first failure of `spec`'s timeline and its repair (the first later repair of the same
/// component), or nullopt.
std::optional<InjectedFailure> first_failure(const scenario::ScenarioSpec& spec);
/// What the panel offers to fail: each director, real server and storage host crashed, each
/// real server's service stopped, each point-to-point link and each director's cable down.
std::vector<InjectedFailure> failure_choices(const scenario::ScenarioSpec& spec);
/// Replaces first_failure() (both its entries) in the timeline by `failure`, or removes it
/// when nullopt; each new entry goes where the timeline's time order puts it, other entries
/// keep their text.
void edit_failure(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec,
                  const std::optional<InjectedFailure>& failure);
/// Service `service`'s keepalived checking: `health_check` with delay_loop and the check's
/// retry and connect_timeout (a TCP_CHECK is added if it has none), inhibit_on_failure set
/// or removed; or no `health_check` at all when `on` is false.
void edit_health_check(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, std::size_t service, bool on,
                       double delay_loop_s, std::uint32_t retry, double connect_timeout_s, bool inhibit);
/// Service `service` of `spec`; throws std::invalid_argument when there is none.
const scenario::ServiceSpec& service_at(const scenario::ScenarioSpec& spec, std::size_t service);
/// `advert_int` of every VRRP instance.
void edit_advert_int(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, double advert_int_s);

/// The first storage entry's kind: "nfs" (an NFS server on `host`) and "rsync" (local copies
/// pushed from `source`) turn into each other on the same host; the keys only the old kind
/// takes are dropped. Other changes need hosts the scenario lacks: std::invalid_argument.
void edit_storage_kind(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, const std::string& kind);

/// A number as a scenario file writes it: the shortest text that reads back exactly ("250",
/// "12.5").
std::string number_text(double v);

}  // namespace lvs::gui
