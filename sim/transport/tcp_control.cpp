// Transport TCP: the socket slab, ports, and what applications call (listen, accept,
// connect, send, close, abort).

#include <algorithm>
#include <stdexcept>

#include "transport/tcp_engine.hpp"

namespace lvs {

namespace {

constexpr std::uint32_t kNoThreshold = ~std::uint32_t{0};

// The address of `out` to use towards `dst`: one on the same subnet, else the primary
// (as Host::ip_send picks it).
Ipv4Address source_address(const Interface& out, Ipv4Address dst) {
  for (const Ipv4Prefix& a : out.addresses())
    if (a.contains(dst)) return a.address();
  return out.primary_address();
}

}  // namespace

SocketId Transport::Impl::alloc_socket(const FourTuple& t, TcpApp& app, TcpState state, std::uint32_t local_mss) {
  SocketId id = 0;
  if (!free_ids.empty()) {
    id = free_ids.back();
    free_ids.pop_back();
  } else {
    id = static_cast<SocketId>(sockets.size());
    sockets.emplace_back();
  }
  TcpSocket& s = sockets[id];
  const std::uint32_t gen = s.gen + 1;
  s = TcpSocket{};
  s.self = id;
  s.gen = gen;
  s.tuple = t;
  s.app = &app;
  s.state = state;
  s.mss = static_cast<std::uint16_t>(local_mss);
  s.iss = next_iss;
  next_iss += 0x2545f491U;  // any stride: ISS values only need to differ
  s.snd_una = s.snd_nxt = s.snd_max = s.recover = s.iss;
  s.snd_end = s.msg_start = s.iss + 1;
  s.ssthresh = kNoThreshold;
  s.rto = cfg.initial_rto;
  demux.insert(t, id);
  hold_tuple(t);
  ++open_count;
  return id;
}

// Forgets the connection: timers, tables, accept queue (the tuple goes to TIME_WAIT if this
// side closed first and the close completed); then tells the application (if it knows the
// socket and `notify`), then frees the slot.
void Transport::Impl::finish(SocketId id, TcpCloseReason why, bool notify) {
  TcpSocket& s = sockets[id];
  if (!s.live()) return;
  s.rto_timer.cancel(sim());
  s.delack_timer.cancel(sim());
  if (s.in_queue) unlink_accept(id);
  demux.erase(s.tuple);
  if (why == TcpCloseReason::Closed && s.closed_first && s.peer_fin)
    enter_time_wait(s);
  else
    release_tuple(s.tuple);
  --open_count;
  s.state = TcpState::Dead;
  if (notify && s.accepted) s.app->on_closed(id, s.user, why);
  s.state = TcpState::Free;
  free_ids.push_back(id);
}

bool Transport::Impl::alive(SocketId id, std::uint32_t gen) const {
  return id < sockets.size() && sockets[id].gen == gen && sockets[id].live();
}

TcpSocket* Transport::Impl::open_socket(SocketId id) {
  return id < sockets.size() && sockets[id].live() ? &sockets[id] : nullptr;
}

const TcpSocket* Transport::Impl::open_socket(SocketId id) const {
  return id < sockets.size() && sockets[id].live() ? &sockets[id] : nullptr;
}

Transport::Impl::Listener* Transport::Impl::listener(std::uint16_t port) {
  for (Listener& l : listeners)
    if (l.port == port) return &l;
  return nullptr;
}

const Transport::Impl::Listener* Transport::Impl::listener(std::uint16_t port) const {
  for (const Listener& l : listeners)
    if (l.port == port) return &l;
  return nullptr;
}

// MSS = MTU - 40 of the interface the route to `dst` leaves by (RFC 879, 6691).
std::uint32_t Transport::Impl::local_mss(Ipv4Address dst) const {
  const Route* r = host.routes().lookup(dst);
  const std::uint32_t mtu = r != nullptr ? r->out->mtu() : 576;
  return std::clamp<std::uint32_t>(mtu, kTcpMinMss + kIpv4Header + kTcpHeader, 65535) - kIpv4Header - kTcpHeader;
}

// What our SYN offers: the options this host's sysctls enable.
void Transport::Impl::offer_options(TcpSocket& s) const {
  s.ts_ok = cfg.timestamps != 0;
  s.sack_ok = cfg.sack;
  s.wscale_ok = cfg.window_scaling;
}

// The peer's SYN or SYN-ACK settles the options: each is on only if both ends want it
// (RFC 7323 2.2 and 3.2, RFC 2018 2); the MSS is the smaller of the two ends', less the
// timestamp option's 12 bytes when it is on (Linux tcp_sync_mss: mss_cache).
void Transport::Impl::agree_options(TcpSocket& s, const TcpSegment& syn) {
  s.ts_ok = s.ts_ok && syn.has_option(tcp_option::kTimestamps);
  s.sack_ok = s.sack_ok && syn.has_option(tcp_option::kSackPermitted);
  s.wscale_ok = s.wscale_ok && syn.has_option(tcp_option::kWindowScale);
  s.snd_wscale = s.wscale_ok ? std::min<std::uint8_t>(syn.wscale, 14) : 0;  // RFC 7323 2.3: at most 14
  if (syn.has_option(tcp_option::kMss) && syn.mss > 0 && syn.mss < s.mss) s.mss = syn.mss;
  if (s.ts_ok) s.mss = static_cast<std::uint16_t>(s.mss - (2 + kTcpTimestampOption));
  if (s.ts_ok) s.ts_recent = syn.tsval;
}

void Transport::Impl::enqueue_accept(Listener& l, SocketId id) {
  TcpSocket& s = sockets[id];
  s.in_queue = true;
  s.q_prev() = l.tail;
  s.q_next() = kNoSocket;
  if (l.tail != kNoSocket)
    sockets[l.tail].q_next() = id;
  else
    l.head = id;
  l.tail = id;
  ++l.queued;
}

void Transport::Impl::unlink_accept(SocketId id) {
  TcpSocket& s = sockets[id];
  Listener& l = *listener(s.tuple.lport);
  (s.q_prev() != kNoSocket ? sockets[s.q_prev()].q_next() : l.head) = s.q_next();
  (s.q_next() != kNoSocket ? sockets[s.q_next()].q_prev() : l.tail) = s.q_prev();
  s.q_prev() = s.q_next() = 0;  // the send ring is the application's from here on
  s.in_queue = false;
  --l.queued;
}

SocketId Transport::Impl::connect(Ipv4Address src, std::uint16_t sport, Ipv4Address dst, std::uint16_t dport,
                                TcpApp& app, std::uint64_t user) {
  const Route* route = host.routes().lookup(dst);
  if (route == nullptr) {
    app.on_closed(kNoSocket, user, TcpCloseReason::Unreachable);  // connect(): ENETUNREACH
    return kNoSocket;
  }
  if (src.is_unspecified()) src = source_address(*route->out, dst);
  const bool ephemeral = sport == 0;
  if (ephemeral) {
    const std::optional<std::uint16_t> port = ephemeral_port(src, dst, dport);
    if (!port) {
      app.on_closed(kNoSocket, user, TcpCloseReason::NoLocalPort);  // connect(): EADDRNOTAVAIL
      return kNoSocket;
    }
    sport = *port;
  }
  const FourTuple t{src, dst, sport, dport};
  // ephemeral_port returns only a port whose tuple it has just found available, and nothing
  // has changed since: only an explicit port needs the test.
  if (!ephemeral && !tuple_available(t))
    throw std::invalid_argument(host.name() + ": connection " + src.str() + ":" + std::to_string(sport) + " -> " +
                                dst.str() + ":" + std::to_string(dport) + " already exists");
  // An available tuple is in TIME_WAIT only when tcp_tw_reuse = 1 lets connect() take it over.
  if (cfg.tw_reuse == 1) time_wait.remove(t);
  const SocketId id = alloc_socket(t, app, TcpState::SynSent, local_mss(dst));
  TcpSocket& s = sockets[id];
  s.user = user;
  s.accepted = true;
  offer_options(s);
  send_syn(s);
  return id;
}

std::optional<SocketId> Transport::Impl::accept(std::uint16_t port, std::uint64_t user) {
  Listener* l = listener(port);
  if (l == nullptr || l->head == kNoSocket) return std::nullopt;
  const SocketId id = l->head;
  unlink_accept(id);
  TcpSocket& s = sockets[id];
  s.accepted = true;
  s.user = user;
  const std::uint32_t gen = s.gen;
  const int pending = s.pending_count;
  // Copied out first: the send ring they share is the application's from here on.
  const std::uint64_t tags[TcpSocket::kMaxPending] = {s.pending_tag(0), s.pending_tag(1)};
  const std::uint32_t bytes[TcpSocket::kMaxPending] = {s.pending_bytes(0), s.pending_bytes(1)};
  s.pending_count = 0;
  s.msg_tag[0] = s.msg_tag[1] = 0;
  s.msg_end[0] = s.msg_end[1] = 0;
  for (int i = 0; i < pending; ++i) {
    s.app->on_message(id, user, tags[i], bytes[i]);
    if (!alive(id, gen)) return id;
  }
  if (s.peer_fin_undelivered) {
    s.peer_fin_undelivered = false;
    s.app->on_peer_closed(id, user);
  }
  return id;
}

void Transport::Impl::send(SocketId id, std::uint32_t bytes, std::uint64_t tag) {
  TcpSocket* s = open_socket(id);
  if (s == nullptr) return;  // closed under the application's feet (reset, timeout)
  if (bytes == 0) throw std::invalid_argument(host.name() + ": tcp_send of 0 bytes");
  if (s->fin_queued) throw std::logic_error(host.name() + ": tcp_send after tcp_close");
  if (s->msg_count == TcpSocket::kMaxMessages)
    throw std::logic_error(host.name() + ": tcp_send: more than 4 unacknowledged messages on one connection");
  const int slot = (s->msg_head + s->msg_count) % TcpSocket::kMaxMessages;
  s->snd_end += bytes;
  s->msg_end[slot] = s->snd_end;
  s->msg_tag[slot] = tag;
  ++s->msg_count;
  if (s->state == TcpState::Open) output(id);
}

void Transport::Impl::close(SocketId id) {
  TcpSocket* s = open_socket(id);
  if (s == nullptr || s->fin_queued) return;
  if (s->state == TcpState::SynSent) {
    finish(id, TcpCloseReason::Closed, true);
    return;
  }
  s->fin_queued = true;
  s->closed_first = !s->peer_fin;
  if (s->state == TcpState::Open) output(id);
}

// RST with seq = snd_max: at or past the peer's rcv_nxt and within its window.
void Transport::Impl::abort(SocketId id) {
  TcpSocket* s = open_socket(id);
  if (s == nullptr) return;
  if (s->state != TcpState::SynSent) {
    send_segment(*s, s->snd_max, tcp_flags::kRst | tcp_flags::kAck, 0, 0, 0);
    count_reset_sent();
  }
  finish(id, TcpCloseReason::Aborted, false);
}

TcpInfo Transport::Impl::info(SocketId id) const {
  TcpInfo i;
  const TcpSocket* s = open_socket(id);
  if (s == nullptr) return i;
  i.open = true;
  i.established = s->state == TcpState::Open;
  i.mss = s->mss;
  i.cwnd = s->cwnd;
  i.ssthresh = s->ssthresh;
  i.in_flight = s->snd_max - s->snd_una;
  i.unsent = seq_lt(s->snd_max, s->snd_end) ? s->snd_end - s->snd_max : 0;
  i.srtt = s->srtt;
  i.rttvar = s->rttvar;
  i.rto = s->rto;
  return i;
}

}  // namespace lvs
