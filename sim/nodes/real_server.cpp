#include "nodes/real_server.hpp"

#include <algorithm>

#include "net/network.hpp"
#include "nodes/request_tag.hpp"
#include "nodes/sampling.hpp"

namespace lvs {

namespace {
// The `user` value of accepted sockets (a connection still in the accept queue has 0).
constexpr std::uint64_t kAccepted = 1;
}  // namespace

RealServer::RealServer(Network& net, std::string name, RealServerConfig app)
    : EndHost(net, name),
      app_(std::move(app)),
      service_rng_(net.sim().rng(name + "/service-time")),
      size_rng_(net.sim().rng(name + "/response-size")),
      busy_time_(Time()) {}

void RealServer::start() {
  running_ = true;
  if (app_.protocol == IpProto::Tcp)
    tcp_listen(app_.port, *this, app_.backlog);
  else
    udp_bind(app_.port, *this);
}

void RealServer::stop_service() {
  if (!running_) return;
  if (app_.protocol == IpProto::Tcp) {
    tcp_unlisten(app_.port);
    tcp_reset_port(app_.port);
  } else {
    udp_unbind(app_.port);
  }
  forget_requests();
}

void RealServer::power_off() {
  forget_all();
  forget_requests();
  if (!mount_) return;
  mount_->power_off();  // no callback comes: the workers blocked on it are gone
  busy_ -= static_cast<std::uint32_t>(storage_blocked());
  busy_time_.set(sim().now(), busy_);
  stats_.abandoned += storage_blocked();
  blocked_.release_all();
}

// The process is gone: no connection of it is open, no request waits, and the workers busy
// now finish into nothing (every socket's generation moves on, so end_service abandons).
void RealServer::forget_requests() {
  running_ = false;
  stats_.open_connections = 0;
  for (std::uint32_t& g : generations_) ++g;
  stats_.abandoned += queue_.size();
  while (!queue_.empty()) queue_.pop();
  partial_.clear();
}

std::uint32_t& RealServer::generation_of(SocketId s) {
  if (s >= generations_.size()) generations_.resize(std::size_t(s) + 1);
  return generations_[s];
}

void RealServer::on_acceptable(std::uint16_t /*port*/) { accept_waiting(); }

// Accepts while fewer than max_connections are open (the rest wait in the backlog).
void RealServer::accept_waiting() {
  while (stats_.open_connections < app_.max_connections) {
    const std::optional<SocketId> s = tcp_accept(app_.port, kAccepted);
    if (!s) return;
    ++stats_.connections;
    ++stats_.open_connections;
    stats_.peak_connections = std::max(stats_.peak_connections, stats_.open_connections);
  }
}

void RealServer::on_message(SocketId s, std::uint64_t /*user*/, std::uint64_t tag, std::uint32_t /*bytes*/) {
  enqueue(Request{s, generation_of(s), {}, {}, 0, tag, sim().now()});
}

// A UDP request is complete when all its datagrams are in (their payloads add up to the
// message size each one carries); then it is one request.
void RealServer::on_datagram(const Packet& pkt) {
  if (pkt.payload < pkt.message_bytes) {
    const auto key = std::make_tuple(pkt.ip.src.value(), pkt.sport, pkt.app);
    std::uint32_t& got = partial_[key];
    got += pkt.payload;
    if (got < pkt.message_bytes) return;
    partial_.erase(key);
  }
  enqueue(Request{kNoSocket, 0, pkt.ip.dst, pkt.ip.src, pkt.sport, pkt.app, sim().now()});
}

void RealServer::enqueue(const Request& r) {
  ++stats_.requests;
  if (busy_ < app_.workers)
    begin_service(r);
  else
    queue_.push(r);
}

void RealServer::begin_service(const Request& r) {
  ++busy_;
  busy_time_.set(sim().now(), busy_);
  const std::optional<std::uint32_t> file = mount_ ? RequestTag::file(r.tag) : std::nullopt;
  if (!file) {
    serve(r);
    return;
  }
  const std::uint32_t token = blocked_.add(r);
  const bool now = RequestTag::writes(r.tag) ? mount_->write(*file, *this, token) : mount_->read(*file, *this, token);
  if (!now) {
    ++stats_.storage_waits;
    return;
  }
  blocked_.release(token);  // served from the page cache: no RPC, no extra event
  serve(r);
}

void RealServer::on_nfs_done(std::uint64_t token, storage::NfsResult result) {
  const Request r = blocked_.at(static_cast<std::uint32_t>(token));
  blocked_.release(static_cast<std::uint32_t>(token));
  if (result == storage::NfsResult::Ok) {
    serve(r);
    return;
  }
  // EIO from a soft mount: nginx answers 500 at once (open() or read() failed).
  ++stats_.storage_errors;
  respond(r, kErrorResponseBytes, RequestTag::failed(r.tag));
  if (served_) served_(sim().now() - r.arrived);
  next_request();
}

void RealServer::serve(const Request& r) {
  sim().schedule_in(sample_duration(app_.service_time, service_rng_), [this, r] { end_service(r); });
}

void RealServer::end_service(const Request& r) {
  const std::optional<std::uint32_t> file = app_.content != nullptr ? RequestTag::file(r.tag) : std::nullopt;
  const std::uint32_t bytes = file && !RequestTag::writes(r.tag) ? app_.content->bytes(*file)
                                                                 : sample_bytes(app_.response_size, size_rng_);
  respond(r, bytes, r.tag);
  if (r.arrived >= app_.measure_from) residence_.record((sim().now() - r.arrived).seconds());
  if (served_) served_(sim().now() - r.arrived);
  next_request();
}

void RealServer::respond(const Request& r, std::uint32_t bytes, std::uint64_t tag) {
  if (!running_) {
    ++stats_.abandoned;
  } else if (r.socket == kNoSocket) {
    udp_send(r.local, app_.port, r.peer, r.peer_port, bytes, tag);
    ++stats_.responses;
  } else if (generation_of(r.socket) == r.generation) {
    tcp_send(r.socket, bytes, tag);
    ++stats_.responses;
  } else {
    ++stats_.abandoned;
  }
}

// The worker that just finished takes the next request waiting, or goes idle.
void RealServer::next_request() {
  if (queue_.empty()) {
    --busy_;
    busy_time_.set(sim().now(), busy_);
    return;
  }
  const Request next = queue_.pop();
  --busy_;  // begin_service counts it again
  begin_service(next);
}

void RealServer::on_peer_closed(SocketId s, std::uint64_t /*user*/) { tcp_close(s); }

void RealServer::on_closed(SocketId s, std::uint64_t user, TcpCloseReason /*why*/) {
  ++generation_of(s);
  if (user != kAccepted) return;  // reset while still in the accept queue
  --stats_.open_connections;
  accept_waiting();
}

}  // namespace lvs
