#pragma once
// Internal to the scenario reader (scenario_reader*.cpp, distribution_reader.cpp): the
// sections of a scenario file and the small reading helpers they share. Every read goes
// through Cursor, so each bad value is reported at its key (see yaml_reader.hpp).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/distribution.hpp"
#include "scenario/scenario_spec.hpp"
#include "scenario/yaml_reader.hpp"

namespace lvs::scenario::reader {

/// The key path and position of `c`.
Origin origin_of(const Cursor& c);

/// A non-empty string under `key` (names of hosts, segments, services...).
std::string required_name(const Cursor& map, std::string_view key);

/// The items of the list under `key`, which must hold at least one `noun` ("host").
std::vector<Cursor> required_items(const Cursor& map, std::string_view key, std::string_view noun);
/// The items of the list under `key`; none if the key is absent.
std::vector<Cursor> optional_items(const Cursor& map, std::string_view key);

/// An integer under `key` in min..max (as an unsigned field), or `fallback` if absent.
template <class U>
U optional_count(const Cursor& map, std::string_view key, U fallback, std::int64_t min, std::int64_t max) {
  return static_cast<U>(map.optional<std::int64_t>(key, static_cast<std::int64_t>(fallback), Range{min, max}));
}

/// A port 1..65535 under `key`, or `fallback`.
std::uint16_t optional_port(const Cursor& map, std::string_view key, std::uint16_t fallback);

/// A duration > 0 under `key`, or `fallback` if absent.
Time positive_duration(const Cursor& map, std::string_view key, Time fallback);

/// `protocol: tcp|udp`, default tcp.
Protocol read_protocol(const Cursor& map);

/// "tcp" or "udp".
std::string protocol_name(Protocol protocol);

/// Refuses a map that has both `a` and `b` (or, if `one_required`, neither), at the map;
/// `why` explains the choice ("a client is open loop (arrivals) or closed loop (users)").
void exactly_one_of(const Cursor& map, std::string_view a, std::string_view b, std::string_view why,
                    bool one_required = true);

/// `c`'s value if it is one of `names`; else an error naming `what` ("scheduler"), the
/// closest name and every registered one.
std::string read_registered(const Cursor& c, std::string_view what, const std::vector<std::string>& names);

/// A registered scheduler's name; an unknown one is an error listing the registered ones.
std::string read_scheduler(const Cursor& c);

/// A fwmark service's `fwmark` and `mark` keys (scenario_reader_fwmark.cpp): false, with
/// nothing read, if the service has no `fwmark` (it has a vip and port).
bool read_fwmark(const Cursor& service, ServiceSpec& s);
/// A host's `loopback` list: addresses (or /32) to `loopback`, wider prefixes to `loopback_prefixes`.
void read_loopback(const Cursor& host, HostSpec& h);

/// A destination's settings but `server` and `address` (`port`, `method`, `weight`,
/// thresholds, `initially`): of a `destinations` item or of a group.
void read_destination_settings(const Cursor& c, DestinationSpec& d);
/// A server application's settings but `host(s)`, `protocol` and `port` (`workers`,
/// `backlog`, `max_connections`, `service_time`, `response_size`, `mount`): of a `servers`
/// entry or of a group.
void read_app_settings(const Cursor& c, ServerAppSpec& a);

/// A host's `sysctl` map, refusing IPVS sysctls on a non-director and TCP ones on a host
/// without TCP; `h.kind` and `h.name` must be set.
void read_host_sysctl(const Cursor& host, HostSpec& h);
/// An interface's `address`: an address with its prefix length (a bare address is an error).
Ipv4Prefix read_primary_address(const Cursor& iface);
/// The list of addresses under `key` (`tunnel`); none if the key is absent.
std::vector<Ipv4Address> read_addresses(const Cursor& c, std::string_view key);

/// What a service's groups add outside the service: hosts (after the topology's) and server
/// applications (after the `servers` entries).
struct GroupMembers {
  std::vector<HostSpec> hosts;
  std::vector<ServerAppSpec> apps;
};
/// A service's `groups` (scenario_reader_groups.cpp): each group's destinations appended to
/// `s.destinations` and recorded in `s.groups`, the group's item appended to `checks_from`
/// once per destination (its `checks`), its hosts and application to `members`.
void read_groups(const Cursor& service, ServiceSpec& s, std::vector<Cursor>& checks_from, GroupMembers& members);

/// The `topology` section.
TopologySpec read_topology(const Cursor& topology);

/// The `workload` section.
WorkloadSpec read_workload(const Cursor& workload);

/// `workload.content`: the catalogue of files requests name.
ContentSpec read_content(const Cursor& content);
/// One entry of `storage` (an NFS server).
StorageSpec read_storage(const Cursor& storage);
/// `servers[].mount`: `from: SERVER:/EXPORT`, `at`, `options` (mount -o), `page_cache`.
MountSpec read_mount(const Cursor& mount);

/// The `events` section, checked against `services`: each event names a service and one of
/// its destinations, events are in time order, and each add, edit or remove finds the
/// destination absent or present as it must be.
std::vector<EventSpec> read_events(const Cursor& events, const std::vector<ServiceSpec>& services);

/// A distribution of durations (`Unit` = Time, samples in seconds) or of sizes (`Unit` = ByteSize,
/// samples in bytes): a scalar is a constant; a map names `distribution` and its parameters.
template <class Unit>
Distribution read_distribution(const Cursor& c);

/// read_distribution<Unit> of the value under `key`, or `fallback` if the key is absent.
template <class Unit>
Distribution optional_distribution(const Cursor& map, std::string_view key, const Distribution& fallback) {
  const std::optional<Cursor> value = map.find(key);
  return value ? read_distribution<Unit>(*value) : fallback;
}

}  // namespace lvs::scenario::reader
