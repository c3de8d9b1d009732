#pragma once
// Failures and repairs of the cluster's parts, as the timeline and the random failure
// processes make them, acting on the data plane only through what a real failure changes:
// - crash HOST: the machine loses power. Its interfaces lose carrier at once (it neither
//   sends nor answers: a peer's connect times out), and everything it held in memory is gone
//   (sockets, TIME_WAIT, ARP cache, the IPVS connection table, requests in service).
// - recover HOST: it boots. Carrier comes back, the server application listens again, a
//   director's services are as configured (keepalived sets them up at start) with an empty
//   connection table; the control-plane parts of the host (checkers, VRRP, sync) start as
//   at boot through the listeners below.
// - stop HOST [port]: the service process is killed, the host stays up: a SYN is answered with
//   RST, so a peer fails fast; its connections are reset.
// - link-down LINK: the link (or the switch of a segment) loses every frame sent into it;
//   link-down HOST/IFACE: that cable is out, the interface has no carrier.
// Each is recorded in the EventLog.

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "control/event_log.hpp"
#include "net/host.hpp"

namespace lvs {
class Director;
class RealServer;
class Transport;
}  // namespace lvs

namespace lvs::control {

class Failures {
 public:
  Failures(Simulation& sim, EventLog& log) : sim_(sim), log_(log) {}
  Failures(const Failures&) = delete;
  Failures& operator=(const Failures&) = delete;

  /// The transport a host owns besides its own (a director's, Model::director_transports):
  /// it forgets everything when the host crashes.
  void add_transport(const Host& host, Transport& transport);
  /// Called after a host crashed and after it booted again: the owners of control-plane
  /// parts running on hosts (health checkers, VRRP instances, sync daemons) stop and restart them.
  void on_host_down(std::function<void(Host&)> f) { down_listeners_.push_back(std::move(f)); }
  void on_host_up(std::function<void(Host&)> f) { up_listeners_.push_back(std::move(f)); }

  /// Each returns false, changing nothing, when the part is already in that state.
  bool crash(Host& host);
  bool recover(Host& host);
  bool stop(RealServer& server);
  bool start(RealServer& server);
  bool link_down(Channel& link);
  bool link_up(Channel& link);
  bool cable_out(Interface& iface);
  bool cable_in(Interface& iface);

  bool crashed(const Host& host) const { return crashed_.count(&host) != 0; }

 private:
  void power_off(Host& host);
  void record(std::string component, std::string event, std::string detail, std::string line);

  Simulation& sim_;
  EventLog& log_;
  std::vector<std::pair<const Host*, Transport*>> transports_;
  std::vector<std::function<void(Host&)>> down_listeners_, up_listeners_;
  std::set<const Host*> crashed_;
  std::set<const Interface*> cables_out_;
};

}  // namespace lvs::control
