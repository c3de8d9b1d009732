#pragma once
// The health checking of one virtual service on one director, as keepalived's check
// process keeps it (keepalived/check/ipwrapper.c): each real server is alive while all of
// its checkers are up; a server that dies is removed (DELDEST) or, with
// inhibit_on_failure, set to weight 0 (EDITDEST); one that comes back is added again
// (ADDDEST, at the head of the kernel's list) or gets its weight back. When the live
// servers' weight falls below the quorum, the sorry server is added (weight 1) and taken
// out again once it is met. Every change goes through control::apply, and is recorded in
// the EventLog with keepalived's (or ldirectord's) log line.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "control/event_log.hpp"
#include "control/health_check.hpp"
#include "control/ipvsadm.hpp"
#include "core/simulation.hpp"
#include "lvs/virtual_service.hpp"
#include "scenario/failover_spec.hpp"
#include "transport/end_host.hpp"

namespace lvs::control {

/// The HTTP status the application at addr:port answers a GET with (a status line is
/// content, which packets here do not carry); nullopt: no application there.
using HttpStatusLookup = std::function<std::optional<int>(Ipv4Address, std::uint16_t)>;

/// What the checkers of a service run on: the director's sockets, clock and log.
struct CheckContext {
  Simulation& sim;
  Transport& transport;     ///< the director's own sockets
  EventLog& log;
  std::string director;     ///< the director's name, for the log and the RNG streams
  HttpStatusLookup http_status;
};

class CheckedService {
 public:
  CheckedService(CheckContext ctx, VirtualService& vs, const scenario::HealthCheckSpec& spec);
  CheckedService(const CheckedService&) = delete;
  CheckedService& operator=(const CheckedService&) = delete;

  /// A real server of the service (as configured: its weight is the one restored on
  /// recovery) with its checkers; a server without checkers stays alive.
  void add_server(const DestinationConfig& dest, const std::vector<scenario::CheckSpec>& checks);
  /// sorry_server: added with weight 1 while the quorum is not met.
  void set_sorry_server(const DestinationConfig& dest);
  /// At the current time (the run's start): applies alpha (servers out, or at weight 0
  /// with inhibit_on_failure, until their first success), the initial quorum, and
  /// schedules every checker's first attempt.
  void start();

  /// keepalived stops with its director (a crash): every checker stops.
  void stop();
  /// keepalived starts again on the rebooted director: the service as configured (every real
  /// server in, the sorry server out), then start().
  void restart();

  /// Whether real server `server` (in add_server order) is alive now.
  bool alive(std::size_t server) const { return servers_.at(server).alive; }
  /// Whether the sorry server is in the service now.
  bool sorry_active() const { return sorry_ && sorry_->alive; }
  std::size_t servers() const { return servers_.size(); }
  const HealthChecker& checker(std::size_t server, std::size_t index) const {
    return *servers_.at(server).checkers.at(index);
  }
  VirtualService& service() const { return vs_; }
  const scenario::HealthCheckSpec& spec() const { return spec_; }
  const CheckContext& context() const { return ctx_; }

  /// A checker of `server` changed its verdict (keepalived's update_svr_checker_state).
  void checker_changed(std::size_t server, bool up);
  /// Writes one record to the log, with the director's name in front of `detail`.
  void log(std::string component, std::string event, std::string detail, std::string line) const;

 private:
  struct Server {
    DestinationConfig dest;
    std::vector<std::unique_ptr<HealthChecker>> checkers;
    std::uint32_t failed_checkers = 0;
    bool alive = true;
  };
  struct Sorry {
    DestinationConfig dest;
    bool alive = false;
  };

  void perform_server_state(Server& s, bool alive);
  void update_quorum(bool init);
  void quorum_servers(bool add);
  bool ipvs_add(const DestinationConfig& dest, bool inhibit) const;
  bool ipvs_delete(const DestinationConfig& dest, bool inhibit) const;
  std::int64_t live_weight() const;
  std::string vs_name() const;
  std::string server_line(const Server& s, bool alive) const;
  std::string sorry_line(bool on) const;
  bool ldirectord() const { return spec_.flavour == scenario::CheckFlavour::Ldirectord; }

  CheckContext ctx_;
  VirtualService& vs_;
  scenario::HealthCheckSpec spec_;
  std::vector<Server> servers_;
  std::optional<Sorry> sorry_;
  bool quorum_up_ = true;
};

}  // namespace lvs::control
