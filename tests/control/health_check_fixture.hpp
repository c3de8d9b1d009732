#pragma once
// nat-basic (a NAT director, rs1 192.168.10.102 and rs2 192.168.10.103 on port 80, a 5 ms
// constant service time, 1000-byte replies) with its clients idle, and the checks a test
// gives it; plus the test hooks that stand in for the failure primitives.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "control/health_checks.hpp"
#include "run/build_checks.hpp"
#include "run/run_fixture.hpp"

namespace lvs::test {

/// nat-basic's service with `hc`, the clients idle (their first session after the run).
inline scenario::ScenarioSpec checked_nat(const scenario::HealthCheckSpec& hc, const std::string& duration = "200s") {
  scenario::ScenarioSpec spec = nat({"duration=" + duration, "workload.clients[0].start=100000s"});
  spec.services[0].health_check = hc;
  return spec;
}

/// A TCP_CHECK (or kind) with the settings of the brief's example.
inline scenario::CheckSpec check(scenario::CheckKind kind = scenario::CheckKind::Tcp) {
  scenario::CheckSpec c;
  c.kind = kind;
  c.connect_timeout = Time::s(3);
  c.retry = 2;
  c.delay_before_retry = Time::s(2);
  return c;
}

/// delay_loop 6 s and no warm-up jitter: every first attempt at exactly 1 s.
inline scenario::HealthCheckSpec keepalived() {
  scenario::HealthCheckSpec hc;
  hc.delay_loop = Time::s(6);
  hc.warmup = Time::zero();
  return hc;
}

inline RealServer& server(run::Model& m, const std::string& name) {
  for (RealServer* s : m.servers)
    if (s->name() == name) return *s;
  FAIL("no real server " << name);
  throw;
}

/// The destinations' names in kernel list order (the order rr walks).
inline std::vector<std::string> list_order(const VirtualService& vs) {
  std::vector<std::string> out;
  for (const SchedDest& d : vs.destinations()) out.push_back(vs.config(d.id).name);
  return out;
}

inline std::int32_t weight_of(const VirtualService& vs, const std::string& name) {
  for (const SchedDest& d : vs.destinations())
    if (vs.config(d.id).name == name) return d.weight;
  return -1;
}

/// The records of `event`, in order.
inline std::vector<control::LogRecord> records(const run::Model& m, const std::string& event) {
  std::vector<control::LogRecord> out;
  for (const control::LogRecord& r : m.log.records())
    if (r.event == event) out.push_back(r);
  return out;
}

/// A host gone silent (until the lead's crash primitive): its frames no longer leave it, so
/// nothing it would answer (ARP, SYN-ACK, RST) reaches anyone.
struct Silence {
  explicit Silence(Host& h) : iface(*h.interfaces().front()), channel(iface.channel()), port(iface.port()) {
    iface.attach(nullptr, -1);
  }
  void end() { iface.attach(channel, port); }
  Interface& iface;
  Channel* channel;
  int port;
};

/// A listener that accepts and does nothing else: a service started on a port.
struct Accepter : TcpApp {
  explicit Accepter(Transport& t) : transport(t) {}
  void on_acceptable(std::uint16_t port) override {
    while (transport.tcp_accept(port, 1)) {
    }
  }
  void on_peer_closed(SocketId s, std::uint64_t) override { transport.tcp_close(s); }
  Transport& transport;
};

}  // namespace lvs::test
