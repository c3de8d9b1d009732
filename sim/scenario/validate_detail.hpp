#pragma once
// Internal to validate(): the index of names and addresses the checks look things up in, the
// collector of findings, and the groups of checks (one file each):
//   validate_topology.cpp  names, attachments, addresses, MACs, gateways and routes
//   validate_services.cpp  services, destinations, director profiles, server apps, clients
//   validate_fullnat.cpp   FULLNAT local addresses, flavours and Alibaba's port sysctls
//   validate_reach.cpp     L2 connectivity (Boost.Graph) and the routing walk of each client
//   validate_warnings.cpp  configurations that run but misbehave (ARP, NAT replies, listeners)
//   validate_capacity.cpp  estimates that the workload outgrows: TUN MTU, FULLNAT ports, NAT CPU
//   validate_storage.cpp   storage servers, mounts and the content they serve

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario_spec.hpp"

namespace lvs::scenario::checks {

/// Findings in the order the checks make them; sorted() puts them in the order validate() returns.
class Findings {
 public:
  explicit Findings(const ScenarioSpec& spec) : spec_(spec) {}
  /// Records an error at `at`.
  void error(const Origin& at, std::string message);
  /// Records a warning at `at`.
  void warning(const Origin& at, std::string message);
  /// Errors, then warnings, each in file order (a value set with --set sorts where its parent is).
  std::vector<Finding> sorted() const;

 private:
  Position sort_position(const Origin& origin) const;
  const ScenarioSpec& spec_;
  std::vector<Finding> found_;
};

/// An interface and its host, by index into the topology.
struct Attachment {
  const HostSpec* host = nullptr;
  const InterfaceSpec* iface = nullptr;
};

/// Names and addresses of a spec. Where a name is used twice, lookups find the first.
class SpecIndex {
 public:
  explicit SpecIndex(const ScenarioSpec& spec);

  const ScenarioSpec& spec() const { return spec_; }
  /// The origin of `key` (a key or "key[i]") under `item`, at its own position when the file has one;
  /// `item` itself when the file leaves the key out (a default is at fault).
  Origin key(const Origin& item, std::string_view key) const;

  /// The host called `name`, or nullptr.
  const HostSpec* host(std::string_view name) const;
  /// Whether `name` is a segment (not a link).
  bool is_segment(std::string_view name) const;
  /// Whether `name` is a link.
  bool is_link(std::string_view name) const;
  /// Whether `iface` plugs into something that exists: its `segment` a segment, or its `link` a link.
  bool plugged(const InterfaceSpec& iface) const;
  /// The plugged interfaces of the segment or link `name`, in file order.
  const std::vector<Attachment>& attached(std::string_view name) const;
  /// "segment lan" or "link uplink".
  std::string l2_label(std::string_view name) const;

  /// The first host with `address` on an interface (primary, secondary or a client's sources), or nullptr.
  const HostSpec* owner(Ipv4Address address) const;
  /// Every host with `address` on an interface, in file order (one, unless addresses clash).
  std::vector<const HostSpec*> holders(Ipv4Address address) const;
  /// The first host other than `from`, in file order, plugged into the segment or link `l2`
  /// and having `address` on an interface, or nullptr.
  const HostSpec* neighbour(std::string_view l2, const HostSpec& from, Ipv4Address address) const;
  /// The server applications that list host `name`, in file order.
  const std::vector<const ServerAppSpec*>& apps_on(std::string_view name) const;
  /// The first service whose VIP is `address`, or nullptr.
  const ServiceSpec* service_with_vip(Ipv4Address address) const;

 private:
  const ScenarioSpec& spec_;
  std::map<std::string, const HostSpec*, std::less<>> hosts_;
  std::map<std::string, bool, std::less<>> l2_;  // name -> is a segment
  std::map<std::string, std::vector<Attachment>, std::less<>> attached_;
  // Every address range a host holds (an interface's primary address and its sources, each
  // secondary address), by first address; reach_[k] is the largest `last` of ranges_[0..k],
  // so a lookup walks back from the address only while some range can still contain it:
  // O(log N) plus the holders when no ranges overlap.
  struct AddressRange {
    std::uint64_t first = 0, last = 0;
    std::size_t host = 0;  // index in topology.hosts
  };
  std::vector<AddressRange> ranges_;
  std::vector<std::uint64_t> reach_;
  std::map<std::string, std::vector<const ServerAppSpec*>, std::less<>> apps_;
};

// --- facts about one host ---

/// The segment or link an interface plugs into.
const std::string& l2_of(const InterfaceSpec& iface);
/// Whether `address` is on one of `host`'s interfaces (primary, secondary, or within its sources).
bool has_address(const HostSpec& host, Ipv4Address address);
/// Whether `address` is in a subnet of one of `host`'s interfaces (primary or secondary prefix).
bool on_link(const HostSpec& host, Ipv4Address address);
/// The connected subnets of `host`: "10.0.0.0/24, 192.168.1.0/24".
std::string subnets_of(const HostSpec& host);
/// The primary address of the first interface (what a destination defaults to).
Ipv4Address primary_address(const HostSpec& host);
/// ip_forward as the host has it: the sysctl if set, else on for routers only.
bool forwards(const HostSpec& host);
/// "router r1", "client c1", "real server s1".
std::string label(const HostSpec& host);
/// "tcp/192.168.10.100:80".
std::string endpoint(Protocol protocol, Ipv4Address address, std::uint16_t port);

/// Where a packet for `destination` leaves `host`: through `iface` to `next_hop` (the
/// destination itself when it is on-link). nullopt if no route matches.
struct RouteChoice {
  const InterfaceSpec* iface = nullptr;  ///< nullptr: the gateway is not on-link
  Ipv4Address next_hop;
};
std::optional<RouteChoice> route(const HostSpec& host, Ipv4Address destination);

// --- the groups of checks ---

void check_topology(const SpecIndex& index, Findings& out);
void check_services(const SpecIndex& index, Findings& out);
void check_fullnat(const SpecIndex& index, Findings& out);
void check_workload(const SpecIndex& index, Findings& out);
void check_reachability(const SpecIndex& index, Findings& out);
void check_warnings(const SpecIndex& index, Findings& out);
void check_capacity(const SpecIndex& index, Findings& out);
void check_failover(const SpecIndex& index, Findings& out);
void check_storage(const SpecIndex& index, Findings& out);
void check_fwmark(const SpecIndex& index, Findings& out);
/// Whether client `c`'s packets (protocol, target, port) go to service `s`: its VIP:port, or
/// for a fwmark service one of its mark rules (validate_fwmark.cpp).
bool service_takes(const ServiceSpec& s, const ClientSpec& c);
/// `spec` with each VRRP instance's virtual addresses on its expected master's interface, as
/// keepalived configures them at start-up; the other checks see the cluster so.
ScenarioSpec with_vrrp_addresses(const ScenarioSpec& spec);

}  // namespace lvs::scenario::checks
