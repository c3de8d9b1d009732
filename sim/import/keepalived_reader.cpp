// keepalived.conf's top level, global_defs and the VRRP blocks (vrrp/vrrp_parser.c,
// core/global_parser.c of keepalived 2.2.7). virtual_server is in keepalived_reader_lvs.cpp.

#include "import/keepalived_reader.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "import/keepalived_reader_detail.hpp"
#include "scenario/units.hpp"

namespace lvs::import {

namespace detail {

std::string nearest(std::string_view word, std::initializer_list<std::string_view> known) {
  std::string best;
  std::size_t best_d = 3;
  for (std::string_view k : known) {
    std::vector<std::size_t> row(k.size() + 1);
    for (std::size_t j = 0; j <= k.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= k.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (word[i - 1] == k[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    if (row[k.size()] < best_d) best_d = row[k.size()], best = std::string(k);
  }
  return best;
}

std::optional<std::string> Reader::word(const ConfNode& n, std::size_t i) {
  if (i < n.words.size()) return n.words[i];
  warn(n, n.words[0] + " needs a value (skipped)");
  return std::nullopt;
}

std::optional<std::int64_t> Reader::integer(const ConfNode& n, std::size_t i, std::int64_t min, std::int64_t max) {
  const std::optional<std::string> w = word(n, i);
  if (!w) return std::nullopt;
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(w->data(), w->data() + w->size(), v);
  if (ec == std::errc{} && end == w->data() + w->size() && v >= min && v <= max) return v;
  warn(n, n.words[0] + " " + *w + ": expected an integer " + std::to_string(min) + ".." + std::to_string(max) +
              " (skipped)");
  return std::nullopt;
}

std::optional<Time> Reader::seconds(const ConfNode& n, std::size_t i) {
  const std::optional<std::string> w = word(n, i);
  if (!w) return std::nullopt;
  try {
    if (!w->empty() && (std::isdigit(static_cast<unsigned char>(w->back())) || w->back() == '.')) {
      const Time t = parse_time(*w + "s");
      if (t >= Time{}) return t;
    }
  } catch (const std::exception&) {
  }
  warn(n, n.words[0] + " " + *w + ": expected seconds (skipped)");
  return std::nullopt;
}

std::optional<Ipv4Address> Reader::address(const ConfNode& n, std::size_t i) {
  const std::optional<std::string> w = word(n, i);
  if (!w) return std::nullopt;
  if (const auto a = Ipv4Address::parse(*w)) return a;
  warn(n, n.words[0] + " " + *w + ": not an IPv4 address (skipped)");
  return std::nullopt;
}

void Reader::skip(const ConfNode& n, std::string_view block, std::initializer_list<std::string_view> unmodelled,
                  std::initializer_list<std::string_view> known) {
  const std::string& k = n.words[0];
  if (k == "{") return;  // already reported by build_tree
  if (std::find(unmodelled.begin(), unmodelled.end(), k) != unmodelled.end()) {
    warn(n, std::string(block) + ": '" + k + "' is not modelled (skipped)");
    return;
  }
  const std::string hint = nearest(k, known);
  warn(n, std::string(block) + ": unknown keyword '" + k + "'" + (hint.empty() ? "" : ", did you mean '" + hint + "'?") +
              " (skipped)");
}

bool Reader::expects_block(const ConfNode& n, bool block) {
  if (n.has_block == block) return true;
  warn(n, n.words[0] + (block ? " needs a { block } (skipped)" : " takes no { block } (block skipped)"));
  return !block;
}

namespace {

const std::initializer_list<std::string_view> kGlobalKnown = {
    "router_id", "vrrp_version", "vrrp_garp_master_delay", "vrrp_garp_master_repeat", "lvs_sync_daemon",
    "lvs_sync_daemon_interface"};
const std::initializer_list<std::string_view> kGlobalUnmodelled = {
    "notification_email", "notification_email_from", "smtp_server", "smtp_connect_timeout", "smtp_helo_name",
    "enable_script_security", "script_user", "vrrp_mcast_group4", "vrrp_mcast_group6", "lvs_timeouts", "lvs_flush",
    "vrrp_skip_check_adv_addr", "vrrp_strict", "vrrp_garp_interval", "vrrp_gna_interval", "vrrp_garp_master_refresh",
    "vrrp_garp_master_refresh_repeat", "vrrp_priority", "checker_priority", "max_auto_priority", "dynamic_interfaces",
    "enable_traps", "enable_snmp_vrrp", "enable_snmp_checker", "vrrp_check_unicast_src", "vrrp_iptables",
    "vrrp_no_swap", "checker_no_swap", "default_interface", "lvs_flush_onstop", "vrrp_lower_prio_no_advert",
    "vrrp_higher_prio_send_advert", "net_namespace", "instance", "vrrp_notify_fifo", "notify_fifo", "use_pid_dir",
    "vrrp_startup_delay", "vrrp_rx_bufs_policy", "linkbeat_use_polling", "vrrp_min_garp", "smtp_alert"};

}  // namespace

namespace {

// lvs_sync_daemon INTERFACE VRRP_INSTANCE [id SYNCID] [maxlen LEN] [port PORT] [ttl TTL] [group IP]
void read_sync_daemon(Reader& r, const ConfNode& n) {
  scenario::SyncDaemonSpec s;
  const auto iface = r.word(n, 1);
  if (!iface) return;
  s.interface = *iface;
  if (n.words.size() > 2) s.instance = n.words[2];
  for (std::size_t i = 3; i < n.words.size(); i += 2) {
    const std::string& k = n.words[i];
    if (k == "id") {
      if (const auto v = r.integer(n, i + 1, 0, 255)) s.syncid = static_cast<std::uint32_t>(*v);
    } else if (k == "maxlen") {
      if (const auto v = r.integer(n, i + 1, 1, 65507)) s.maxlen = static_cast<std::uint32_t>(*v);
    } else if (k == "port" || k == "ttl" || k == "group") {
      r.warn(n, "lvs_sync_daemon: '" + k + "' is not modelled (skipped)");
    } else {
      r.warn(n, "lvs_sync_daemon: unknown option '" + k + "' (skipped)");
      --i;
    }
  }
  r.config.sync_daemon = s;
  r.config.sync_daemon_at = n.at;
}

}  // namespace

void Reader::global_defs(const ConfNode& n) {
  for (const ConfNode& c : n.block) {
    const std::string& k = c.words[0];
    if (k == "router_id") {
      if (const auto v = word(c, 1)) config.router_id = *v;
    } else if (k == "vrrp_version") {
      if (const auto v = integer(c, 1, 2, 3)) config.vrrp_version = static_cast<int>(*v);
    } else if (k == "vrrp_garp_master_delay") {
      if (const auto v = integer(c, 1, 0, 1000)) config.garp_master_delay = Time::s(*v);
    } else if (k == "vrrp_garp_master_repeat") {
      if (const auto v = integer(c, 1, 1, 1000)) config.garp_master_repeat = static_cast<std::uint32_t>(*v);
    } else if (k == "lvs_sync_daemon") {
      read_sync_daemon(*this, c);
    } else if (k == "lvs_sync_daemon_interface") {
      warn(c, "lvs_sync_daemon_interface is the old form of 'lvs_sync_daemon INTERFACE INSTANCE': read as that");
      if (const auto v = word(c, 1)) {
        config.sync_daemon = config.sync_daemon.value_or(scenario::SyncDaemonSpec{});
        config.sync_daemon->interface = *v;
        config.sync_daemon_at = c.at;
      }
    } else {
      skip(c, "global_defs", kGlobalUnmodelled, kGlobalKnown);
    }
  }
}

namespace {

const std::initializer_list<std::string_view> kInstanceKnown = {
    "state", "interface", "virtual_router_id", "priority", "advert_int", "nopreempt", "preempt_delay",
    "authentication", "virtual_ipaddress", "track_script", "garp_master_delay", "garp_master_repeat",
    "garp_master_refresh", "version"};
const std::initializer_list<std::string_view> kInstanceUnmodelled = {
    "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify_deleted", "smtp_alert",
    "track_interface", "track_file", "track_process", "track_bfd", "unicast_peer", "unicast_src_ip", "mcast_src_ip",
    "dont_track_primary", "virtual_routes", "virtual_rules", "virtual_ipaddress_excluded", "use_vmac",
    "vmac_xmit_base", "native_ipv6", "accept", "no_accept", "strict_mode", "debug", "garp_lower_prio_delay",
    "garp_lower_prio_repeat", "garp_master_refresh_repeat", "higher_prio_send_advert", "lower_prio_no_advert",
    "kernel_rx_buf_size", "skip_check_adv_addr", "check_unicast_src", "unicast_ttl", "down_timer_adverts",
    "lvs_sync_daemon_interface", "promote_secondaries", "linkbeat_use_polling", "notify_master_rx_lower_pri",
    "no_accept", "old_unicast_checksum", "unicast_fault_no_peer", "vrrp_garp_interval"};

void read_authentication(Reader& r, const ConfNode& n, scenario::VrrpInstanceSpec& spec) {
  for (const ConfNode& c : n.block) {
    if (c.words[0] == "auth_type") {
      if (const auto v = r.word(c, 1); v && *v != "PASS")
        r.warn(c, "auth_type " + *v + ": only PASS is modelled; read as PASS");
    } else if (c.words[0] == "auth_pass") {
      if (const auto v = r.word(c, 1)) {
        if (v->size() > 8) r.warn(c, "auth_pass is longer than 8 characters: keepalived uses the first 8, '" +
                                         v->substr(0, 8) + "'");
        spec.auth_pass = v->substr(0, 8);
      }
    } else {
      r.skip(c, "authentication", {}, {"auth_type", "auth_pass"});
    }
  }
}

// virtual_ipaddress { IP[/LEN] [brd IP] [dev IF] [scope S] [label L] }: /32 without a length.
void read_vips(Reader& r, const ConfNode& n, scenario::VrrpInstanceSpec& spec) {
  for (const ConfNode& c : n.block) {
    const auto p = Ipv4Prefix::parse(c.words[0]);
    if (!p) {
      r.warn(c, "virtual_ipaddress: '" + c.words[0] + "' is not an IPv4 address (skipped)");
      continue;
    }
    if (c.words.size() > 1) {
      std::string rest;
      for (std::size_t i = 1; i < c.words.size(); ++i) rest += " " + c.words[i];
      r.warn(c, "virtual_ipaddress " + c.words[0] + ":" + rest + ": only the address is modelled");
    }
    spec.virtual_ipaddress.push_back(*p);
  }
}

void read_track_scripts(Reader& r, const ConfNode& n, scenario::VrrpMemberSpec& m) {
  for (const ConfNode& c : n.block) {
    scenario::VrrpTrackSpec t{c.words[0], std::nullopt};
    if (c.words.size() >= 3 && c.words[1] == "weight") {
      if (const auto w = r.integer(c, 2, -253, 253)) t.weight = static_cast<int>(*w);
      if (c.words.size() > 3) r.warn(c, "track_script " + c.words[0] + ": '" + c.words[3] + "' is not modelled");
    } else if (c.words.size() > 1) {
      r.warn(c, "track_script " + c.words[0] + ": expected 'weight N' after the name (rest skipped)");
    }
    m.track_scripts.push_back(t);
  }
}

// The keys of vrrp_instance that belong to the instance (the same on every director).
bool read_instance_key(Reader& r, const ConfNode& c, KeepalivedConfig::Instance& in) {
  scenario::VrrpInstanceSpec& s = in.spec;
  const std::string& k = c.words[0];
  if (k == "virtual_router_id") {
    if (const auto v = r.integer(c, 1, 1, 255)) s.virtual_router_id = static_cast<std::uint32_t>(*v);
  } else if (k == "advert_int") {
    if (const auto v = r.seconds(c, 1)) s.advert_int = *v;
  } else if (k == "version") {
    if (const auto v = r.integer(c, 1, 2, 3)) s.version = static_cast<int>(*v), in.explicit_version = true;
  } else if (k == "garp_master_delay") {
    if (const auto v = r.integer(c, 1, 0, 1000)) s.garp_master_delay = Time::s(*v), in.explicit_garp_delay = true;
  } else if (k == "garp_master_repeat") {
    if (const auto v = r.integer(c, 1, 1, 1000))
      s.garp_master_repeat = static_cast<std::uint32_t>(*v), in.explicit_garp_repeat = true;
  } else if (k == "garp_master_refresh") {
    if (const auto v = r.integer(c, 1, 0, 100000)) s.garp_master_refresh = Time::s(*v);
  } else if (k == "authentication") {
    if (r.expects_block(c, true)) read_authentication(r, c, s);
  } else if (k == "virtual_ipaddress") {
    if (r.expects_block(c, true)) read_vips(r, c, s);
  } else {
    return false;
  }
  return true;
}

// The keys that belong to this director's member.
bool read_member_key(Reader& r, const ConfNode& c, scenario::VrrpMemberSpec& m) {
  const std::string& k = c.words[0];
  if (k == "state") {
    const auto v = r.word(c, 1);
    if (v == "MASTER") m.state = scenario::VrrpInitialState::Master;
    else if (v == "BACKUP") m.state = scenario::VrrpInitialState::Backup;
    else if (v) r.warn(c, "state " + *v + ": keepalived knows MASTER and BACKUP (upper case); read as BACKUP");
  } else if (k == "interface") {
    if (const auto v = r.word(c, 1)) m.interface = *v;
  } else if (k == "priority") {
    if (const auto v = r.integer(c, 1, 1, 255)) m.priority = static_cast<std::uint32_t>(*v);
  } else if (k == "nopreempt") {
    m.nopreempt = true;
  } else if (k == "preempt") {
    m.nopreempt = false;
  } else if (k == "preempt_delay") {
    if (const auto v = r.seconds(c, 1)) m.preempt_delay = *v;
  } else if (k == "track_script") {
    if (r.expects_block(c, true)) read_track_scripts(r, c, m);
  } else {
    return false;
  }
  return true;
}

}  // namespace

void Reader::vrrp_instance(const ConfNode& n) {
  const auto name = word(n, 1);
  if (!name || !expects_block(n, true)) return;
  KeepalivedConfig::Instance in;
  in.at = n.at;
  in.spec.name = *name;
  in.spec.members.emplace_back();
  for (const ConfNode& c : n.block)
    if (!read_instance_key(*this, c, in) && !read_member_key(*this, c, in.spec.members[0]))
      skip(c, "vrrp_instance", kInstanceUnmodelled, kInstanceKnown);
  if (in.spec.virtual_router_id == 0) warn(n, "vrrp_instance " + *name + " has no virtual_router_id (keepalived refuses it)");
  config.instances.push_back(std::move(in));
}

void Reader::vrrp_sync_group(const ConfNode& n) {
  const auto name = word(n, 1);
  if (!name || !expects_block(n, true)) return;
  scenario::VrrpSyncGroupSpec g;
  g.name = *name;
  for (const ConfNode& c : n.block) {
    if (c.words[0] == "group" && expects_block(c, true)) {
      for (const ConfNode& member : c.block)
        for (const std::string& w : member.words) g.instances.push_back(w);
    } else if (c.words[0] != "group") {
      skip(c, "vrrp_sync_group",
           {"notify", "notify_master", "notify_backup", "notify_fault", "notify_stop", "smtp_alert", "global_tracking",
            "sync_group_tracking_weight", "track_interface", "track_script", "track_file", "track_process", "track_bfd"},
           {"group"});
    }
  }
  config.sync_groups.push_back(std::move(g));
  config.sync_group_at.push_back(n.at);
}

namespace {

// What a script stands for: the forms `lvslab export` writes, else a warning and the default.
std::string script_check(Reader& r, const ConfNode& n, const std::string& script) {
  const std::string sys = "/sys/class/net/";
  if (const std::size_t at = script.find(sys); at != std::string::npos) {
    const std::size_t end = script.find('/', at + sys.size());
    if (end != std::string::npos && script.compare(end, 10, "/operstate") == 0)
      return "interface " + script.substr(at + sys.size(), end - at - sys.size());
  }
  if (const std::size_t at = script.find("nc -z "); at != std::string::npos) {
    const std::size_t last = script.find_last_of(' ');
    return "service " + script.substr(last + 1);
  }
  r.warn(n, "vrrp_script: script \"" + script + "\" is not run by the model; it stands for 'interface eth0' (carrier up)");
  return "interface eth0";
}

}  // namespace

void Reader::vrrp_script(const ConfNode& n) {
  const auto name = word(n, 1);
  if (!name || !expects_block(n, true)) return;
  scenario::VrrpScriptSpec s;
  s.name = *name;
  s.check.clear();
  for (const ConfNode& c : n.block) {
    const std::string& k = c.words[0];
    if (k == "script") {
      std::string script;
      for (std::size_t i = 1; i < c.words.size(); ++i) script += (i > 1 ? " " : "") + c.words[i];
      if (script.empty()) warn(c, "script needs a command (skipped)");
      else s.check = script_check(*this, c, script);
    } else if (k == "interval") {
      if (const auto v = seconds(c, 1)) s.interval = *v;
    } else if (k == "rise") {
      if (const auto v = integer(c, 1, 1, 1000000)) s.rise = static_cast<std::uint32_t>(*v);
    } else if (k == "fall") {
      if (const auto v = integer(c, 1, 1, 1000000)) s.fall = static_cast<std::uint32_t>(*v);
    } else if (k == "weight") {
      if (const auto v = integer(c, 1, -253, 253)) s.weight = static_cast<int>(*v);
      if (c.words.size() > 2) warn(c, "weight: '" + c.words[2] + "' is not modelled (skipped)");
    } else {
      skip(c, "vrrp_script", {"timeout", "user", "init_fail"}, {"script", "interval", "rise", "fall", "weight"});
    }
  }
  if (s.check.empty()) {
    warn(n, "vrrp_script " + *name + " has no script; it stands for 'interface eth0' (carrier up)");
    s.check = "interface eth0";
  }
  config.scripts.push_back(std::move(s));
  config.script_at.push_back(n.at);
}

}  // namespace detail

KeepalivedConfig read_keepalived_tree(const std::vector<ConfNode>& root, const std::string& file,
                                      Diagnostics& diagnostics) {
  detail::Reader r{diagnostics};
  r.config.file = file;
  // Groups first: a virtual_server may name one defined further down.
  for (const ConfNode& n : root)
    if (n.words[0] == "virtual_server_group" && r.word(n, 1) && r.expects_block(n, true)) r.server_groups[n.words[1]] = &n;
    else if (n.words[0] == "local_address_group") r.local_address_group(n);
  for (const ConfNode& n : root) {
    const std::string& k = n.words[0];
    if (k == "global_defs") {
      if (r.expects_block(n, true)) r.global_defs(n);
    } else if (k == "vrrp_instance") {
      r.vrrp_instance(n);
    } else if (k == "vrrp_sync_group") {
      r.vrrp_sync_group(n);
    } else if (k == "vrrp_script") {
      r.vrrp_script(n);
    } else if (k == "virtual_server") {
      r.virtual_server(n);
    } else if (k != "virtual_server_group" && k != "local_address_group") {
      r.skip(n, "top level",
             {"static_ipaddress", "static_routes", "static_rules", "linkbeat_interfaces", "track_file",
              "track_process", "bfd_instance", "garp_group", "static_track_group", "vrrp_track_file", "net_namespace"},
             {"global_defs", "vrrp_instance", "vrrp_sync_group", "vrrp_script", "virtual_server",
              "virtual_server_group", "include"});
    }
  }
  return std::move(r.config);
}

KeepalivedConfig read_keepalived(const std::string& file, Diagnostics& diagnostics, const LexLimits& limits) {
  const std::vector<ConfLine> lines = lex_keepalived(file, diagnostics, limits);
  const std::vector<ConfNode> root = build_tree(lines, diagnostics);
  return read_keepalived_tree(root, file, diagnostics);
}

}  // namespace lvs::import
