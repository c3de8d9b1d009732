// Transport TCP: segments and ICMP errors arriving (RFC 793 3.9 "SEGMENT ARRIVES",
// RFC 1122 4.2.3.9 for ICMP, RFC 1191 for "fragmentation needed").

#include <algorithm>
#include <stdexcept>

#include "transport/tcp_engine.hpp"

namespace lvs {

using tcp_flags::kAck;
using tcp_flags::kFin;
using tcp_flags::kPsh;
using tcp_flags::kRst;
using tcp_flags::kSyn;

Transport::Impl::Verdict Transport::Impl::tcp_input(const Packet& pkt) {
  ++stats.segments_in;
  const TcpHeader& h = pkt.tcp;
  const TcpSegment seg{h.seq,    h.ack, pkt.payload, pkt.app, h.tsval,
                       h.window, h.mss, h.flags,     h.kinds, h.wscale, pkt.tcp_from_socket};
  const FourTuple t{pkt.ip.dst, pkt.ip.src, pkt.dport, pkt.sport};
  const std::uint32_t id = find_socket(t, pkt.tcp_to_socket);
  if (id != TupleMap::kAbsent) {
    sockets[id].peer_socket = seg.from_socket;
    return socket_input(id, seg);
  }
  if (TimeWaitEntry* tw = time_wait.find(t)) return time_wait_input(*tw, seg);
  if (seg.has(kRst)) return "TCP RST for no connection";
  if (seg.has(kSyn) && !seg.has(kAck)) return listen_input(t, seg);
  send_reset(t, seg);
  return "TCP segment for no connection (RST sent)";
}

// The hint is exact when it holds: a socket is in demux exactly while it is live (alloc_socket
// inserts it as it goes live, finish() erases it before it dies), its tuple does not change
// meanwhile, and demux maps each tuple to one socket. So a live socket at `hint` with
// tuple `t` is the one demux.find(t) returns; anything else (no hint, a stale or foreign
// one) asks demux (docs/conn-tables.md, "Demultiplexing hints").
SocketId Transport::Impl::find_socket(const FourTuple& t, std::uint32_t hint) const {
  if (hint < sockets.size()) {
    const TcpSocket& s = sockets[hint];
    if (s.live() && s.tuple == t) return hint;
  }
  return demux.find(t);
}

// A SYN for no connection: a listener takes it unless its accept queue is full (then
// it is dropped, as Linux does, and the client retransmits); no listener: RST.
Transport::Impl::Verdict Transport::Impl::listen_input(const FourTuple& t, const TcpSegment& seg) {
  Listener* l = listener(t.lport);
  if (l == nullptr) {
    send_reset(t, seg);
    return "TCP SYN to a closed port (RST sent)";
  }
  if (l->queued >= l->backlog) {
    ++stats.listen_overflows;
    return "TCP SYN dropped: accept queue full";
  }
  const SocketId id = alloc_socket(t, *l->app, TcpState::SynReceived, local_mss(t.raddr));
  TcpSocket& s = sockets[id];
  s.peer_socket = seg.from_socket;
  offer_options(s);
  agree_options(s, seg);
  s.rcv_nxt = s.rcv_acked = s.rcv_msg_start = seg.seq + 1;
  send_syn(s);
  return nullptr;
}

Transport::Impl::Verdict Transport::Impl::socket_input(SocketId id, const TcpSegment& seg) {
  if (seg.has(kRst)) return rst_input(id, seg);
  switch (sockets[id].state) {
    case TcpState::SynSent: return syn_sent_input(id, seg);
    case TcpState::SynReceived: return syn_received_input(id, seg);
    default: return open_input(id, seg);
  }
}

// RFC 793: in SYN-SENT a RST counts if it acknowledges our SYN; otherwise if its
// sequence number is in the receive window.
Transport::Impl::Verdict Transport::Impl::rst_input(SocketId id, const TcpSegment& seg) {
  const TcpSocket& s = sockets[id];
  const bool valid = s.state == TcpState::SynSent
                         ? seg.has(kAck) && seg.ack == s.iss + 1
                         : seq_ge(seg.seq, s.rcv_nxt) && seq_lt(seg.seq, s.rcv_nxt + cfg.receive_window);
  if (!valid) return "TCP RST out of window";
  ++stats.resets_received;
  finish(id, TcpCloseReason::Reset, true);
  return nullptr;
}

Transport::Impl::Verdict Transport::Impl::syn_sent_input(SocketId id, const TcpSegment& seg) {
  TcpSocket& s = sockets[id];
  if (seg.has(kAck) && seg.ack != s.iss + 1) {
    send_reset(s.tuple, seg);
    return "TCP bad ACK in SYN-SENT (RST sent)";
  }
  if (!seg.has(kSyn) || !seg.has(kAck)) return "TCP segment without SYN-ACK in SYN-SENT";
  agree_options(s, seg);
  s.rcv_nxt = s.rcv_msg_start = seg.seq + 1;
  s.peer_window = seg.window;  // a SYN's window is never scaled (RFC 7323 2.2)
  handshake_acked(s);
  send_segment(s, s.snd_nxt, kAck, 0, 0, 0);
  const std::uint32_t gen = s.gen;
  s.app->on_connected(id, s.user);
  if (alive(id, gen)) output(id);
  return nullptr;
}

// The handshake completes into the accept queue; if the queue is full the ACK is
// dropped and the SYN-ACK timer tries again (tcp_abort_on_overflow = 0).
Transport::Impl::Verdict Transport::Impl::syn_received_input(SocketId id, const TcpSegment& seg) {
  TcpSocket& s = sockets[id];
  if (seg.has(kSyn) && !seg.has(kAck)) {
    if (seg.seq + 1 != s.rcv_nxt) return "TCP SYN with another ISN in SYN-RECEIVED";
    s.rtt_timing = false;
    send_syn(s);  // the client retransmitted its SYN: our SYN-ACK was lost
    return nullptr;
  }
  if (!seg.has(kAck)) return "TCP segment without ACK in SYN-RECEIVED";
  if (seg.ack != s.iss + 1) {
    send_reset(s.tuple, seg);
    return "TCP bad ACK in SYN-RECEIVED (RST sent)";
  }
  Listener* l = listener(s.tuple.lport);
  if (l == nullptr) {  // cannot happen: listeners are never removed
    finish(id, TcpCloseReason::Reset, false);
    return "TCP handshake ACK for a port no longer listening";
  }
  if (l->queued >= l->backlog) {
    ++stats.listen_overflows;
    return "TCP handshake ACK dropped: accept queue full";
  }
  handshake_acked(s);
  enqueue_accept(*l, id);
  const std::uint32_t gen = s.gen;
  TcpApp* app = l->app;
  const std::uint16_t port = l->port;
  const Verdict v = open_input(id, seg);
  if (alive(id, gen)) app->on_acceptable(port);
  return v;
}

Transport::Impl::Verdict Transport::Impl::open_input(SocketId id, const TcpSegment& seg) {
  TcpSocket& s = sockets[id];
  if (seg.has(kSyn)) {  // a retransmitted SYN-ACK: our ACK was lost
    s.ack_now = true;
    output(id);
    return nullptr;
  }
  note_timestamp(s, seg);
  if (seg.has(kAck)) ack_input(s, seg);
  const Arrival a = data_input(s, seg);
  if (!deliver(id, a, seg.app)) return a.verdict;
  if (!tell_send_room(id)) return a.verdict;
  after_input(id);
  return a.verdict;
}

// RFC 7323 4.3: TS.Recent takes the TSval of a segment that does not start beyond the
// last ACK we sent.
void Transport::Impl::note_timestamp(TcpSocket& s, const TcpSegment& seg) {
  if (s.ts_ok && seg.has_option(tcp_option::kTimestamps) && seq_le(seg.seq, s.rcv_acked)) s.ts_recent = seg.tsval;
}

void Transport::Impl::ack_input(TcpSocket& s, const TcpSegment& seg) {
  s.peer_window = std::uint32_t{seg.window} << s.snd_wscale;
  if (seq_gt(seg.ack, s.snd_max)) {
    s.ack_now = true;  // acknowledges what was never sent (RFC 793)
    return;
  }
  if (seq_gt(seg.ack, s.snd_una)) {
    s.confirm_pending = true;  // tcp_ack: FLAG_FORWARD_PROGRESS confirms the route's neighbour
    new_ack(s, seg.ack);
    return;
  }
  const bool duplicate = seg.ack == s.snd_una && seg.payload == 0 && !seg.has(kFin) && s.snd_una != s.snd_max;
  if (!duplicate) return;
  s.confirm_pending = true;  // so does a duplicate ACK
  if (s.dupacks < 255) ++s.dupacks;
  if (s.dupacks == 3 && seq_ge(s.snd_una, s.recover)) fast_retransmit(s);
}

// Only in-order data is kept; anything else is answered with an immediate (duplicate)
// ACK and discarded. A segment overlapping rcv_nxt keeps its new part.
Transport::Impl::Arrival Transport::Impl::data_input(TcpSocket& s, const TcpSegment& seg) {
  Arrival a;
  if (seg.payload == 0 && !seg.has(kFin)) return a;
  const std::uint32_t end = seg.seq + seg.payload;
  const bool new_fin = seg.has(kFin) && !s.peer_fin && seq_ge(end, s.rcv_nxt);
  if (seq_gt(seg.seq, s.rcv_nxt) || s.peer_fin) {
    s.ack_now = true;
    a.verdict = s.peer_fin ? "TCP segment after FIN discarded" : "TCP out-of-order segment discarded";
    return a;
  }
  if (seq_le(end, s.rcv_nxt) && !new_fin) {
    s.ack_now = true;
    a.verdict = "TCP duplicate segment discarded";
    return a;
  }
  if (seq_gt(end, s.rcv_nxt)) {
    s.rcv_nxt = end;
    if (seg.has(kPsh)) {
      a.message = true;
      a.bytes = end - s.rcv_msg_start;
      s.rcv_msg_start = end;
    }
    // A second full segment: full by our MSS or by the largest the peer has sent, which is
    // larger when a FULLNAT director lowered our MSS in its SYN-ACK but not the peer's
    // (Linux: tcp_measure_rcv_mss, __tcp_ack_snd_check).
    s.rcv_mss = static_cast<std::uint16_t>(std::max<std::uint32_t>(s.rcv_mss, std::min<std::uint32_t>(seg.payload, 65535)));
    if (s.rcv_nxt - s.rcv_acked > std::max(s.mss, s.rcv_mss)) s.ack_now = true;
  }
  if (new_fin) {
    s.rcv_nxt += 1;
    s.rcv_msg_start = s.rcv_nxt;
    s.peer_fin = true;
    s.ack_now = true;
    a.fin = true;
  }
  return a;
}

// Tells the application; a connection still in the accept queue keeps the news for
// tcp_accept. False if a callback closed the socket.
bool Transport::Impl::deliver(SocketId id, const Arrival& a, std::uint64_t tag) {
  TcpSocket& s = sockets[id];
  const std::uint32_t gen = s.gen;
  if (a.message && !s.accepted) {
    if (s.pending_count == TcpSocket::kMaxPending)
      throw std::logic_error(host.name() + ": more than 2 messages arrived before tcp_accept");
    s.pending_tag(s.pending_count) = tag;
    s.pending_bytes(s.pending_count) = a.bytes;
    ++s.pending_count;
  } else if (a.message) {
    s.app->on_message(id, s.user, tag, a.bytes);
    if (!alive(id, gen)) return false;
  }
  if (a.fin && !s.accepted) {
    s.peer_fin_undelivered = true;
  } else if (a.fin) {
    s.app->on_peer_closed(id, s.user);
    if (!alive(id, gen)) return false;
  }
  return true;
}

// An ACK retired whole messages: an application that keeps more than kMaxMessages to send
// (an NFS client's RPCs) may queue the next ones. False if the callback closed the socket.
bool Transport::Impl::tell_send_room(SocketId id) {
  TcpSocket& s = sockets[id];
  if (!s.room_freed || !s.accepted) return true;
  s.room_freed = false;
  const std::uint32_t gen = s.gen;
  s.app->on_send_room(id, s.user);
  return alive(id, gen);
}

// After a segment: send what is now allowed (data carries the ACK), a pure ACK if one
// is due, else start the delayed-ACK timer; then see whether the close completed.
void Transport::Impl::after_input(SocketId id) {
  TcpSocket& s = sockets[id];
  output(id);
  if (s.rcv_acked != s.rcv_nxt) arm_delack(s);
  maybe_finish(id);
}

// Destination unreachable quoting one of our segments: "fragmentation needed" lowers
// the MSS; any other code aborts a connection attempt (a soft error once open).
void Transport::Impl::icmp_input(const Packet& pkt) {
  const IcmpBody& icmp = pkt.icmp;
  if (icmp.type != IcmpType::DestUnreachable || icmp.quoted_ip.proto != IpProto::Tcp) return;
  const FourTuple t{icmp.quoted_ip.src, icmp.quoted_ip.dst, icmp.quoted_sport, icmp.quoted_dport};
  const std::uint32_t id = demux.find(t);
  if (id == TupleMap::kAbsent) return;
  if (icmp.code == icmp_code::kFragNeeded) {
    path_mtu(id, icmp.next_hop_mtu);
    return;
  }
  if (sockets[id].state == TcpState::SynSent) finish(id, TcpCloseReason::Unreachable, true);
}

// RFC 1191: MSS = next-hop MTU - 40 (less the timestamp option's 12 bytes). The window keeps its size in segments (Linux counts
// cwnd in packets) and everything from snd_una goes again at the new size.
void Transport::Impl::path_mtu(SocketId id, std::uint16_t next_hop_mtu) {
  TcpSocket& s = sockets[id];
  if (next_hop_mtu < 68) return;  // RFC 791 minimum: a bogus report
  const std::uint32_t mss = next_hop_mtu - kIpv4Header - kTcpHeader - (s.ts_ok ? 2 + kTcpTimestampOption : 0);
  if (mss >= s.mss) return;
  s.cwnd = std::max<std::uint32_t>(mss, static_cast<std::uint32_t>(std::uint64_t{s.cwnd} * mss / s.mss));
  if (s.ssthresh != ~std::uint32_t{0})
    s.ssthresh = std::max<std::uint32_t>(2 * mss, static_cast<std::uint32_t>(std::uint64_t{s.ssthresh} * mss / s.mss));
  s.mss = static_cast<std::uint16_t>(mss);
  if (s.state != TcpState::Open) return;
  s.snd_nxt = s.snd_una;
  s.rtt_timing = false;
  output(id);
}

}  // namespace lvs
