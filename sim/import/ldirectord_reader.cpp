#include "import/ldirectord_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "import/service_names.hpp"

namespace lvs::import {

namespace {

using scenario::CheckKind;
using scenario::CheckSpec;
using scenario::Method;

struct Setting {
  SourceLine at;
  std::string value;
};
using Settings = std::map<std::string, Setting>;

struct Virtual {
  SourceLine at;
  std::string address;
  Settings settings;
  std::vector<Setting> reals;
};

std::string trim(std::string s) {
  const std::size_t a = s.find_first_not_of(" \t\r");
  const std::size_t b = s.find_last_not_of(" \t\r");
  if (a == std::string::npos) return "";
  s = s.substr(a, b - a + 1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

struct LdReader {
  Diagnostics& diagnostics;
  const std::string& services_file;
  Settings global;

  // A setting from the virtual, else the global one.
  const Setting* get(const Virtual& v, const std::string& key) const {
    if (const auto it = v.settings.find(key); it != v.settings.end()) return &it->second;
    if (const auto it = global.find(key); it != global.end()) return &it->second;
    return nullptr;
  }
  Time seconds(const Virtual& v, const std::string& key, Time fallback) {
    const Setting* s = get(v, key);
    if (!s) return fallback;
    char* end = nullptr;
    const double d = std::strtod(s->value.c_str(), &end);
    if (*end != '\0' || d < 0 || d > 1e6) {
      diagnostics.warn(s->at, key + "=" + s->value + ": expected seconds; " + to_string(fallback) + " used");
      return fallback;
    }
    return Time::ms(static_cast<std::int64_t>(d * 1000 + 0.5));
  }
  // ADDRESS:PORT with a port number or name.
  std::optional<std::pair<Ipv4Address, std::uint16_t>> endpoint(const SourceLine& at, const std::string& text,
                                                                const std::string& protocol, std::uint16_t dflt) {
    const std::size_t colon = text.find(':');
    const auto ip = Ipv4Address::parse(text.substr(0, colon));
    if (!ip) {
      diagnostics.warn(at, "'" + text + "': not IPV4ADDRESS:PORT (a host name needs DNS; skipped)");
      return std::nullopt;
    }
    if (colon == std::string::npos) return std::pair{*ip, dflt};
    const auto port = resolve_port(text.substr(colon + 1), protocol, services_file);
    if (!port) {
      diagnostics.warn(at, "port '" + text.substr(colon + 1) + "' is not a number or a known service name (skipped)");
      return std::nullopt;
    }
    if (!port->source.empty()) diagnostics.port_names = port->source;
    return std::pair{*ip, port->port};
  }
  std::optional<ImportedService> service(const Virtual& v);
  std::optional<ImportedReal> real(const Virtual& v, const Setting& s, const ImportedService& svc);
  std::vector<CheckSpec> checks(const Virtual& v, const ImportedService& svc);
};

Method forwarding(const std::string& w, Method fallback) {
  if (w == "gate") return Method::Dr;
  if (w == "masq") return Method::Nat;
  if (w == "ipip") return Method::Tun;
  return fallback;
}

std::vector<CheckSpec> LdReader::checks(const Virtual& v, const ImportedService& svc) {
  const Setting* type = get(v, "checktype");
  const std::string t = type ? type->value : "negotiate";
  const Setting* service = get(v, "service");
  const Time check_timeout = seconds(v, "checktimeout", Time::s(5));
  CheckSpec c;
  if (const Setting* p = get(v, "checkport")) {
    if (const auto port = resolve_port(p->value, "tcp", services_file)) c.connect_port = port->port;
  }
  const Setting* failures = get(v, "failurecount");
  const std::uint32_t count = failures ? static_cast<std::uint32_t>(std::max(1, std::atoi(failures->value.c_str()))) : 1;
  c.retry = count - 1;
  c.delay_before_retry = svc.health_check->delay_loop;
  if (t == "connect") {
    c.kind = CheckKind::Tcp;
    c.connect_timeout = seconds(v, "connecttimeout", check_timeout);
  } else if (t == "negotiate") {
    const std::string name = service ? service->value : "none";
    if (name != "http") {
      diagnostics.warn(service ? service->at : v.at, "checktype=negotiate for service=" + name +
                                                       ": only http is modelled; read as a TCP connect check");
      c.kind = CheckKind::Tcp;
    } else {
      c.kind = CheckKind::Http;
      const Setting* request = get(v, "request");
      c.url_path = request ? (request->value.starts_with('/') ? request->value : "/" + request->value) : "/";
      if (const Setting* receive = get(v, "receive"))
        diagnostics.warn(receive->at, "receive=\"" + receive->value + "\": the reply's content is not modelled; "
                                      "a 200 reply passes");
    }
    c.connect_timeout = seconds(v, "negotiatetimeout", Time::s(30));
  } else if (t == "external" || t == "external-perl") {
    c.kind = CheckKind::Misc;
    c.misc_timeout = check_timeout;
    c.retry = 0;
  } else if (t == "off" || t == "on") {
    return {};
  } else {
    diagnostics.warn(type->at, "checktype=" + t + ": not modelled; no check (the real servers stay up)");
    return {};
  }
  return {c};
}

std::optional<ImportedReal> LdReader::real(const Virtual& v, const Setting& s, const ImportedService& svc) {
  std::istringstream words(s.value);
  std::string addr, method, weight;
  words >> addr >> method >> weight;
  const auto ep = endpoint(s.at, addr, svc.protocol == scenario::Protocol::Udp ? "udp" : "tcp", svc.port);
  if (!ep) return std::nullopt;
  ImportedReal r;
  r.at = s.at;
  r.address = ep->first;
  r.port = ep->second;
  r.method = forwarding(method, Method::Dr);
  if (!method.empty() && method != "gate" && method != "masq" && method != "ipip")
    diagnostics.warn(s.at, "real=" + addr + " " + method + ": expected gate, masq or ipip; read as gate");
  if (!weight.empty() && weight[0] != '"') r.weight = static_cast<std::uint32_t>(std::max(0, std::atoi(weight.c_str())));
  if (s.value.find('"') != std::string::npos)
    diagnostics.warn(s.at, "real=" + addr + ": a per-server request/receive is not modelled (the virtual's is used)");
  (void)v;
  return r;
}

std::optional<ImportedService> LdReader::service(const Virtual& v) {
  ImportedService s;
  s.at = v.at;
  s.method = Method::Dr;
  const Setting* protocol = get(v, "protocol");
  if (protocol && protocol->value != "tcp" && protocol->value != "udp") {
    diagnostics.warn(protocol->at, "protocol=" + protocol->value + ": only tcp and udp are modelled; virtual skipped");
    return std::nullopt;
  }
  s.protocol = protocol && protocol->value == "udp" ? scenario::Protocol::Udp : scenario::Protocol::Tcp;
  const auto ep = endpoint(v.at, v.address, protocol ? protocol->value : "tcp", 0);
  if (!ep) return std::nullopt;
  s.vip = ep->first, s.port = ep->second;
  if (const Setting* sch = get(v, "scheduler")) s.scheduler = sch->value;
  if (const Setting* p = get(v, "persistent")) s.persistent = Time::s(std::max(1, std::atoi(p->value.c_str())));
  if (const Setting* m = get(v, "netmask"))
    if (const auto a = Ipv4Address::parse(m->value)) s.netmask = *a;
  scenario::HealthCheckSpec hc;
  hc.flavour = scenario::CheckFlavour::Ldirectord;
  hc.delay_loop = seconds(v, "checkinterval", Time::s(10));
  const Setting* quiescent = get(v, "quiescent");
  hc.inhibit_on_failure = !quiescent || quiescent->value == "yes";
  s.health_check = hc;
  if (const Setting* f = get(v, "fallback")) {
    std::istringstream words(f->value);
    std::string addr;
    words >> addr;
    if (const auto fb = endpoint(f->at, addr, "tcp", s.port)) s.sorry_server = *fb;
  }
  const std::vector<CheckSpec> checks = this->checks(v, s);
  for (const Setting& r : v.reals)
    if (auto real = this->real(v, r, s)) {
      real->checks = checks;
      s.reals.push_back(*real);
    }
  return s;
}

const std::initializer_list<std::string_view> kKnown = {
    "real", "checktype", "service", "request", "receive", "scheduler", "persistent", "netmask", "protocol",
    "checkport", "checkinterval", "checktimeout", "connecttimeout", "negotiatetimeout", "quiescent",
    "failurecount", "fallback"};
const std::initializer_list<std::string_view> kUnmodelled = {
    "autoreload", "callback", "logfile", "emailalert", "emailalertfreq", "emailalertstatus", "emailalertfrom",
    "execute", "fork", "supervised", "cleanstop", "maintenancedir", "readdquiescent", "smtp", "virtualhost",
    "login", "passwd", "database", "secret", "httpmethod", "fallbackcommand", "monitorfile", "cleanstop",
    "checkcommand", "hostname"};

}  // namespace

std::vector<ImportedService> read_ldirectord_text(const std::string& text, const std::string& file,
                                                  Diagnostics& diagnostics, const std::string& services_file) {
  LdReader reader{diagnostics, services_file, {}};
  std::vector<Virtual> virtuals;
  std::istringstream in(text);
  std::string raw;
  for (int n = 1; std::getline(in, raw); ++n) {
    const bool indented = !raw.empty() && (raw[0] == ' ' || raw[0] == '\t');
    const std::string line = trim(raw.substr(0, raw.find('#')));
    if (line.empty()) continue;
    const SourceLine at{file, n};
    const std::size_t eq = line.find('=');
    const std::string key = trim(line.substr(0, eq)), value = eq == std::string::npos ? "" : trim(line.substr(eq + 1));
    if (eq == std::string::npos) {
      diagnostics.warn(at, "'" + line + "' is not KEY=VALUE (skipped)");
    } else if (key == "virtual") {
      virtuals.push_back({at, value, {}, {}});
    } else if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) {
      const bool known = std::find(kUnmodelled.begin(), kUnmodelled.end(), key) != kUnmodelled.end();
      diagnostics.warn(at, known ? "'" + key + "' is not modelled (skipped)" : "unknown key '" + key + "' (skipped)");
    } else if (indented && !virtuals.empty()) {
      if (key == "real") virtuals.back().reals.push_back({at, value});
      else virtuals.back().settings[key] = {at, value};
    } else if (key == "real") {
      diagnostics.warn(at, "real= outside a virtual= block (skipped)");
    } else {
      reader.global[key] = {at, value};
    }
  }
  std::vector<ImportedService> out;
  for (const Virtual& v : virtuals)
    if (auto s = reader.service(v)) out.push_back(std::move(*s));
  return out;
}

std::vector<ImportedService> read_ldirectord(const std::string& file, Diagnostics& diagnostics) {
  std::ifstream in(file);
  if (!in) throw ImportError({file, 0}, "cannot read " + file + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return read_ldirectord_text(text.str(), file, diagnostics);
}

}  // namespace lvs::import
