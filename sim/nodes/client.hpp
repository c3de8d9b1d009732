#pragma once
// A client population on one host: sessions (one connection each, or a run of UDP
// requests) opened from a range of source addresses to a target (usually a VIP).
// Open loop: sessions start at a rate (Poisson or evenly spaced, piecewise constant in
// time) whatever the system does. Closed loop: each of `users` users thinks (so users
// that start together spread out), opens a session, waits for it to finish, thinks, and
// opens the next.
// A session sends `requests_per_connection` requests one after another (request,
// response, next request). A request's latency runs from when the client issues it (for
// the first request of a TCP session: the connect, so the handshake counts) to the last
// byte of its response. A request not answered within `timeout` fails and its session is
// aborted (RST); a connection reset or refused fails the request in flight.

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/distribution.hpp"
#include "metrics/histogram.hpp"
#include "metrics/order_statistics.hpp"
#include "nodes/arrivals.hpp"
#include "metrics/summary.hpp"
#include "storage/content.hpp"
#include "transport/end_host.hpp"

namespace lvs {

struct ClientConfig {
  IpProto protocol = IpProto::Tcp;
  Ipv4Address target;
  std::uint16_t port = 80;
  Ipv4Address first_source;                 ///< the population: first_source .. + sources - 1
  std::uint32_t sources = 1;
  std::optional<ArrivalProcess> arrivals;   ///< open loop when set
  std::vector<RateStep> rate;               ///< open loop: piecewise-constant session rate
  std::uint32_t users = 0;                  ///< closed loop
  Distribution think_time = Distribution::constant(0);      ///< seconds
  std::uint32_t requests_per_connection = 1;
  Distribution request_size = Distribution::constant(200);  ///< bytes
  Time timeout = Time::s(10);
  /// Sessions open at once, all source addresses together; a new one beyond fails at once
  /// with too-many-open (EMFILE) and sends nothing.
  std::uint64_t max_open = UINT64_MAX;
  Time start;
  std::optional<Time> stop;
  Time warmup;                              ///< requests issued earlier are not counted
  /// The catalogue requests name files from (nodes/request_tag.hpp); null: they name none.
  /// A request that writes its file sends the file (its size replaces request_size).
  const storage::Catalogue* content = nullptr;
  /// Origin sites (a cache cluster): the files are split into `sites` runs of consecutive
  /// ranks, run k served by address target + k, so the sites' popularity falls off as the
  /// files' does; a request goes to its file's site. 1: every request goes to `target`.
  std::uint32_t sites = 1;
};

/// Why a request failed.
enum class FailReason : std::uint8_t {
  Timeout, Reset, Unreachable, TcpTimeout, Closed, NoEphemeralPort, TooManyOpen, NfsTimeout
};
inline constexpr std::size_t kFailReasons = 8;
/// "timeout", "reset", "unreachable", "tcp-timeout", "closed", "no-ephemeral-port" (connect()
/// found every local port towards the target taken: EADDRNOTAVAIL), "too-many-open",
/// "nfs-timeout" (the server answered with an error: its soft NFS mount timed out).
const char* fail_reason_name(FailReason r);

/// Request outcomes (requests issued at or after the warm-up only).
struct RequestStats {
  std::uint64_t issued = 0;
  std::uint64_t completed = 0;
  std::array<std::uint64_t, kFailReasons> failed{};
  std::uint64_t response_bytes = 0;
  /// Seconds, log-bucketed (within 0.79%): the CDF and the time series' per-interval percentiles.
  Histogram latency;
  /// Seconds: count, mean, variance, extremes.
  Summary latency_summary;
  /// Seconds, every completed request's latency (8 bytes each): the exact percentiles a
  /// run reports. Kept in a client's totals only; empty in its intervals.
  OrderStatistics latencies;
  std::uint64_t failed_total() const;
  /// Adds `other`'s counts and samples to these.
  void merge(const RequestStats& other);
  void clear();
};

/// A request that failed, or completed slower than the client was asked to note
/// (Client::keep_outcomes): what the results attribute to a failover window.
struct RequestOutcome {
  Time issued;
  Time done;                          ///< when it completed or failed
  std::optional<FailReason> failed;   ///< nullopt: it completed, slowly
};

class Client : public EndHost, private TcpApp, private UdpApp {
 public:
  Client(Network& net, std::string name, ClientConfig config);

  /// Schedules the first sessions (call once, before running).
  void start();
  const ClientConfig& config() const { return cfg_; }
  /// Everything since the warm-up.
  const RequestStats& totals() const { return totals_; }
  /// Since the last take_interval(); the caller resets it (CSV time series).
  RequestStats take_interval();
  /// From now on, keep every counted request that fails or takes longer than `slow`.
  void keep_outcomes(Time slow) { slow_ = slow; }
  /// The requests kept since keep_outcomes(), in the order they ended.
  const std::vector<RequestOutcome>& outcomes() const { return outcomes_; }
  std::uint64_t sessions_started() const { return sessions_started_; }
  std::size_t sessions_open() const { return open_; }

 private:
  struct Session {
    SocketId socket = kNoSocket;
    Ipv4Address source;
    std::uint16_t udp_port = 0;
    std::uint32_t requests_left = 0;
    std::uint32_t expected_bytes = 0;  ///< UDP: response bytes expected (0: not known yet)
    std::uint32_t received_bytes = 0;
    std::int32_t user = -1;            ///< closed loop: the user; -1 in open loop
    bool live = false;
    bool waiting = false;              ///< a request is outstanding
    std::uint64_t tag = 0;             ///< of the outstanding request
    Time issued;
    EventId timeout;
  };

  // TcpApp / UdpApp
  void on_connected(SocketId s, std::uint64_t user) override;
  void on_message(SocketId s, std::uint64_t user, std::uint64_t tag, std::uint32_t bytes) override;
  void on_peer_closed(SocketId s, std::uint64_t user) override;
  void on_closed(SocketId s, std::uint64_t user, TcpCloseReason why) override;
  void on_datagram(const Packet& pkt) override;

  // Arrivals
  void schedule_arrival(Time from);
  Time next_arrival(Time from);
  double rate_at(Time t, Time* step_end) const;
  bool accepting(Time t) const { return t >= cfg_.start && (!cfg_.stop || t < *cfg_.stop); }
  void think_then_start(std::int32_t user);

  // Sessions and requests
  void open_session(std::int32_t user);
  std::uint32_t alloc_session();
  void issue_request(std::uint32_t index);
  void refuse_session(std::int32_t user);
  void arm_timeout(std::uint32_t index);
  void on_timeout(std::uint32_t index, std::uint64_t tag);
  std::uint64_t new_tag(std::uint32_t index);
  std::uint32_t request_bytes(std::uint64_t tag);
  Ipv4Address destination(std::uint64_t tag) const;
  void complete_request(std::uint32_t index, std::uint32_t bytes);
  void server_failed(std::uint32_t index);
  void next_or_close(std::uint32_t index);
  void fail_request(std::uint32_t index, FailReason why);
  void end_session(std::uint32_t index);
  bool counted(const Session& s) const { return s.issued >= cfg_.warmup; }
  template <class F>
  void record(const Session& s, F&& f);

  ClientConfig cfg_;
  Rng& arrival_rng_;
  Rng& think_rng_;
  Rng& size_rng_;
  Rng& content_rng_;
  std::vector<Session> sessions_;
  std::vector<std::uint32_t> free_;
  std::size_t open_ = 0;
  std::uint64_t sessions_started_ = 0;
  std::uint64_t next_request_ = 1;
  std::uint32_t next_source_ = 0;
  std::uint16_t next_udp_port_ = 0;
  RequestStats totals_;
  RequestStats interval_;
  std::optional<Time> slow_;            ///< keep_outcomes(): set when outcomes are kept
  std::vector<RequestOutcome> outcomes_;
};

}  // namespace lvs
