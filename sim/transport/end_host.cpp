// Transport: the public face of the transport layer, the dispatch of arriving packets,
// and UDP.

#include "transport/end_host.hpp"

#include <algorithm>

#include "transport/tcp_engine.hpp"

namespace lvs {

const char* close_reason_name(TcpCloseReason r) {
  switch (r) {
    case TcpCloseReason::Closed: return "closed";
    case TcpCloseReason::Reset: return "reset";
    case TcpCloseReason::Unreachable: return "unreachable";
    case TcpCloseReason::Timeout: return "timeout";
    case TcpCloseReason::Aborted: return "aborted";
    case TcpCloseReason::NoLocalPort: return "no-local-port";
  }
  return "?";
}

Transport::Transport(Host& host, TcpConfig tcp)
    : host_(host), tcp_(tcp), impl_(std::make_unique<Impl>(host, tcp_, stats_)) {
  host_.attach_transport(this);
}

// Pending timers hold a pointer to the Impl: cancel them (the Simulation outlives us).
Transport::~Transport() {
  host_.attach_transport(nullptr);
  Simulation& sim = host_.network().sim();
  for (SocketId id = 0; id < impl_->sockets.size(); ++id) {
    impl_->sockets[id].rto_timer.cancel(sim);
    impl_->sockets[id].delack_timer.cancel(sim);
  }
  sim.cancel(impl_->time_wait_timer);
}

void Transport::tcp_listen(std::uint16_t port, TcpApp& app, std::uint32_t backlog) {
  if (Impl::Listener* l = impl_->listener(port)) {
    l->app = &app;
    l->backlog = backlog;
    return;
  }
  impl_->listeners.push_back(Impl::Listener{port, &app, backlog, 0, kNoSocket, kNoSocket});
}

void Transport::tcp_unlisten(std::uint16_t port) {
  if (impl_->listener(port) == nullptr) return;
  for (SocketId id = 0; id < impl_->sockets.size(); ++id) {
    const TcpSocket& s = impl_->sockets[id];
    if (s.live() && !s.accepted && s.tuple.lport == port) impl_->abort(id);
  }
  std::erase_if(impl_->listeners, [port](const Impl::Listener& l) { return l.port == port; });
}

void Transport::tcp_reset_port(std::uint16_t port) {
  for (SocketId id = 0; id < impl_->sockets.size(); ++id)
    if (impl_->sockets[id].live() && impl_->sockets[id].tuple.lport == port) impl_->abort(id);
}

void Transport::forget_all() {
  for (SocketId id = 0; id < impl_->sockets.size(); ++id)  // a listener's children first: no app knows them
    if (impl_->sockets[id].live() && !impl_->sockets[id].accepted) impl_->finish(id, TcpCloseReason::Aborted, false);
  impl_->listeners.clear();
  impl_->udp.clear();
  for (SocketId id = 0; id < impl_->sockets.size(); ++id)
    if (impl_->sockets[id].live()) impl_->finish(id, TcpCloseReason::Aborted, true);
  impl_->time_wait.expire(Time::max(), [this](const FourTuple& t) { impl_->release_tuple(t); });
  host_.network().sim().cancel(impl_->time_wait_timer);
}

std::optional<SocketId> Transport::tcp_accept(std::uint16_t port, std::uint64_t user) {
  return impl_->accept(port, user);
}

std::uint32_t Transport::tcp_accept_queue(std::uint16_t port) const {
  const Impl::Listener* l = impl_->listener(port);
  return l != nullptr ? l->queued : 0;
}

SocketId Transport::tcp_connect(Ipv4Address src, std::uint16_t sport, Ipv4Address dst, std::uint16_t dport,
                              TcpApp& app, std::uint64_t user) {
  return impl_->connect(src, sport, dst, dport, app, user);
}

void Transport::tcp_send(SocketId s, std::uint32_t bytes, std::uint64_t tag) { impl_->send(s, bytes, tag); }
int Transport::tcp_send_room(SocketId s) const {
  const TcpSocket* k = impl_->open_socket(s);
  return k == nullptr || k->fin_queued ? 0 : TcpSocket::kMaxMessages - k->msg_count;
}
void Transport::tcp_close(SocketId s) { impl_->close(s); }
void Transport::tcp_abort(SocketId s) { impl_->abort(s); }
std::size_t Transport::tcp_open_sockets() const { return impl_->open_count; }
std::size_t Transport::tcp_time_wait() const { return impl_->time_wait.size(); }
TcpInfo Transport::tcp_info(SocketId s) const { return impl_->info(s); }

Ipv4Address Transport::tcp_local_address(SocketId s) const {
  const TcpSocket* k = impl_->open_socket(s);
  return k != nullptr ? k->tuple.laddr : Ipv4Address();
}

Ipv4Address Transport::tcp_remote_address(SocketId s) const {
  const TcpSocket* k = impl_->open_socket(s);
  return k != nullptr ? k->tuple.raddr : Ipv4Address();
}

std::uint16_t Transport::tcp_local_port(SocketId s) const {
  const TcpSocket* k = impl_->open_socket(s);
  return k != nullptr ? k->tuple.lport : 0;
}

std::uint16_t Transport::tcp_remote_port(SocketId s) const {
  const TcpSocket* k = impl_->open_socket(s);
  return k != nullptr ? k->tuple.rport : 0;
}

void Transport::udp_bind(std::uint16_t port, UdpApp& app) {
  for (Impl::UdpBinding& b : impl_->udp)
    if (b.port == port) {
      b.app = &app;
      return;
    }
  impl_->udp.push_back(Impl::UdpBinding{port, &app});
}

void Transport::udp_unbind(std::uint16_t port) {
  std::erase_if(impl_->udp, [port](const Impl::UdpBinding& b) { return b.port == port; });
}

// Datagrams of at most MTU - 28 payload bytes (the route's interface MTU, less the IP and
// UDP headers), each with the message's tag and total size.
void Transport::udp_send(Ipv4Address src, std::uint16_t sport, Ipv4Address dst, std::uint16_t dport,
                       std::uint32_t bytes, std::uint64_t tag, std::uint8_t ttl) {
  const Route* route = host_.routes().lookup(dst);
  const std::uint32_t mtu = route != nullptr ? route->out->mtu() : 1500;
  if (ttl == 0) ttl = dst.is_multicast() ? 1 : Ipv4Header{}.ttl;
  const std::uint32_t most = std::max<std::uint32_t>(mtu, 68) - kIpv4Header - kUdpHeader;
  std::uint32_t left = bytes;
  do {
    const std::uint32_t len = std::min(left, most);
    const PacketId p = host_.network().new_packet();
    Packet& pkt = host_.network().packets()[p];
    pkt.ip.src = src;
    pkt.ip.dst = dst;
    pkt.ip.proto = IpProto::Udp;
    pkt.ip.ttl = ttl;
    pkt.sport = sport;
    pkt.dport = dport;
    pkt.payload = len;
    pkt.app = tag;
    pkt.message_bytes = bytes;
    ++stats_.udp_datagrams_out;
    host_.ip_send(p);
    left -= len;
  } while (left > 0);
}

Transport::Impl::Verdict Transport::Impl::udp_input(const Packet& pkt) {
  ++stats.udp_datagrams_in;
  for (const UdpBinding& b : udp)
    if (b.port == pkt.dport) {
      b.app->on_datagram(pkt);
      return nullptr;
    }
  ++stats.udp_no_port;
  host.send_icmp_error(pkt, icmp_code::kPortUnreachable);
  return "UDP port unreachable (ICMP sent)";
}

// The socket the segment's hint names, all of its cache lines: find_socket checks its
// tuple and state, and the input path reads the rest.
void Transport::early_demux(const Packet& pkt) const {
  if (pkt.ip.proto != IpProto::Tcp || pkt.tcp_to_socket >= impl_->sockets.size()) return;
  const char* s = reinterpret_cast<const char*>(&impl_->sockets[pkt.tcp_to_socket]);
  for (std::size_t off = 0; off < sizeof(TcpSocket); off += 64) __builtin_prefetch(s + off);
  __builtin_prefetch(s + sizeof(TcpSocket) - 1);
}

void Transport::deliver(Interface& /*in*/, PacketId p) {
  Network& net = host_.network();
  const Packet& pkt = net.packets()[p];
  Impl::Verdict verdict = nullptr;
  switch (pkt.ip.proto) {
    case IpProto::Tcp: verdict = impl_->tcp_input(pkt); break;
    case IpProto::Udp: verdict = impl_->udp_input(pkt); break;
    case IpProto::Icmp: impl_->icmp_input(pkt); break;
    case IpProto::IpIp: verdict = "IPIP to an end host"; break;
    case IpProto::Vrrp: verdict = "VRRP to an end host"; break;
  }
  if (verdict != nullptr)
    net.drop(host_, p, verdict);
  else
    net.packets().release(p);
}

}  // namespace lvs
