#include "import/ipvsadm_save_reader.hpp"

#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "import/service_names.hpp"

namespace lvs::import {

namespace {

using scenario::Method;

struct Line {
  SourceLine at;
  std::vector<std::string> words;
  std::size_t i = 0;
};

// Long options, as ipvsadm's popt table spells them, to their short form.
const std::map<std::string, std::string>& long_options() {
  static const std::map<std::string, std::string> m{
      {"--add-service", "-A"}, {"--add-server", "-a"},  {"--tcp-service", "-t"}, {"--udp-service", "-u"},
      {"--fwmark-service", "-f"}, {"--scheduler", "-s"}, {"--persistent", "-p"}, {"--netmask", "-M"},
      {"--real-server", "-r"}, {"--gatewaying", "-g"},  {"--masquerading", "-m"}, {"--ipip", "-i"},
      {"--weight", "-w"},      {"--u-threshold", "-x"}, {"--l-threshold", "-y"}, {"--sched-flags", "-b"},
      {"--fullnat", "-b"}};
  return m;
}

struct SaveReader {
  Diagnostics& diagnostics;
  const std::string& services_file;
  std::vector<ImportedService> services;

  // ADDRESS:PORT (PORT a number or a name); nullopt with a warning.
  std::optional<std::pair<Ipv4Address, std::optional<std::uint16_t>>> endpoint(const Line& l, const std::string& text,
                                                                              const std::string& protocol) {
    const std::size_t colon = text.rfind(':');
    const std::string host = text.substr(0, colon);
    const auto ip = Ipv4Address::parse(host);
    if (!ip) {
      diagnostics.warn(l.at, "'" + host + "' is not an IPv4 address (a host name needs DNS; save with -n): line skipped");
      return std::nullopt;
    }
    if (colon == std::string::npos) return std::pair{*ip, std::optional<std::uint16_t>{}};
    const auto port = resolve_port(text.substr(colon + 1), protocol, services_file);
    if (!port) {
      diagnostics.warn(l.at, "port '" + text.substr(colon + 1) + "' is not a number or a known service name: line skipped");
      return std::nullopt;
    }
    if (!port->source.empty()) diagnostics.port_names = port->source;
    return std::pair{*ip, std::optional<std::uint16_t>{port->port}};
  }

  ImportedService* find(scenario::Protocol p, Ipv4Address vip, std::uint16_t port) {
    for (ImportedService& s : services)
      if (s.protocol == p && s.vip == vip && s.port == port) return &s;
    return nullptr;
  }

  void line(Line l);
};

std::optional<std::uint32_t> number(const std::string& w, std::uint32_t max) {
  char* end = nullptr;
  const unsigned long v = std::strtoul(w.c_str(), &end, 10);
  if (w.empty() || *end != '\0' || v > max || w[0] == '-') return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

void SaveReader::line(Line l) {
  for (std::string& w : l.words)
    if (const auto it = long_options().find(w); it != long_options().end()) w = it->second;
  const std::string command = l.words[0];
  if (command != "-A" && command != "-a") {
    diagnostics.warn(l.at, "'" + command + "' is not -A or -a: line skipped");
    return;
  }
  std::optional<scenario::Protocol> protocol;
  std::string service, real, protocol_name;
  ImportedService s;
  s.at = l.at;
  ImportedReal r;
  r.at = l.at;
  for (std::size_t i = 1; i < l.words.size(); ++i) {
    const std::string& o = l.words[i];
    const bool has_value = i + 1 < l.words.size() && (l.words[i + 1][0] != '-' || l.words[i + 1].size() == 1);
    const std::string value = has_value ? l.words[i + 1] : "";
    if (o == "-t" || o == "-u") {
      protocol = o == "-t" ? scenario::Protocol::Tcp : scenario::Protocol::Udp;
      protocol_name = o == "-t" ? "tcp" : "udp";
      service = value, ++i;
    } else if (o == "-f") {
      diagnostics.warn(l.at, "-f: firewall-mark services are not modelled: line skipped");
      return;
    } else if (o == "-s" && has_value) {
      s.scheduler = value, ++i;
    } else if (o == "-p") {
      s.persistent = Time::s(360);
      if (const auto v = has_value ? number(value, 0xffffffffU) : std::nullopt) s.persistent = Time::s(*v), ++i;
    } else if (o == "-M" && has_value) {
      const auto m = Ipv4Address::parse(value);
      if (m) s.netmask = *m;
      else diagnostics.warn(l.at, "-M " + value + ": not a netmask (skipped)");
      ++i;
    } else if (o == "-b" && command == "-A" && has_value) {
      for (std::size_t a = 0, b; a <= value.size(); a = b + 1) {
        b = value.find(',', a);
        if (b == std::string::npos) b = value.size();
        s.sched_flags.push_back(value.substr(a, b - a));
      }
      ++i;
    } else if (o == "-r" && has_value) {
      real = value, ++i;
    } else if (o == "-g" || o == "-m" || o == "-i" || o == "-b") {
      r.method = o == "-g" ? Method::Dr : o == "-m" ? Method::Nat : o == "-i" ? Method::Tun : Method::FullNat;
    } else if ((o == "-w" || o == "-x" || o == "-y") && has_value) {
      const auto v = number(value, 65535);
      if (!v) diagnostics.warn(l.at, o + " " + value + ": expected an integer 0..65535 (skipped)");
      else (o == "-w" ? r.weight : o == "-x" ? r.u_threshold : r.l_threshold) = *v;
      ++i;
    } else if (o == "--pe" || o == "-o" || o == "--ops" || o == "--tun-type" || o == "--tun-port") {
      diagnostics.warn(l.at, "'" + o + "' is not modelled (skipped)");
      if (o != "-o" && o != "--ops" && has_value) ++i;
    } else {
      diagnostics.warn(l.at, "unknown option '" + o + "': line skipped");
      return;
    }
  }
  if (!protocol || service.empty()) {
    diagnostics.warn(l.at, command + " without -t or -u SERVICE: line skipped");
    return;
  }
  const auto vip = endpoint(l, service, protocol_name);
  if (!vip) return;
  if (!vip->second) {
    diagnostics.warn(l.at, "service " + service + " has no port: line skipped");
    return;
  }
  if (command == "-A") {
    s.protocol = *protocol, s.vip = vip->first, s.port = *vip->second;
    s.method = Method::Dr;  // ipvsadm's default forwarding (-g)
    if (find(s.protocol, s.vip, s.port)) diagnostics.warn(l.at, "service " + service + " added twice: the first kept");
    else services.push_back(std::move(s));
    return;
  }
  ImportedService* svc = find(*protocol, vip->first, *vip->second);
  if (!svc) return diagnostics.warn(l.at, "-a for service " + service + ", which no -A line before it adds: line skipped");
  if (real.empty()) return diagnostics.warn(l.at, "-a without -r SERVER: line skipped");
  const auto rip = endpoint(l, real, protocol_name);
  if (!rip) return;
  r.address = rip->first;
  r.port = rip->second.value_or(svc->port);
  if (!r.method) r.method = Method::Dr;
  svc->reals.push_back(r);
}

}  // namespace

std::vector<ImportedService> read_ipvsadm_save_text(const std::string& text, const std::string& file,
                                                    Diagnostics& diagnostics, const std::string& services_file) {
  SaveReader reader{diagnostics, services_file, {}};
  std::istringstream in(text);
  std::string raw;
  for (int n = 1; std::getline(in, raw); ++n) {
    if (const std::size_t hash = raw.find('#'); hash != std::string::npos) raw.erase(hash);
    std::istringstream words(raw);
    Line l{{file, n}, {}, 0};
    for (std::string w; words >> w;) l.words.push_back(w);
    if (!l.words.empty()) reader.line(std::move(l));
  }
  return std::move(reader.services);
}

std::vector<ImportedService> read_ipvsadm_save(const std::string& file, Diagnostics& diagnostics) {
  std::ifstream in(file);
  if (!in) throw ImportError({file, 0}, "cannot read " + file + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return read_ipvsadm_save_text(text.str(), file, diagnostics);
}

}  // namespace lvs::import
