#include "storage/drbd.hpp"

namespace lvs::storage {

namespace {

// The `user` value of the Primary's connecting socket and of the Secondary's accepted one.
constexpr std::uint64_t kToPeer = 1;
constexpr std::uint64_t kFromPeer = 2;
constexpr std::uint32_t kListenBacklog = 1;

// A P_DATA message's tag: the file and its change attribute (the replicated inode).
std::uint64_t data_tag(std::uint32_t file, std::uint32_t change) { return std::uint64_t{file} << 32 | change; }

}  // namespace

char drbd_protocol_letter(DrbdProtocol p) {
  switch (p) {
    case DrbdProtocol::A: return 'A';
    case DrbdProtocol::B: return 'B';
    case DrbdProtocol::C: return 'C';
  }
  return '?';
}

DrbdDevice::DrbdDevice(Transport& host, Simulation& sim, std::string name, DrbdConfig config, NfsServer& server)
    : host_(host), sim_(sim), name_(std::move(name)), config_(config), server_(server) {}

DrbdDevice::~DrbdDevice() {
  timeout_.cancel(sim_);
  reconnect_.cancel(sim_);
}

void DrbdDevice::start_secondary() {
  role_ = DrbdRole::Secondary;
  if (!listening_) host_.tcp_listen(kDrbdPort, *this, kListenBacklog);
  listening_ = true;
}

// Both nodes connect to each other in DRBD; here the Primary connects and the Secondary
// listens, which gives the same single connection.
void DrbdDevice::promote(Ipv4Address peer) {
  role_ = DrbdRole::Primary;
  peer_ = peer;
  if (socket_ != kNoSocket) {
    host_.tcp_abort(socket_);
    socket_ = kNoSocket;
    connected_ = false;
  }
  connect();
}

void DrbdDevice::power_off() {
  ++life_;
  timeout_.cancel(sim_);
  reconnect_.cancel(sim_);
  while (!unsent_.empty()) unsent_.pop();
  while (!unacked_.empty()) unacked_.pop();
  socket_ = kNoSocket;
  connected_ = false;
  listening_ = false;
  acks_due_ = 0;
  role_ = DrbdRole::Secondary;
}

void DrbdDevice::connect() {
  if (role_ != DrbdRole::Primary || socket_ != kNoSocket) return;
  const SocketId s = host_.tcp_connect(Ipv4Address(), 0, peer_, kDrbdPort, *this, kToPeer);
  if (s != kNoSocket) socket_ = s;
  if (socket_ == kNoSocket) reconnect_.restart(sim_, config_.connect_int, [this] { connect(); });
}

// Disconnected (StandAlone / WFConnection): the write is complete on the local disk alone
// and its blocks are out of sync. Connected: queued for the peer.
void DrbdDevice::replicate(std::uint32_t file, std::uint32_t bytes, std::uint32_t change, ReplicaClient& client,
                           std::uint64_t token) {
  if (!connected()) {
    ++stats_.out_of_sync;
    client.on_replicated(token);
    return;
  }
  unsent_.push(Write{bytes + kDrbdHeaderBytes, data_tag(file, change), &client, token, sim_.now()});
  flush();
}

// Protocol A completes a write once it is in the TCP send buffer; B and C wait for the ack.
void DrbdDevice::flush() {
  while (connected() && !unsent_.empty() && host_.tcp_send_room(socket_) > 0) {
    Write w = unsent_.pop();
    host_.tcp_send(socket_, w.bytes, w.tag);
    ++stats_.replicated;
    if (config_.protocol == DrbdProtocol::A) {
      w.client->on_replicated(w.token);
      continue;
    }
    w.sent = sim_.now();
    unacked_.push(w);
    if (!timeout_.armed(sim_)) arm_timeout();
  }
}

// The peer acks in order (TCP delivers in order, its disk serves first come first served).
void DrbdDevice::acked() {
  if (unacked_.empty()) return;
  const Write w = unacked_.pop();
  ++stats_.acked;
  timeout_.cancel(sim_);
  if (!unacked_.empty()) arm_timeout();
  w.client->on_replicated(w.token);
}

// "If the partner node fails to send an expected response packet within timeout tenths of a
// second, the partner node is considered dead and therefore the TCP/IP connection is
// abandoned" (drbdsetup --timeout).
void DrbdDevice::arm_timeout() {
  const Time due = unacked_.front().sent + config_.timeout;
  timeout_.restart(sim_, due > sim_.now() ? due - sim_.now() : Time::zero(), [this] { disconnect(); });
}

void DrbdDevice::disconnect() {
  ++stats_.disconnects;
  if (socket_ != kNoSocket) host_.tcp_abort(socket_);
  socket_ = kNoSocket;
  connected_ = false;
  complete_all_locally();
  reconnect_.restart(sim_, config_.connect_int, [this] { connect(); });
}

void DrbdDevice::complete_all_locally() {
  timeout_.cancel(sim_);
  while (!unacked_.empty() || !unsent_.empty()) {
    const Write w = !unacked_.empty() ? unacked_.pop() : unsent_.pop();
    ++stats_.out_of_sync;
    w.client->on_replicated(w.token);
  }
}

void DrbdDevice::on_connected(SocketId s, std::uint64_t /*user*/) {
  if (s != socket_) return;
  connected_ = true;
  flush();
}

void DrbdDevice::on_acceptable(std::uint16_t port) {
  while (const std::optional<SocketId> s = host_.tcp_accept(port, kFromPeer)) {
    if (socket_ != kNoSocket) host_.tcp_abort(socket_);  // a new Primary replaces the old connection
    socket_ = *s;
    connected_ = true;
    acks_due_ = 0;
  }
}

// Secondary: P_DATA. B acks receipt at once; C after its disk write; A sends no ack.
void DrbdDevice::on_message(SocketId s, std::uint64_t user, std::uint64_t tag, std::uint32_t bytes) {
  if (user == kToPeer) {
    if (role_ == DrbdRole::Primary) acked();
    return;
  }
  if (s != socket_) return;
  ++stats_.received;
  server_.apply_replica(static_cast<std::uint32_t>(tag >> 32), static_cast<std::uint32_t>(tag));
  const std::uint64_t token = std::uint64_t{life_} << 32;
  server_.disk().write(bytes - kDrbdHeaderBytes, *this, token);
  if (config_.protocol == DrbdProtocol::B) send_ack();  // P_RECV_ACK
}

// Acks wait for send room like any message (a socket holds a few messages at most).
void DrbdDevice::send_ack() {
  ++acks_due_;
  send_acks();
}

void DrbdDevice::send_acks() {
  while (acks_due_ > 0 && socket_ != kNoSocket && host_.tcp_send_room(socket_) > 0) {
    host_.tcp_send(socket_, kDrbdHeaderBytes, 0);
    --acks_due_;
  }
}

void DrbdDevice::on_disk_done(std::uint64_t token) {
  if (static_cast<std::uint32_t>(token >> 32) != life_) return;
  if (config_.protocol == DrbdProtocol::C && socket_ != kNoSocket && connected_ && role_ == DrbdRole::Secondary)
    send_ack();  // P_WRITE_ACK
}

void DrbdDevice::on_closed(SocketId s, std::uint64_t user, TcpCloseReason /*why*/) {
  if (s != socket_ && s != kNoSocket) return;
  socket_ = kNoSocket;
  connected_ = false;
  if (user == kToPeer && role_ == DrbdRole::Primary) {
    complete_all_locally();
    reconnect_.restart(sim_, config_.connect_int, [this] { connect(); });
  }
}

void DrbdDevice::on_peer_closed(SocketId s, std::uint64_t /*user*/) { host_.tcp_close(s); }

void DrbdDevice::on_send_room(SocketId /*s*/, std::uint64_t user) {
  if (user == kToPeer)
    flush();
  else
    send_acks();
}

}  // namespace lvs::storage
