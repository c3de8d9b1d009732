#pragma once
// A DR cluster of any size as scenario text, for the benchmarks and the scale tests: the
// topology of scenarios/dr-basic.yaml (clients on an internet segment, a router, a LAN
// with the director and the real servers) with `clients` client hosts and `servers`
// real servers.

#include <string>

namespace lvs::test {

struct DrScenarioShape {
  int clients = 10;
  int servers = 10;
  /// The workload of each client host, as YAML lines indented for a client item, e.g.
  /// "      arrivals: {rate: 1000}\n".
  std::string client_load = "      arrivals: {rate: 1000}\n";
  /// The server application's extra keys, indented for a servers item.
  std::string server_app = "    service_time: {distribution: exponential, mean: 2ms}\n    response_size: 8KB\n";
  std::string duration = "10s";
  /// false: a /24 LAN (192.168.1.0/24, servers from .11: at most 244 of them); true: a /16 LAN
  /// (gateway 192.168.0.1, director .0.10, VIP .0.100, servers from 192.168.1.1, 250 per /24).
  bool wide_lan = false;
};

/// The LAN's addresses for a shape: its mask, host `h` of its first /24, real server `r`.
struct DrLanPlan {
  bool wide;
  std::string mask() const { return wide ? "/16" : "/24"; }
  std::string lan(int host) const { return (wide ? "192.168.0." : "192.168.1.") + std::to_string(host); }
  std::string server(int r) const {
    return wide ? "192.168." + std::to_string(1 + r / 250) + "." + std::to_string(1 + r % 250)
                : "192.168.1." + std::to_string(r + 11);
  }
};

inline std::string dr_scenario_yaml(const DrScenarioShape& s) {
  const DrLanPlan lan{s.wide_lan};
  const std::string gw = lan.lan(1), vip = lan.lan(100);
  std::string y = "name: dr-scale\nduration: " + s.duration +
                  "\ntopology:\n  segments:\n"
                  "    - {name: internet, rate: 10Gbps, delay: 1ms, queue: 4MiB}\n"
                  "    - {name: lan, rate: 10Gbps, delay: 5us, queue: 4MiB}\n"
                  "  hosts:\n"
                  "    - name: router\n      kind: router\n      interfaces:\n"
                  "        - {name: eth0, segment: internet, address: 10.0.0.1/16}\n"
                  "        - {name: eth1, segment: lan, address: " + gw + lan.mask() + "}\n"
                  "    - name: director\n      kind: director\n      gateway: " + gw +
                  "\n      cpu: {cores: 4, backlog: 100000}\n      interfaces:\n"
                  "        - {name: eth0, segment: lan, address: " + lan.lan(10) + lan.mask() + ", secondary: [" + vip +
                  lan.mask() + "]}\n";
  for (int c = 0; c < s.clients; ++c)
    y += "    - name: client" + std::to_string(c + 1) + "\n      kind: client\n      gateway: 10.0.0.1\n" +
         "      interfaces:\n        - {name: eth0, segment: internet, address: 10.0." + std::to_string(c + 1) +
         ".1/16, sources: 100}\n";
  for (int r = 0; r < s.servers; ++r)
    y += "    - name: rs" + std::to_string(r + 1) + "\n      kind: server\n      gateway: " + gw +
         "\n      loopback: [" + vip + "]\n"
         "      sysctl: {arp_ignore: 1, arp_announce: 2}\n      interfaces:\n"
         "        - {name: eth0, segment: lan, address: " + lan.server(r) + lan.mask() + "}\n";
  y += "services:\n  - director: director\n    vip: " + vip + "\n    scheduler: rr\n    destinations:\n";
  for (int r = 0; r < s.servers; ++r) y += "      - {server: rs" + std::to_string(r + 1) + ", method: dr}\n";
  y += "servers:\n  - hosts: [";
  for (int r = 0; r < s.servers; ++r) y += (r ? ", rs" : "rs") + std::to_string(r + 1);
  y += "]\n    max_connections: 1000000\n    backlog: 1000000\n" + s.server_app + "workload:\n  clients:\n";
  for (int c = 0; c < s.clients; ++c)
    y += "    - host: client" + std::to_string(c + 1) + "\n      target: " + vip + "\n" + s.client_load;
  return y;
}

}  // namespace lvs::test
