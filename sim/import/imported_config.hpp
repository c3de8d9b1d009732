#pragma once
// What a keepalived.conf, an ipvsadm-save file or an ldirectord.cf says, typed but not yet
// a scenario: addresses rather than host names, one director per file. to_scenario.hpp
// turns several of them (a VRRP pair) into one ScenarioSpec.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "import/import_diagnostics.hpp"
#include "net/address.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::import {

/// real_server IP PORT (ipvsadm -a -r; ldirectord real=).
struct ImportedReal {
  SourceLine at;
  Ipv4Address address;
  std::uint16_t port = 0;
  std::optional<scenario::Method> method;  ///< unset: the virtual server's
  std::uint32_t weight = 1;
  std::uint32_t u_threshold = 0;
  std::uint32_t l_threshold = 0;
  bool inhibit_on_failure = false;
  std::vector<scenario::CheckSpec> checks;
};

/// A virtual service of one director, however the source spelled it.
struct ImportedService {
  SourceLine at;
  scenario::Protocol protocol = scenario::Protocol::Tcp;
  Ipv4Address vip;
  std::uint16_t port = 0;
  std::string scheduler = "wlc";
  std::vector<std::string> sched_flags;
  scenario::Method method = scenario::Method::Nat;  ///< keepalived's default (lb_kind unset)
  std::optional<Time> persistent;
  Ipv4Address netmask{0xffffffffU};
  std::vector<Ipv4Address> local_addresses;  ///< FULLNAT (Alibaba local_address_group)
  std::optional<scenario::HealthCheckSpec> health_check;  ///< set by keepalived and ldirectord
  std::optional<std::pair<Ipv4Address, std::uint16_t>> sorry_server;
  std::vector<ImportedReal> reals;
};

/// One keepalived.conf (with its includes): one director's view.
struct KeepalivedConfig {
  std::string file;                      ///< the main file, as given
  std::string router_id;                 ///< global_defs router_id ("" if none)
  std::optional<int> vrrp_version;       ///< global_defs vrrp_version
  std::optional<Time> garp_master_delay;     ///< global_defs vrrp_garp_master_delay
  std::optional<std::uint32_t> garp_master_repeat;
  std::optional<scenario::SyncDaemonSpec> sync_daemon;  ///< global_defs lvs_sync_daemon
  SourceLine sync_daemon_at;
  /// Each with exactly one member: this director's side. Fields the file leaves out keep
  /// the defaults of VrrpInstanceSpec; `explicit_version`/`explicit_garp` tell which were set.
  struct Instance {
    SourceLine at;
    scenario::VrrpInstanceSpec spec;
    bool explicit_version = false;
    bool explicit_garp_delay = false;
    bool explicit_garp_repeat = false;
  };
  std::vector<Instance> instances;
  std::vector<scenario::VrrpSyncGroupSpec> sync_groups;
  std::vector<SourceLine> sync_group_at;
  std::vector<scenario::VrrpScriptSpec> scripts;
  std::vector<SourceLine> script_at;
  std::vector<ImportedService> services;
};

}  // namespace lvs::import
