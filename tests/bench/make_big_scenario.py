#!/usr/bin/env python3
"""Writes a NAT scenario with N real servers on one segment and one service with N
destinations, for timing `lvslab validate` on large clusters:

    python3 tests/bench/make_big_scenario.py 100000 > /tmp/big.yaml
    /usr/bin/time -v ./build/bin/lvslab validate /tmp/big.yaml

tests/support/big_scenario.hpp writes the same text for the tests (20 000 servers) and
BM_Validate."""
import sys


def server_address(k):
    # 10.0.0.2 upwards in 10.0.0.0/8 (10.0.0.1 is the director).
    v = (10 << 24) + 2 + k
    return ".".join(str((v >> s) & 255) for s in (24, 16, 8, 0))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    out = sys.stdout
    out.write(f"""name: big-{n}
duration: 2s
warmup: 1s
topology:
  segments:
    - {{name: outside, rate: 10Gbps, delay: 50us}}
    - {{name: inside, rate: 10Gbps, delay: 5us}}
  hosts:
    - name: client
      kind: client
      interfaces:
        - {{name: eth0, segment: outside, address: 192.168.74.10/24, sources: 50}}
    - name: director
      kind: director
      sysctl: {{ip_forward: true}}
      interfaces:
        - {{name: eth0, segment: outside, address: 192.168.74.128/24, secondary: [192.168.74.129/24]}}
        - {{name: eth1, segment: inside, address: 10.0.0.1/8}}
""")
    for k in range(n):
        out.write(f"    - {{name: rs{k + 1}, kind: server, gateway: 10.0.0.1, "
                  f"interfaces: [{{name: eth0, segment: inside, address: {server_address(k)}/8}}]}}\n")
    out.write("""services:
  - director: director
    vip: 192.168.74.129
    port: 80
    scheduler: wlc
    destinations:
""")
    for k in range(n):
        out.write(f"      - {{server: rs{k + 1}, method: nat}}\n")
    out.write("servers:\n  - hosts: [")
    out.write(", ".join(f"rs{k + 1}" for k in range(n)))
    out.write("""]
    service_time: 5ms
workload:
  clients:
    - host: client
      target: 192.168.74.129
      port: 80
      arrivals: {process: poisson, rate: 100}
""")


if __name__ == "__main__":
    main()
