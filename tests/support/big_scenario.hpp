#pragma once
// One NAT director, `n` real servers on one segment and one service with `n` destinations, as
// scenario text: the cluster of issue 13's large `validate` (tests/bench/make_big_scenario.py
// writes the same text for timing `lvslab validate` from the command line), and the same
// cluster with its servers as one group.

#include <cstdint>
#include <string>

namespace lvs::test {

/// 10.0.0.2 upwards in 10.0.0.0/8 (10.0.0.1 is the director).
inline std::string big_server_address(int k) {
  const std::uint32_t v = (10U << 24) + 2U + static_cast<std::uint32_t>(k);
  return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." + std::to_string((v >> 8) & 255) +
         "." + std::to_string(v & 255);
}

inline std::string big_scenario_yaml(int n) {
  std::string t = R"(name: big
duration: 2s
warmup: 1s
topology:
  segments:
    - {name: outside, rate: 10Gbps, delay: 50us}
    - {name: inside, rate: 10Gbps, delay: 5us}
  hosts:
    - name: client
      kind: client
      interfaces:
        - {name: eth0, segment: outside, address: 192.168.74.10/24, sources: 50}
    - name: director
      kind: director
      sysctl: {ip_forward: true}
      interfaces:
        - {name: eth0, segment: outside, address: 192.168.74.128/24, secondary: [192.168.74.129/24]}
        - {name: eth1, segment: inside, address: 10.0.0.1/8}
)";
  for (int k = 0; k < n; ++k)
    t += "    - {name: rs" + std::to_string(k + 1) + ", kind: server, gateway: 10.0.0.1, interfaces: [{name: eth0, "
         "segment: inside, address: " + big_server_address(k) + "/8}]}\n";
  t += "services:\n  - director: director\n    vip: 192.168.74.129\n    port: 80\n    scheduler: wlc\n"
       "    destinations:\n";
  for (int k = 0; k < n; ++k) t += "      - {server: rs" + std::to_string(k + 1) + ", method: nat}\n";
  t += "servers:\n  - hosts: [";
  for (int k = 0; k < n; ++k) t += (k == 0 ? "rs" : ", rs") + std::to_string(k + 1);
  t += "]\n    service_time: 5ms\nworkload:\n  clients:\n    - host: client\n      target: 192.168.74.129\n"
       "      port: 80\n      arrivals: {process: poisson, rate: 100}\n";
  return t;
}

/// The same cluster with its `n` real servers declared as one group (services[0].groups[0]):
/// rs1 .. rsN from 10.0.0.2/8 upwards, nat, the same application.
inline std::string big_group_scenario_yaml(int n) {
  std::string t = big_scenario_yaml(0);
  const std::size_t services = t.find("services:\n");
  return t.substr(0, services) +
         "services:\n  - director: director\n    vip: 192.168.74.129\n    port: 80\n    scheduler: wlc\n"
         "    groups:\n      - {name: rs, count: " + std::to_string(n) + ", segment: inside, address: 10.0.0.2/8, "
         "gateway: 10.0.0.1, method: nat, service_time: 5ms}\n" +
         t.substr(t.find("workload:\n"));
}

}  // namespace lvs::test
