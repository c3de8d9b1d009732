#pragma once
// One health checker of one real server, run from one director: keepalived's TCP_CHECK,
// HTTP_GET and MISC_CHECK life cycle (keepalived/check/check_tcp.c tcp_epilog,
// check_http.c epilog / timeout_epilog, check_misc.c), or ldirectord's (ldirectord(8)).
// Its attempts are real TCP connections on the director's own Transport, so a silent host
// times out after connect_timeout, a closed port answers RST at once, and a host that
// does not answer ARP is silent too. docs/health-checks.md gives the rules and sources.
//
// The checker only decides UP or DOWN; what that does to the virtual service (DELDEST,
// ADDDEST, EDITDEST, the sorry server) is its CheckedService's.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/rng.hpp"
#include "core/simulation.hpp"
#include "net/address.hpp"
#include "scenario/failover_spec.hpp"
#include "transport/end_host.hpp"

namespace lvs::control {

class CheckedService;

/// The size of keepalived's GET for `path` to host:port, bytes: its request_template
/// "GET PATH HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: IP:PORT\r\n\r\n" (check_http.c).
std::uint32_t keepalived_get_bytes(std::string_view path, Ipv4Address host, std::uint16_t port);

/// "[10.0.0.11]", the address as keepalived's FMT_RS / FMT_VS print it.
std::string bracketed(Ipv4Address addr);
/// "[10.0.0.11]:80", as keepalived's FMT_RS / FMT_VS print a service.
std::string service_name(Ipv4Address addr, std::uint16_t port);

/// What one checker has done, for tests and the summary.
struct CheckerStats {
  std::uint64_t attempts = 0;
  std::uint64_t failures = 0;  ///< attempts that failed (timeout, RST, status, script)
};

class HealthChecker : private TcpApp {
 public:
  /// Checker `index` of real server `server` of `service`, checking rip:port with `spec`.
  HealthChecker(CheckedService& service, std::size_t server, const scenario::CheckSpec& spec, Ipv4Address rip,
                std::uint16_t port, Rng& rng);
  ~HealthChecker() override;
  HealthChecker(const HealthChecker&) = delete;
  HealthChecker& operator=(const HealthChecker&) = delete;

  /// Sets the initial state (UP, or DOWN under alpha) and schedules the first attempt:
  /// keepalived at BOOTSTRAP_DELAY (1 s) + U[0, warmup], ldirectord at once.
  void start();
  /// Stops checking (keepalived dies with its director): timers cancelled, the attempt in
  /// progress forgotten (its socket went with the director's memory).
  void stop();
  /// The checker's own verdict (is_up in keepalived's checker_t).
  bool is_up() const { return is_up_; }
  /// When the first attempt runs (set by start()).
  Time first_run() const { return first_run_; }
  const CheckerStats& stats() const { return stats_; }
  Ipv4Address address() const { return rip_; }
  std::uint16_t port() const { return port_; }

 private:
  void attempt();
  void attempt_misc();
  void attempt_tcp();
  void on_timeout();
  /// The attempt ended: `ok`, or failed with `line` (keepalived's per-attempt log line).
  void finish(bool ok, std::string line);
  Time epilog_keepalived_tcp(bool ok);
  Time epilog_keepalived_http(bool ok);
  Time epilog_ldirectord(bool ok);
  void go_up();
  void go_down(bool after_retries);
  void end_socket(bool abort);

  void on_connected(SocketId s, std::uint64_t user) override;
  void on_message(SocketId s, std::uint64_t user, std::uint64_t tag, std::uint32_t bytes) override;
  void on_closed(SocketId s, std::uint64_t user, TcpCloseReason why) override;

  CheckedService& service_;
  std::size_t server_;
  scenario::CheckSpec spec_;
  Ipv4Address rip_;
  std::uint16_t port_;
  Rng& rng_;
  std::string name_;  // "[rip]:port"

  bool is_up_ = true;
  bool has_run_ = false;
  bool failed_url_ = false;  // HTTP_GET: marked DOWN by a failure (check_http.c failed_url)
  std::uint32_t retry_it_ = 0;
  Time first_run_;

  // The attempt in progress.
  std::uint64_t generation_ = 0;  // the `user` of its socket; stale callbacks carry an older one
  bool in_attempt_ = false;
  bool connected_ = false;
  SocketId socket_ = kNoSocket;
  Timer timeout_;
  Timer next_;
  CheckerStats stats_;
};

}  // namespace lvs::control
