#include "control/failures.hpp"

#include "lvs/director.hpp"
#include "nodes/real_server.hpp"
#include "transport/end_host.hpp"

namespace lvs::control {

void Failures::add_transport(const Host& host, Transport& transport) { transports_.emplace_back(&host, &transport); }

void Failures::record(std::string component, std::string event, std::string detail, std::string line) {
  log_.add(sim_.now(), std::move(component), std::move(event), std::move(detail), std::move(line));
}

// What a power loss takes: all the host keeps in memory.
void Failures::power_off(Host& host) {
  for (const auto& i : host.interfaces()) i->set_up(false);
  host.neighbours().flush();
  if (auto* server = dynamic_cast<RealServer*>(&host))
    server->power_off();
  else if (auto* transport = dynamic_cast<Transport*>(&host))
    transport->forget_all();
  if (auto* director = dynamic_cast<Director*>(&host)) director->flush_connections();
  for (const auto& [owner, transport] : transports_)
    if (owner == &host) transport->forget_all();
}

bool Failures::crash(Host& host) {
  if (!crashed_.insert(&host).second) return false;
  power_off(host);
  record(host.name(), "crash", "power off", host.name() + ": power off (silent: no FIN, no RST, no ARP reply)");
  for (const auto& f : down_listeners_) f(host);  // what dies with it: keepalived, the sync daemon
  return true;
}

bool Failures::recover(Host& host) {
  if (crashed_.erase(&host) == 0) return false;
  for (const auto& i : host.interfaces()) i->set_up(cables_out_.count(i.get()) == 0);
  if (auto* server = dynamic_cast<RealServer*>(&host)) server->start();
  record(host.name(), "recover", "boot", host.name() + ": booted, services started");
  for (const auto& f : up_listeners_) f(host);
  return true;
}

bool Failures::stop(RealServer& server) {
  if (!server.running()) return false;
  server.stop_service();
  const std::string port = std::to_string(server.app().port);
  record(server.name(), "stop", "port " + port, server.name() + ": service on port " + port + " stopped (SYNs get RST)");
  return true;
}

bool Failures::start(RealServer& server) {
  if (server.running() || crashed(server)) return false;
  server.start();
  const std::string port = std::to_string(server.app().port);
  record(server.name(), "start", "port " + port, server.name() + ": service on port " + port + " started");
  return true;
}

bool Failures::link_down(Channel& link) {
  if (!link.up()) return false;
  link.set_up(false);
  record(link.name(), "link-down", "", link.name() + ": link down");
  return true;
}

bool Failures::link_up(Channel& link) {
  if (link.up()) return false;
  link.set_up(true);
  record(link.name(), "link-up", "", link.name() + ": link up");
  return true;
}

bool Failures::cable_out(Interface& iface) {
  if (!cables_out_.insert(&iface).second) return false;
  iface.set_up(false);
  const std::string name = iface.node().name() + "/" + iface.name();
  record(name, "link-down", "carrier lost", name + ": carrier lost (cable out)");
  return true;
}

bool Failures::cable_in(Interface& iface) {
  if (cables_out_.erase(&iface) == 0) return false;
  const auto* host = dynamic_cast<const Host*>(&iface.node());
  iface.set_up(host == nullptr || !crashed(*host));
  const std::string name = iface.node().name() + "/" + iface.name();
  record(name, "link-up", "carrier back", name + ": carrier back (cable in)");
  return true;
}

}  // namespace lvs::control
