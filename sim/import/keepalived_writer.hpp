#pragma once
// A scenario back into the files a director is configured with: keepalived.conf (one per
// director: each member of a VRRP pair has its own state, priority and router_id) and
// `ipvsadm-save -n` text (the director's virtual services; the thresholds are not saved,
// as ipvsadm -S does not save them). Reading these files back with lvslab import gives the
// same scenario (the fixed point tests/import checks).

#include <string>
#include <vector>

#include "scenario/scenario_spec.hpp"

namespace lvs::import {

/// The directors that have a service or a VRRP member, in host order.
std::vector<std::string> exported_directors(const scenario::ScenarioSpec& spec);

/// keepalived.conf of `director`: global_defs (router_id, lvs_sync_daemon), vrrp_script,
/// vrrp_sync_group, its vrrp_instance members, its virtual_server blocks.
std::string keepalived_conf(const scenario::ScenarioSpec& spec, const std::string& director);

/// `ipvsadm -S -n` of `director`'s services.
std::string ipvsadm_save_n(const scenario::ScenarioSpec& spec, const std::string& director);

/// FILE for one director, FILE with "-DIRECTOR" before its extension for several
/// ("keepalived.conf" -> "keepalived-lvs1.conf").
std::string per_director_path(const std::string& file, const std::string& director, bool several);

}  // namespace lvs::import
