#pragma once
// A real server: a host running one request/response application (a web server, a DNS
// server) on a TCP or UDP port. Connections wait in the accept queue (`backlog`) and are
// accepted while fewer than `max_connections` are open; requests wait for one of
// `workers` workers, each busy for a service time drawn per request, then the response
// (a size drawn per request) goes back on the same connection.
// With content (workload.content) a request names a file (nodes/request_tag.hpp) and the
// response is the file; with an NFS mount the worker first opens the file there
// (storage/nfs_mount.hpp): a file cached with valid attributes costs nothing, otherwise the
// worker blocks while the RPCs are out. If a soft mount times out the worker answers at once
// with nginx's 500 page (kErrorResponseBytes).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include "core/distribution.hpp"
#include "core/slot_table.hpp"
#include "core/ring_queue.hpp"
#include "metrics/histogram.hpp"
#include "metrics/summary.hpp"
#include "nodes/server_defaults.hpp"
#include "storage/content.hpp"
#include "storage/mount.hpp"
#include "transport/end_host.hpp"

namespace lvs {

struct RealServerConfig {
  IpProto protocol = IpProto::Tcp;
  std::uint16_t port = 80;
  std::uint32_t workers = kDefaultWorkers;
  std::uint32_t backlog = kDefaultBacklog;
  std::uint32_t max_connections = kDefaultMaxConnections;
  Distribution service_time = Distribution::constant(0.001);  ///< seconds
  Distribution response_size = Distribution::constant(1000);  ///< bytes (with content: of a write's answer)
  /// The catalogue requests name files from; null: responses are response_size bytes.
  const storage::Catalogue* content = nullptr;
  /// Requests that arrive from this time on (the run's warm-up) have their residence time
  /// (queueing + service) recorded in RealServer::residence().
  Time measure_from;
};

/// The answer to a request the server could not serve: nginx 1.22's built-in 500 page
/// (170 bytes of HTML, ngx_http_special_response.c) and its response header (161 bytes:
/// status line, Server, Date, Content-Type, Content-Length, Connection), docs/nfs-client.md.
inline constexpr std::uint32_t kErrorResponseBytes = 331;

/// What a real server did.
struct RealServerStats {
  std::uint64_t requests = 0;            ///< requests received
  std::uint64_t responses = 0;           ///< responses sent
  std::uint64_t abandoned = 0;           ///< served, but the connection was gone by then
  std::uint64_t connections = 0;         ///< connections accepted
  std::uint32_t open_connections = 0;
  std::uint32_t peak_connections = 0;
  std::uint64_t storage_waits = 0;       ///< requests whose worker blocked on NFS
  std::uint64_t storage_errors = 0;      ///< requests answered with an error: the NFS mount timed out
};

class RealServer : public EndHost, private TcpApp, private UdpApp, private storage::NfsWaiter {
 public:
  RealServer(Network& net, std::string name, RealServerConfig app);

  /// Starts listening (TCP) or binds the port (UDP); the service is running.
  void start();
  /// The service process is killed, the host stays up: it stops listening (SYNs get RST, UDP
  /// datagrams ICMP port unreachable), its connections are reset, requests waiting are
  /// dropped and those in service are never answered.
  void stop_service();
  /// The host loses power: as stop_service, without a packet (the transport forgets all);
  /// the NFS mount forgets its calls and the page cache.
  void power_off();
  /// Mounts the web root (before start()): requests then read their files there.
  void attach_mount(std::unique_ptr<storage::Mount> mount) { mount_ = std::move(mount); }
  /// The web root's mount, or null.
  storage::Mount* mount() { return mount_.get(); }
  const storage::Mount* mount() const { return mount_.get(); }
  /// Workers blocked on NFS now.
  std::size_t storage_blocked() const { return blocked_.live(); }
  /// Whether the service is running.
  bool running() const { return running_; }
  const RealServerConfig& app() const { return app_; }
  /// The HTTP status its responses carry (200 unless set): what an HTTP_GET health check
  /// compares with its status_code. Packets carry no content, so the checker reads it here.
  int http_status() const { return http_status_; }
  void set_http_status(int status) { http_status_ = status; }
  const RealServerStats& stats() const { return stats_; }
  /// Workers busy now.
  std::uint32_t busy_workers() const { return busy_; }
  /// Requests waiting for a worker now.
  std::size_t waiting() const { return queue_.size(); }
  /// Busy workers integrated over time (worker-seconds), for utilisation.
  double busy_worker_seconds() const { return busy_time_.integral(sim().now()); }
  /// Called with each request's time at the server (queueing + service) when it is served:
  /// the latency feedback of the schedulers that learn from it (lrt, peak-ewma).
  void on_request_served(std::function<void(Time)> observer) { served_ = std::move(observer); }
  /// Residence times (from the whole request in to the response out: waiting for a worker
  /// and service), seconds, of the requests served normally that arrived from
  /// RealServerConfig::measure_from on: what a queueing model's response time predicts.
  const Histogram& residence() const { return residence_; }

 private:
  struct Request {
    SocketId socket = kNoSocket;       ///< TCP
    std::uint32_t generation = 0;      ///< of the socket when the request arrived
    Ipv4Address local, peer;           ///< UDP: where to send the response from and to
    std::uint16_t peer_port = 0;
    std::uint64_t tag = 0;
    Time arrived;                      ///< when the whole request was in
  };

  void on_acceptable(std::uint16_t port) override;
  void on_message(SocketId s, std::uint64_t user, std::uint64_t tag, std::uint32_t bytes) override;
  void on_peer_closed(SocketId s, std::uint64_t user) override;
  void on_closed(SocketId s, std::uint64_t user, TcpCloseReason why) override;
  void on_datagram(const Packet& pkt) override;

  void accept_waiting();
  void enqueue(const Request& r);
  void on_nfs_done(std::uint64_t token, storage::NfsResult result) override;
  void begin_service(const Request& r);
  void serve(const Request& r);
  void end_service(const Request& r);
  void respond(const Request& r, std::uint32_t bytes, std::uint64_t tag);
  void next_request();
  void forget_requests();
  std::uint32_t& generation_of(SocketId s);

  RealServerConfig app_;
  RealServerStats stats_;
  int http_status_ = 200;
  std::function<void(Time)> served_;
  Rng& service_rng_;
  Rng& size_rng_;
  RingQueue<Request> queue_;
  std::uint32_t busy_ = 0;
  bool running_ = false;
  TimeWeighted busy_time_;
  Histogram residence_;
  std::vector<std::uint32_t> generations_;  // per SocketId: bumped when a socket closes
  std::unique_ptr<storage::Mount> mount_;
  SlotTable<Request> blocked_;  // workers waiting for their mount, by token
  // UDP requests of several datagrams: bytes received so far, by (peer, port, tag).
  // A one-datagram request never enters it.
  std::map<std::tuple<std::uint32_t, std::uint16_t, std::uint64_t>, std::uint32_t> partial_;
};

}  // namespace lvs
