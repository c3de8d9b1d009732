// Transport TCP: segments leaving, the retransmission and delayed-ACK timers, RTT
// estimation (RFC 6298) and the congestion window (RFC 5681, 3465, 6582).

#include <algorithm>
#include <utility>

#include "net/tcp_options.hpp"
#include "transport/tcp_engine.hpp"

namespace lvs {

namespace {

constexpr std::uint32_t kMaxCwnd = 1U << 30;

// The window field: unscaled and at most 65535 on a SYN or without scaling, else the
// receive window shifted right by our scale (RFC 7323 2.3).
std::uint16_t advertised_window(const TcpConfig& cfg, bool scaled) {
  const std::uint32_t w = scaled ? cfg.receive_window >> cfg.window_scale : cfg.receive_window;
  return static_cast<std::uint16_t>(std::min<std::uint32_t>(w, 65535));
}

// A 32-bit hash of the two addresses: the per-destination offset Linux adds to its
// timestamp clock (secure_tcp_ts_off) so that TSval does not reveal the uptime.
std::uint32_t timestamp_offset(Ipv4Address a, Ipv4Address b) {
  std::uint64_t x = (std::uint64_t{a.value()} << 32 | b.value()) + 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<std::uint32_t>(x ^ (x >> 31));
}

// A new TCP packet from t's local end to its remote end; the caller fills in the rest.
PacketId new_tcp_packet(Network& net, const FourTuple& t) {
  const PacketId p = net.new_packet();
  Packet& pkt = net.packets()[p];
  pkt.ip.src = t.laddr;
  pkt.ip.dst = t.raddr;
  pkt.ip.proto = IpProto::Tcp;
  pkt.sport = t.lport;
  pkt.dport = t.rport;
  return p;
}

}  // namespace

void Transport::Impl::send_segment(TcpSocket& s, std::uint32_t seq, std::uint8_t flags, std::uint32_t len,
                                 std::uint64_t tag, std::uint32_t message_bytes) {
  const PacketId p = new_tcp_packet(net(), s.tuple);
  Packet& pkt = net().packets()[p];
  pkt.tcp.seq = seq;
  pkt.tcp.flags = flags;
  put_options(s, pkt.tcp);
  pkt.confirm_neighbour = s.confirm_pending;
  s.confirm_pending = false;
  if ((flags & tcp_flags::kAck) != 0) {
    pkt.tcp.ack = s.rcv_nxt;
    s.rcv_acked = s.rcv_nxt;
    s.ack_now = false;
    s.delack_timer.cancel(sim());
  }
  pkt.payload = len;
  pkt.app = tag;
  pkt.message_bytes = message_bytes;
  pkt.tcp_from_socket = s.self;
  pkt.tcp_to_socket = s.peer_socket;
  ++stats.segments_out;
  host.ip_send(p);
}

// SYN (active open) or SYN-ACK (passive).
void Transport::Impl::send_syn(TcpSocket& s) {
  const std::uint8_t flags = s.state == TcpState::SynSent ? tcp_flags::kSyn : tcp_flags::kSyn | tcp_flags::kAck;
  send_segment(s, s.iss, flags, 0, 0, 0);
  note_sent(s, s.iss, 1);
}

// The options and window field of a segment of `s`: a SYN or SYN-ACK carries this end's
// MSS (MTU - 40) and the options offered or agreed; later segments carry the timestamp
// option when it was agreed (Linux tcp_syn_options, tcp_synack_options,
// tcp_established_options).
void Transport::Impl::put_options(const TcpSocket& s, TcpHeader& h) const {
  const bool syn = (h.flags & tcp_flags::kSyn) != 0;
  h.kinds = 0;
  if (syn) {
    h.kinds = tcp_option::kMss;
    h.mss = static_cast<std::uint16_t>(local_mss(s.tuple.raddr));
    if (s.sack_ok) h.kinds |= tcp_option::kSackPermitted;
    if (s.wscale_ok) {
      h.kinds |= tcp_option::kWindowScale;
      h.wscale = cfg.window_scale;
    }
  }
  if (s.ts_ok) {
    h.kinds |= tcp_option::kTimestamps;
    h.tsval = timestamp_to(s.tuple.laddr, s.tuple.raddr);
    h.tsecr = s.state == TcpState::SynSent ? 0 : s.ts_recent;
  }
  h.options = static_cast<std::uint8_t>(tcp_option_length(h.kinds));
  h.window = advertised_window(cfg, s.wscale_ok && !syn);
}

// This host's millisecond clock (Linux's TCP timestamp clock ticks at 1 kHz), plus the
// per-destination offset when tcp_timestamps = 1.
std::uint32_t Transport::Impl::timestamp_to(Ipv4Address laddr, Ipv4Address raddr) const {
  const auto ms = static_cast<std::uint32_t>(sim().now().count() / 1'000'000);
  return ms + (cfg.timestamps == 1 ? timestamp_offset(laddr, raddr) : 0);
}

// RST for a segment no connection takes (RFC 793 3.4 "Reset Generation").
void Transport::Impl::send_reset(const FourTuple& t, const TcpSegment& answered) {
  const PacketId p = new_tcp_packet(net(), t);
  Packet& pkt = net().packets()[p];
  pkt.tcp.window = 0;
  if (answered.has(tcp_flags::kAck)) {
    pkt.tcp.seq = answered.ack;
    pkt.tcp.flags = tcp_flags::kRst;
  } else {
    pkt.tcp.ack = answered.seq + answered.length();
    pkt.tcp.flags = tcp_flags::kRst | tcp_flags::kAck;
  }
  count_reset_sent();
  ++stats.segments_out;
  host.ip_send(p);
}

// The ACK of a TIME_WAIT tuple (tcp_timewait_state_process's TCP_TW_ACK): our FIN's
// sequence number + 1, the peer's FIN acknowledged, timestamps if the connection had them.
void Transport::Impl::send_time_wait_ack(const TimeWaitEntry& tw) {
  const PacketId p = new_tcp_packet(net(), tw.tuple);
  Packet& pkt = net().packets()[p];
  pkt.tcp.seq = tw.snd_nxt;
  pkt.tcp.ack = tw.rcv_nxt;
  pkt.tcp.flags = tcp_flags::kAck;
  if (tw.ts_ok) {
    pkt.tcp.kinds = tcp_option::kTimestamps;
    pkt.tcp.tsval = timestamp_to(tw.tuple.laddr, tw.tuple.raddr);
    pkt.tcp.tsecr = tw.ts_recent;
    pkt.tcp.options = static_cast<std::uint8_t>(tcp_option_length(pkt.tcp.kinds));
  }
  pkt.tcp.window = advertised_window(cfg, tw.wscale_ok);
  ++stats.segments_out;
  host.ip_send(p);
}

// Sends what the windows allow from snd_nxt, then the FIN once all data is out, then
// a pure ACK if one is due and nothing carried it.
void Transport::Impl::output(SocketId id) {
  TcpSocket& s = sockets[id];
  if (s.state != TcpState::Open) return;
  while (seq_lt(s.snd_nxt, s.snd_end) && send_data(s)) {
  }
  if (s.fin_queued && s.snd_nxt == s.snd_end) {
    send_segment(s, s.snd_end, tcp_flags::kFin | tcp_flags::kAck, 0, 0, 0);
    note_sent(s, s.snd_end, 1);
  }
  if (s.ack_now) send_segment(s, s.snd_nxt, tcp_flags::kAck, 0, 0, 0);
}

// One segment at snd_nxt: at most one MSS, never across a message boundary, PSH on a
// message's last segment. False if the window is full.
bool Transport::Impl::send_data(TcpSocket& s) {
  std::uint32_t start = s.msg_start;
  int slot = s.msg_head;
  for (int k = 0; k < s.msg_count; ++k) {
    slot = (s.msg_head + k) % TcpSocket::kMaxMessages;
    if (seq_lt(s.snd_nxt, s.msg_end[slot])) break;
    start = s.msg_end[slot];
  }
  const std::uint32_t end = s.msg_end[slot];
  const std::uint32_t len = std::min<std::uint32_t>(s.mss, end - s.snd_nxt);
  const std::uint32_t window = std::min<std::uint32_t>(s.cwnd, s.peer_window);
  if ((s.snd_nxt - s.snd_una) + len > window) return false;
  const std::uint8_t flags = tcp_flags::kAck | (s.snd_nxt + len == end ? tcp_flags::kPsh : 0);
  send_segment(s, s.snd_nxt, flags, len, s.msg_tag[slot], end - start);
  note_sent(s, s.snd_nxt, len);
  return true;
}

// The host's counters (for the run's summary) beside the transport's own.
void Transport::Impl::count_reset_sent() {
  ++stats.resets_sent;
  ++host.host_counters().rst_sent;
}

void Transport::Impl::count_retransmit(const TcpSocket& s) {
  ++stats.retransmits;
  HostCounters& c = host.host_counters();
  ++c.retransmits;
  if (s.state == TcpState::SynSent || s.state == TcpState::SynReceived) ++c.syn_retransmits;
}

// Bookkeeping after sending [seq, seq + len): retransmission count, RTT timing of new
// data only (Karn), snd_nxt / snd_max, and the retransmission timer.
void Transport::Impl::note_sent(TcpSocket& s, std::uint32_t seq, std::uint32_t len) {
  const std::uint32_t end = seq + len;
  if (seq_lt(seq, s.snd_max)) {
    count_retransmit(s);
  } else if (!s.rtt_timing) {
    s.rtt_timing = true;
    s.rtt_seq = end;
    s.rtt_start = sim().now();
  }
  s.snd_nxt = end;
  if (seq_gt(end, s.snd_max)) s.snd_max = end;
  if (!s.rto_timer.armed(sim())) arm_rto(s);
}

// Our SYN or SYN-ACK is acknowledged: the connection is open.
void Transport::Impl::handshake_acked(TcpSocket& s) {
  if (s.rtt_timing)
    rtt_sample(s, sim().now() - s.rtt_start);
  else if (s.retries > 0)
    s.rto = std::min(Time::s(3), cfg.max_rto);  // RFC 6298 5.7
  s.rtt_timing = false;
  s.snd_una = s.snd_nxt = s.iss + 1;
  s.retries = 0;
  s.rto_timer.cancel(sim());
  s.cwnd = cfg.initial_cwnd_segments * s.mss;
  s.state = TcpState::Open;
}

void Transport::Impl::new_ack(TcpSocket& s, std::uint32_t ack) {
  const std::uint32_t acked = ack - s.snd_una;
  const std::uint32_t flight_before = seq_gt(s.snd_nxt, s.snd_una) ? s.snd_nxt - s.snd_una : 0;
  if (s.rtt_timing && seq_ge(ack, s.rtt_seq)) {
    rtt_sample(s, sim().now() - s.rtt_start);
    s.rtt_timing = false;
  }
  s.snd_una = ack;
  if (seq_lt(s.snd_nxt, ack)) s.snd_nxt = ack;
  while (s.msg_count > 0 && seq_ge(ack, s.msg_end[s.msg_head])) {
    s.msg_start = s.msg_end[s.msg_head];
    s.msg_head = static_cast<std::uint8_t>((s.msg_head + 1) % TcpSocket::kMaxMessages);
    --s.msg_count;
    s.room_freed = true;
  }
  s.dupacks = 0;
  s.retries = 0;
  grow_cwnd(s, acked, flight_before);
  if (s.snd_una != s.snd_max) {
    arm_rto(s);  // RFC 6298 5.3
    return;
  }
  s.rto_timer.cancel(sim());
  if (s.fin_acked() && !s.peer_fin)  // FIN_WAIT_2: the peer has tcp_fin_timeout to send its FIN
    s.rto_timer.restart(sim(), cfg.fin_timeout, [this, id = s.self, gen = s.gen] {
      if (alive(id, gen)) finish(id, TcpCloseReason::Timeout, true);
    });
}

// Grows only while the window limits the sender (Linux tcp_is_cwnd_limited): slow start
// by min(acked, 2 MSS) per ACK (RFC 3465, L = 2), congestion avoidance by MSS^2/cwnd.
void Transport::Impl::grow_cwnd(TcpSocket& s, std::uint32_t acked, std::uint32_t flight_before) {
  if (2 * std::uint64_t{flight_before} < s.cwnd) return;
  if (s.cwnd < s.ssthresh)
    s.cwnd += std::min(acked, 2U * s.mss);
  else
    s.cwnd += std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::uint64_t{s.mss} * s.mss / s.cwnd));
  s.cwnd = std::min(s.cwnd, kMaxCwnd);
}

// Three duplicate ACKs (RFC 5681 3.2): halve, then go back N from snd_una, since the
// receiver discarded everything after the hole. The caller sends.
void Transport::Impl::fast_retransmit(TcpSocket& s) {
  const std::uint32_t flight = s.snd_max - s.snd_una;
  s.ssthresh = std::max(flight / 2, 2U * s.mss);
  s.cwnd = s.ssthresh;
  s.recover = s.snd_max;
  s.rtt_timing = false;
  s.snd_nxt = s.snd_una;
  ++stats.fast_retransmits;
  arm_rto(s);
}

// RFC 6298 2.2 / 2.3, with Linux's minimum of 200 ms.
void Transport::Impl::rtt_sample(TcpSocket& s, Time r) {
  if (s.srtt == Time::zero()) {
    s.srtt = r;
    s.rttvar = r / 2;
  } else {
    const Time delta = s.srtt > r ? s.srtt - r : r - s.srtt;
    s.rttvar = (s.rttvar * 3 + delta) / 4;
    s.srtt = (s.srtt * 7 + r) / 8;
  }
  s.rto = std::clamp(s.srtt + s.rttvar * 4, cfg.min_rto, cfg.max_rto);
}

void Transport::Impl::arm_rto(TcpSocket& s) {
  s.rto_timer.restart(sim(), s.rto, [this, id = s.self, gen = s.gen] { on_rto(id, gen); });
}

// The retransmission timer: resend the SYN / SYN-ACK, or go back N with a one-segment
// window (RFC 5681 3.1); give up after syn_retries / synack_retries / retries2.
void Transport::Impl::on_rto(SocketId id, std::uint32_t gen) {
  if (!alive(id, gen)) return;
  TcpSocket& s = sockets[id];
  ++stats.rto_expiries;
  const int limit = s.state == TcpState::SynSent       ? cfg.syn_retries
                    : s.state == TcpState::SynReceived ? cfg.synack_retries
                                                       : cfg.retries2;
  if (s.retries >= limit) {
    finish(id, TcpCloseReason::Timeout, true);
    return;
  }
  ++s.retries;
  s.rto = std::min(s.rto * 2, cfg.max_rto);
  s.rtt_timing = false;
  if (s.state == TcpState::Open)
    data_timeout(id);
  else
    send_syn(s);
}

void Transport::Impl::data_timeout(SocketId id) {
  TcpSocket& s = sockets[id];
  s.ssthresh = std::max((s.snd_max - s.snd_una) / 2, 2U * s.mss);
  s.cwnd = s.mss;
  s.recover = s.snd_max;
  s.dupacks = 0;
  s.snd_nxt = s.snd_una;
  output(id);
  if (!s.rto_timer.armed(sim())) arm_rto(s);
}

void Transport::Impl::arm_delack(TcpSocket& s) {
  if (s.delack_timer.armed(sim())) return;
  s.delack_timer.restart(sim(), cfg.delayed_ack, [this, id = s.self, gen = s.gen] { on_delack(id, gen); });
}

void Transport::Impl::on_delack(SocketId id, std::uint32_t gen) {
  if (!alive(id, gen)) return;
  TcpSocket& s = sockets[id];
  if (s.state == TcpState::Open && s.rcv_acked != s.rcv_nxt) send_segment(s, s.snd_nxt, tcp_flags::kAck, 0, 0, 0);
}

// Both FINs sent and acknowledged: the connection is done (no TIME_WAIT is held).
void Transport::Impl::maybe_finish(SocketId id) {
  const TcpSocket& s = sockets[id];
  if (s.state == TcpState::Open && s.fin_acked() && s.peer_fin && s.rcv_acked == s.rcv_nxt)
    finish(id, TcpCloseReason::Closed, true);
}

}  // namespace lvs
