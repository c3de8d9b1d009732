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
};

inline std::string dr_scenario_yaml(const DrScenarioShape& s) {
  std::string y = "name: dr-scale\nduration: " + s.duration +
                  "\ntopology:\n  segments:\n"
                  "    - {name: internet, rate: 10Gbps, delay: 1ms, queue: 4MiB}\n"
                  "    - {name: lan, rate: 10Gbps, delay: 5us, queue: 4MiB}\n"
                  "  hosts:\n"
                  "    - name: router\n      kind: router\n      interfaces:\n"
                  "        - {name: eth0, segment: internet, address: 10.0.0.1/16}\n"
                  "        - {name: eth1, segment: lan, address: 192.168.1.1/24}\n"
                  "    - name: director\n      kind: director\n      gateway: 192.168.1.1\n"
                  "      cpu: {cores: 4, backlog: 100000}\n      interfaces:\n"
                  "        - {name: eth0, segment: lan, address: 192.168.1.10/24, secondary: [192.168.1.100/24]}\n";
  for (int c = 0; c < s.clients; ++c)
    y += "    - name: client" + std::to_string(c + 1) + "\n      kind: client\n      gateway: 10.0.0.1\n" +
         "      interfaces:\n        - {name: eth0, segment: internet, address: 10.0." + std::to_string(c + 1) +
         ".1/16, sources: 100}\n";
  for (int r = 0; r < s.servers; ++r)
    y += "    - name: rs" + std::to_string(r + 1) +
         "\n      kind: server\n      gateway: 192.168.1.1\n      loopback: [192.168.1.100]\n"
         "      sysctl: {arp_ignore: 1, arp_announce: 2}\n      interfaces:\n"
         "        - {name: eth0, segment: lan, address: 192.168.1." + std::to_string(r + 11) + "/24}\n";
  y += "services:\n  - director: director\n    vip: 192.168.1.100\n    scheduler: rr\n    destinations:\n";
  for (int r = 0; r < s.servers; ++r) y += "      - {server: rs" + std::to_string(r + 1) + ", method: dr}\n";
  y += "servers:\n  - hosts: [";
  for (int r = 0; r < s.servers; ++r) y += (r ? ", rs" : "rs") + std::to_string(r + 1);
  y += "]\n    max_connections: 1000000\n    backlog: 1000000\n" + s.server_app + "workload:\n  clients:\n";
  for (int c = 0; c < s.clients; ++c)
    y += "    - host: client" + std::to_string(c + 1) + "\n      target: 192.168.1.100\n" + s.client_load;
  return y;
}

}  // namespace lvs::test
