// virtual_server, real_server and the checkers (check/check_parser.c and the check_*.c
// parsers of keepalived 2.2.7), virtual_server_group, and the Alibaba fork's
// local_address_group. Checker settings inherit virtual_server -> real_server -> checker.

#include <algorithm>
#include <stdexcept>
#include <string>

#include "import/keepalived_reader_detail.hpp"

namespace lvs::import::detail {

namespace {

using scenario::CheckKind;
using scenario::CheckSpec;
using scenario::Method;

// connect_timeout, retry and delay_before_retry as one level of the inheritance sets them.
struct CheckDefaults {
  std::optional<Time> connect_timeout, delay_before_retry;
  std::optional<std::uint32_t> retry;
};

struct PendingCheck {
  CheckSpec spec;
  CheckDefaults own;
};

struct PendingReal {
  ImportedReal real;
  CheckDefaults defaults;
  std::vector<PendingCheck> checks;
};

// keepalived's schedulers (check_parser.c lvs_schedulers).
const std::initializer_list<std::string_view> kSchedulers = {"rr",  "wrr", "lc", "wlc", "lblc", "sh", "mh",
                                                                 "dh",  "fo",  "ovf", "lblcr", "sed", "nq"};

// Reads connect_timeout, retry (or nb_get_retry), delay_before_retry into `d`; false for other keys.
bool read_check_default(Reader& r, const ConfNode& c, CheckDefaults& d) {
  const std::string& k = c.words[0];
  if (k == "connect_timeout") {
    if (const auto v = r.seconds(c, 1)) d.connect_timeout = *v;
  } else if (k == "retry" || k == "nb_get_retry") {
    if (k == "nb_get_retry") r.warn(c, "nb_get_retry is the old name of 'retry': read as retry");
    if (const auto v = r.integer(c, 1, 0, 1000000)) d.retry = static_cast<std::uint32_t>(*v);
  } else if (k == "delay_before_retry") {
    if (const auto v = r.seconds(c, 1)) d.delay_before_retry = *v;
  } else {
    return false;
  }
  return true;
}

// lb_kind / lvs_method NAT|DR|TUN, compared case-sensitively as keepalived does (strcmp in
// check_parser.c); FNAT is the Alibaba fork's. nullopt leaves the method as it was.
std::optional<Method> read_method(Reader& r, const ConfNode& c, std::string_view what) {
  const auto v = r.word(c, 1);
  if (!v) return std::nullopt;
  if (*v == "NAT") return Method::Nat;
  if (*v == "DR") return Method::Dr;
  if (*v == "TUN") return Method::Tun;
  if (*v == "FNAT") {
    r.warn(c, c.words[0] + " FNAT: the Alibaba LVS keepalived's FULLNAT (mainline keepalived 2.2.7 does not know it): "
                           "read as fullnat");
    return Method::FullNat;
  }
  r.warn(c, c.words[0] + " " + *v + ": keepalived 2.2.7 compares the method case-sensitively (NAT, DR, TUN) and "
                         "ignores '" + *v + "': this " + std::string(what) + " forwards by NAT, as keepalived would run it");
  return Method::Nat;
}

void read_url(Reader& r, const ConfNode& n, CheckSpec& s) {
  for (const ConfNode& c : n.block) {
    const std::string& k = c.words[0];
    if (k == "path") {
      if (const auto v = r.word(c, 1)) s.url_path = *v;
    } else if (k == "status_code") {
      const auto v = r.word(c, 1);
      if (!v) continue;
      const std::size_t dash = v->find('-');
      if (dash != std::string::npos || c.words.size() > 2)
        r.warn(c, "status_code " + *v + ": only one code is modelled; " + v->substr(0, dash) + " is kept");
      try {
        const int code = std::stoi(v->substr(0, dash));
        if (code < 100 || code > 599) throw std::out_of_range("code");
        s.status_code = code;
      } catch (const std::exception&) {
        r.warn(c, "status_code " + *v + ": expected an HTTP status 100..599 (skipped)");
      }
    } else {
      r.skip(c, "url", {"digest", "virtualhost", "regex", "regex_no_match", "regex_options", "regex_stack",
                        "regex_min_offset", "regex_max_offset"},
             {"path", "status_code"});
    }
  }
}

// What a MISC_CHECK script stands for: the forms `lvslab export` writes (true, false, awk
// exiting 0 with probability P), else a warning and success every time.
double misc_success_of(Reader& r, const ConfNode& c, const std::string& script) {
  const std::string program = script.substr(0, script.find(' '));
  const std::string base = program.substr(program.find_last_of('/') + 1);
  if (base == "true" && program == script) return 1.0;
  if (base == "false" && program == script) return 0.0;
  const std::string awk = "BEGIN{srand();exit(rand()>=";
  if (const std::size_t at = script.find(awk); base == "awk" && at != std::string::npos && script.ends_with(")}")) {
    const std::string p = script.substr(at + awk.size(), script.size() - 2 - at - awk.size());
    try {
      std::size_t used = 0;
      const double v = std::stod(p, &used);
      if (used == p.size() && v >= 0.0 && v <= 1.0) return v;
    } catch (const std::exception&) {
    }
  }
  r.warn(c, "misc_path: the script is not run; the check succeeds with probability 1.0");
  return 1.0;
}

std::optional<PendingCheck> read_checker(Reader& r, const ConfNode& n) {
  const std::string& k = n.words[0];
  PendingCheck pc;
  if (k == "TCP_CHECK") pc.spec.kind = CheckKind::Tcp;
  else if (k == "HTTP_GET" || k == "SSL_GET") pc.spec.kind = CheckKind::Http;
  else if (k == "MISC_CHECK") pc.spec.kind = CheckKind::Misc;
  else return std::nullopt;
  if (k == "SSL_GET") r.warn(n, "SSL_GET: read as HTTP_GET (the model has no TLS)");
  if (!r.expects_block(n, true)) return pc;
  for (const ConfNode& c : n.block) {
    const std::string& key = c.words[0];
    if (read_check_default(r, c, pc.own)) continue;
    if (key == "connect_port") {
      if (const auto v = r.integer(c, 1, 1, 65535)) pc.spec.connect_port = static_cast<std::uint16_t>(*v);
    } else if (key == "url" && pc.spec.kind == CheckKind::Http) {
      if (r.expects_block(c, true)) read_url(r, c, pc.spec);
    } else if (key == "misc_timeout" && pc.spec.kind == CheckKind::Misc) {
      if (const auto v = r.seconds(c, 1)) pc.spec.misc_timeout = *v;
    } else if (key == "misc_path" && pc.spec.kind == CheckKind::Misc) {
      if (const auto v = r.word(c, 1)) pc.spec.misc_success = misc_success_of(r, c, *v);
    } else {
      r.skip(c, k,
             {"connect_ip", "bindto", "bind_port", "bind_if", "fwmark", "warmup", "misc_dynamic", "user",
              "log_all_failures", "http_protocol", "virtualhost", "nb_sock_retry", "source_ip", "enable_sni",
              "fast_recovery", "dynamic_weight_factor"},
             {"connect_timeout", "connect_port", "retry", "delay_before_retry", "url", "misc_path", "misc_timeout"});
    }
  }
  return pc;
}

const std::initializer_list<std::string_view> kRealKnown = {
    "weight", "inhibit_on_failure", "uthreshold", "lthreshold", "lb_kind", "lvs_method", "connect_timeout",
    "retry", "delay_before_retry", "TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK"};

std::optional<PendingReal> read_real(Reader& r, const ConfNode& n) {
  const auto ip = r.address(n, 1);
  const auto port = r.integer(n, 2, 0, 65535);
  if (!ip || !port) return std::nullopt;
  PendingReal pr;
  pr.real.at = n.at;
  pr.real.address = *ip;
  pr.real.port = static_cast<std::uint16_t>(*port);
  for (const ConfNode& c : n.block) {
    const std::string& k = c.words[0];
    if (read_check_default(r, c, pr.defaults)) continue;
    if (auto check = read_checker(r, c)) {
      pr.checks.push_back(std::move(*check));
    } else if (k == "weight") {
      if (const auto v = r.integer(c, 1, 0, 65535)) pr.real.weight = static_cast<std::uint32_t>(*v);
    } else if (k == "inhibit_on_failure") {
      pr.real.inhibit_on_failure = true;
    } else if (k == "uthreshold") {
      if (const auto v = r.integer(c, 1, 0, 65535)) pr.real.u_threshold = static_cast<std::uint32_t>(*v);
    } else if (k == "lthreshold") {
      if (const auto v = r.integer(c, 1, 0, 65535)) pr.real.l_threshold = static_cast<std::uint32_t>(*v);
    } else if (k == "lb_kind" || k == "lvs_method") {
      pr.real.method = read_method(r, c, "real server");
    } else {
      r.skip(c, "real_server",
             {"notify_up", "notify_down", "alpha", "delay_loop", "warmup", "smtp_alert", "virtualhost",
              "SMTP_CHECK", "DNS_CHECK", "UDP_CHECK", "PING_CHECK", "FILE_CHECK", "BFD_CHECK"},
             kRealKnown);
    }
  }
  return pr;
}

// The checks of `pr` with their settings resolved from the three levels.
std::vector<CheckSpec> resolve_checks(const PendingReal& pr, const CheckDefaults& vs) {
  std::vector<CheckSpec> out;
  for (const PendingCheck& pc : pr.checks) {
    CheckSpec s = pc.spec;
    const bool http = s.kind == CheckKind::Http;
    s.connect_timeout = pc.own.connect_timeout.value_or(
        pr.defaults.connect_timeout.value_or(vs.connect_timeout.value_or(scenario::kDefaultConnectTimeout)));
    s.retry = pc.own.retry.value_or(pr.defaults.retry.value_or(
        vs.retry.value_or(s.kind == CheckKind::Misc ? 0 : scenario::kDefaultRetry)));
    s.delay_before_retry = pc.own.delay_before_retry.value_or(pr.defaults.delay_before_retry.value_or(
        vs.delay_before_retry.value_or(http ? scenario::kDefaultHttpDelayBeforeRetry : scenario::kDefaultDelayBeforeRetry)));
    out.push_back(s);
  }
  return out;
}

const std::initializer_list<std::string_view> kServerKnown = {
    "delay_loop", "lb_algo", "lvs_sched", "lb_kind", "lvs_method", "persistence_timeout", "persistence_granularity",
    "protocol", "sorry_server", "alpha", "inhibit_on_failure", "connect_timeout", "retry", "delay_before_retry",
    "warmup", "quorum", "hysteresis", "real_server", "laddr_group_name", "hashed", "flag-1", "flag-2", "flag-3", "sh-port", "sh-fallback",
    "mh-port", "mh-fallback"};
const std::initializer_list<std::string_view> kServerUnmodelled = {
    "omega", "quorum_up", "quorum_down", "ha_suspend", "virtualhost", "ops", "ip_family",
    "sorry_server_inhibit", "sorry_server_lvs_method", "smtp_alert", "persistence_engine", "syn_proxy",
    "lvs_timeouts", "nat_mask", "retry_delay", "one_packet_scheduling"};

// Reads one keyword of a virtual_server body into `s` (false: not one of these).
bool read_server_key(Reader& r, const ConfNode& c, ImportedService& s, bool& reject) {
  const std::string& k = c.words[0];
  scenario::HealthCheckSpec& hc = *s.health_check;
  if (k == "delay_loop") {
    if (const auto v = r.seconds(c, 1)) hc.delay_loop = std::max(*v, Time::s(1));
  } else if (k == "lb_algo" || k == "lvs_sched") {
    if (const auto v = r.word(c, 1)) {
      if (std::find(kSchedulers.begin(), kSchedulers.end(), *v) == kSchedulers.end())
        r.warn(c, k + " " + *v + ": not one of keepalived's schedulers (" + "rr wrr lc wlc lblc sh mh dh fo ovf lblcr sed nq); kept");
      s.scheduler = *v;
    }
  } else if (k == "lb_kind" || k == "lvs_method") {
    if (const auto m = read_method(r, c, "virtual server")) s.method = *m;
  } else if (k == "persistence_timeout") {
    if (c.words.size() < 2) s.persistent = Time::s(360);
    else if (const auto v = r.integer(c, 1, 1, 4294967295LL)) s.persistent = Time::s(*v);
  } else if (k == "persistence_granularity") {
    if (const auto a = r.address(c, 1)) s.netmask = *a;
  } else if (k == "protocol") {
    const auto v = r.word(c, 1);
    if (v == "TCP") s.protocol = scenario::Protocol::Tcp;
    else if (v == "UDP") s.protocol = scenario::Protocol::Udp;
    else if (v) r.warn(c, "protocol " + *v + ": only TCP and UDP are modelled; this virtual server is skipped"), reject = true;
  } else if (k == "sorry_server") {
    const auto ip = r.address(c, 1);
    const auto port = r.integer(c, 2, 0, 65535);
    if (ip && port) s.sorry_server = {*ip, static_cast<std::uint16_t>(*port)};
  } else if (k == "alpha") {
    hc.alpha = true;
  } else if (k == "inhibit_on_failure") {
    hc.inhibit_on_failure = true;
  } else if (k == "warmup") {
    if (const auto v = r.seconds(c, 1)) hc.warmup = *v;
  } else if (k == "quorum") {  // check_parser.c quorum_handler: 1..UINT_MAX
    if (const auto v = r.integer(c, 1, 1, 4294967295LL)) hc.quorum = static_cast<std::uint32_t>(*v);
  } else if (k == "hysteresis") {
    if (const auto v = r.integer(c, 1, 0, 4294967295LL)) hc.hysteresis = static_cast<std::uint32_t>(*v);
  } else if (k == "hashed" || k.starts_with("flag-") || k.starts_with("sh-") || k.starts_with("mh-")) {
    if (k == "hashed") r.warn(c, "hashed is not modelled (skipped)");
    else s.sched_flags.push_back(k);
  } else if (k == "laddr_group_name") {
    const auto v = r.word(c, 1);
    const auto g = v ? r.local_address_groups.find(*v) : r.local_address_groups.end();
    if (v && g == r.local_address_groups.end()) r.warn(c, "laddr_group_name " + *v + ": no local_address_group of that name (skipped)");
    else if (v) s.local_addresses = g->second;
  } else {
    return false;
  }
  return true;
}

// The (address, port) pairs of a virtual_server_group: "IP PORT", "IP-LAST PORT" ranges.
std::vector<std::pair<Ipv4Address, std::uint16_t>> group_entries(Reader& r, const ConfNode& g) {
  std::vector<std::pair<Ipv4Address, std::uint16_t>> out;
  for (const ConfNode& c : g.block) {
    if (c.words[0] == "fwmark") {
      r.warn(c, "virtual_server_group " + g.words[1] + ": fwmark entries are not modelled (skipped)");
      continue;
    }
    const std::string& first = c.words[0];
    const std::size_t dash = first.find('-');
    const auto ip = Ipv4Address::parse(first.substr(0, dash));
    const auto port = r.integer(c, 1, 0, 65535);
    if (!ip || !port) {
      if (!ip) r.warn(c, "virtual_server_group " + g.words[1] + ": '" + first + "' is not an address (skipped)");
      continue;
    }
    unsigned last = ip->octet(3);
    if (dash != std::string::npos) {
      try {
        last = static_cast<unsigned>(std::stoul(first.substr(dash + 1)));
      } catch (const std::exception&) {
        last = 256;
      }
      if (last > 255 || last < ip->octet(3)) {
        r.warn(c, "virtual_server_group: range '" + first + "' is not FIRST-LASTOCTET (skipped)");
        continue;
      }
    }
    for (unsigned o = ip->octet(3); o <= last; ++o)
      out.emplace_back(Ipv4Address((ip->value() & 0xffffff00U) | o), static_cast<std::uint16_t>(*port));
  }
  return out;
}

}  // namespace

void Reader::local_address_group(const ConfNode& n) {
  const auto name = word(n, 1);
  if (!name || !expects_block(n, true)) return;
  std::vector<Ipv4Address>& out = local_address_groups[*name];
  for (const ConfNode& c : n.block) {
    const std::size_t dash = c.words[0].find('-');
    const auto ip = Ipv4Address::parse(c.words[0].substr(0, dash));
    unsigned last = ip ? ip->octet(3) : 0;
    if (ip && dash != std::string::npos) last = static_cast<unsigned>(std::atoi(c.words[0].c_str() + dash + 1));
    if (!ip || last > 255 || last < ip->octet(3)) {
      warn(c, "local_address_group " + *name + ": '" + c.words[0] + "' is not an address or range (skipped)");
      continue;
    }
    for (unsigned o = ip->octet(3); o <= last; ++o) out.emplace_back((ip->value() & 0xffffff00U) | o);
  }
}

void Reader::virtual_server(const ConfNode& n) {
  if (!expects_block(n, true) || !word(n, 1)) return;
  std::vector<std::pair<Ipv4Address, std::uint16_t>> addresses;
  if (n.words[1] == "fwmark") {
    warn(n, "virtual_server fwmark: firewall-mark services are not modelled (skipped with its real servers)");
    return;
  }
  if (n.words[1] == "group") {
    const auto name = word(n, 2);
    const auto g = name ? server_groups.find(*name) : server_groups.end();
    if (name && g == server_groups.end()) warn(n, "virtual_server group " + *name + ": no virtual_server_group of that name (skipped)");
    if (g == server_groups.end()) return;
    addresses = group_entries(*this, *g->second);
  } else {
    const auto ip = address(n, 1);
    const auto port = integer(n, 2, 0, 65535);
    if (!ip || !port) return;
    addresses.emplace_back(*ip, static_cast<std::uint16_t>(*port));
  }
  ImportedService s;
  s.at = n.at;
  s.health_check = scenario::HealthCheckSpec{};
  CheckDefaults defaults;
  std::vector<PendingReal> reals;
  bool reject = false;
  for (const ConfNode& c : n.block) {
    if (read_check_default(*this, c, defaults) || read_server_key(*this, c, s, reject)) continue;
    if (c.words[0] == "real_server") {
      if (!expects_block(c, c.has_block)) continue;
      if (auto pr = read_real(*this, c)) reals.push_back(std::move(*pr));
    } else {
      skip(c, "virtual_server", kServerUnmodelled, kServerKnown);
    }
  }
  if (reject) return;
  for (PendingReal& pr : reals) {
    pr.real.checks = resolve_checks(pr, defaults);
    if (pr.real.inhibit_on_failure) s.health_check->inhibit_on_failure = true;
    s.reals.push_back(std::move(pr.real));
  }
  for (const auto& [vip, port] : addresses) {
    ImportedService copy = s;
    copy.vip = vip;
    copy.port = port;
    config.services.push_back(std::move(copy));
  }
}

}  // namespace lvs::import::detail
