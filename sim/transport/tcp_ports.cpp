// Transport TCP: ephemeral ports for connect() and the TIME_WAIT state of the side that
// closed first (docs/ports.md).
//
// connect() takes a local port as Linux's __inet_hash_connect() does
// (net/ipv4/inet_hashtables.c): the range is ip_local_port_range's [low, high], cut to an
// even count; the scan starts at an offset hashed from (source, destination, port) plus a
// per-destination perturbation, tries every other port from there (even offsets first,
// then odd), skips the ports a listener holds, and takes the first whose four-tuple no
// socket and no TIME_WAIT entry holds. After a success the perturbation moves on by the
// distance scanned, or by a random 0-14 if that is more, plus 2 (Linux 5.19 and later).
// A four-tuple stays unavailable while its connection lives and, on the side that closed
// first, for the 60 s of TIME_WAIT after: one source address can open at most
// 28 232 / 60 s = 470 new connections per second to one VIP:port.

#include <algorithm>

#include "transport/tcp_engine.hpp"

namespace lvs {

namespace {

FourTuple destination_key(const FourTuple& t) { return FourTuple{t.laddr, t.raddr, 0, t.rport}; }

// secure_ipv4_port_ephemeral's part: a fixed hash of the destination.
std::uint32_t port_offset(Ipv4Address src, Ipv4Address dst, std::uint16_t dport) {
  std::uint64_t x = (std::uint64_t{src.value()} << 32 | dst.value()) ^ (std::uint64_t{dport} * 0x9e3779b97f4a7c15ULL);
  x = (x ^ (x >> 33)) * 0xff51afd7ed558ccdULL;
  x = (x ^ (x >> 33)) * 0xc4ceb9fe1a85ec53ULL;
  return static_cast<std::uint32_t>(x ^ (x >> 33));
}

}  // namespace

// --- ports ----------------------------------------------------------------------------

std::optional<std::uint16_t> Transport::Impl::ephemeral_port(Ipv4Address src, Ipv4Address dst, std::uint16_t dport) {
  const std::uint32_t low = cfg.ephemeral_first;
  const std::uint32_t high = std::max<std::uint32_t>(cfg.ephemeral_last, low) + 1;
  std::uint32_t remaining = high - low;
  if (remaining > 1) remaining &= ~1U;  // an even count: both parities the same size
  const FourTuple key{src, dst, 0, dport};
  if (port_ranges.find(key) == TupleMap::kAbsent) {
    port_ranges.insert(key, static_cast<std::uint32_t>(ranges.size()));
    ranges.push_back(PortRange{PortBitmap(high - low), 0});
  }
  PortRange& range = ranges[port_ranges.find(key)];
  const std::uint32_t start = (range.perturb + port_offset(src, dst, dport)) % remaining & ~1U;
  for (std::uint32_t parity = 0; parity < 2 && parity < remaining; ++parity) {
    const std::uint32_t offset = start + parity;
    for (std::uint32_t i = 0; i < remaining; i += 2) {
      std::uint32_t pos = (offset + i) % remaining;
      if (cfg.tw_reuse != 1) {  // the bitmap knows every taken tuple: jump to the next free one
        const std::optional<std::uint32_t> free = range.taken.next_free(pos, remaining);
        if (!free) break;
        i += (*free + remaining - pos) % remaining;
        pos = *free;
      }
      const auto port = static_cast<std::uint16_t>(low + pos);
      if (listener(port) != nullptr || !tuple_available(FourTuple{src, dst, port, dport})) continue;
      const std::uint32_t jump = 2 * static_cast<std::uint32_t>(port_rng.below(8));
      range.perturb += std::max(i, jump) + 2;
      return port;
    }
  }
  return std::nullopt;
}

bool Transport::Impl::tuple_available(const FourTuple& t) {
  if (demux.find(t) != TupleMap::kAbsent) return false;
  const TimeWaitEntry* tw = time_wait.find(t);
  return tw == nullptr || time_wait_reusable(*tw);
}

// tcp_twsk_unique: with tcp_tw_reuse = 1, a TIME_WAIT tuple more than 1 s old whose
// connection used timestamps (so that PAWS tells old segments from new) may be reused.
bool Transport::Impl::time_wait_reusable(const TimeWaitEntry& tw) const {
  return cfg.tw_reuse == 1 && tw.ts_ok && sim().now() - tw.since > Time::s(1);
}

void Transport::Impl::hold_tuple(const FourTuple& t) {
  const std::uint32_t r = port_ranges.find(destination_key(t));
  if (r == TupleMap::kAbsent || t.lport < cfg.ephemeral_first || t.lport > cfg.ephemeral_last) return;
  ranges[r].taken.take(t.lport - cfg.ephemeral_first);
}

void Transport::Impl::release_tuple(const FourTuple& t) {
  const std::uint32_t r = port_ranges.find(destination_key(t));
  if (r == TupleMap::kAbsent || t.lport < cfg.ephemeral_first || t.lport > cfg.ephemeral_last) return;
  if (demux.find(t) == TupleMap::kAbsent && time_wait.find(t) == nullptr)
    ranges[r].taken.free(t.lport - cfg.ephemeral_first);
}

// --- TIME_WAIT (tcp_time_wait, tcp_timewait_state_process) ------------------------------

void Transport::Impl::enter_time_wait(const TcpSocket& s) {
  TimeWaitEntry tw;
  tw.tuple = s.tuple;
  tw.since = sim().now();
  tw.expires = sim().now() + kTimeWaitLength;
  tw.snd_nxt = s.snd_max;
  tw.rcv_nxt = s.rcv_nxt;
  tw.ts_recent = s.ts_recent;
  tw.ts_ok = s.ts_ok;
  tw.wscale_ok = s.wscale_ok;
  const bool was_empty = time_wait.size() == 0;
  time_wait.add(tw);
  if (was_empty) time_wait_timer = sim().schedule_at(tw.expires, [this] { on_time_wait_timer(); });
}

void Transport::Impl::on_time_wait_timer() {
  time_wait_timer = EventId{};
  time_wait.expire(sim().now(), [this](const FourTuple& t) { release_tuple(t); });
  const Time next = time_wait.next_expiry();
  if (next != Time::max()) time_wait_timer = sim().schedule_at(next, [this] { on_time_wait_timer(); });
}

// A segment for a tuple in TIME_WAIT: a RST ends it (tcp_rfc1337 = 0); a retransmitted FIN
// is acknowledged and restarts the 60 s; a new SYN to a listening port is taken as a new
// connection if it starts past what the old one received (TCP_TW_SYN); anything else is
// answered with an ACK (TCP_TW_ACK).
Transport::Impl::Verdict Transport::Impl::time_wait_input(TimeWaitEntry& tw, const TcpSegment& seg) {
  const FourTuple t = tw.tuple;
  if (seg.has(tcp_flags::kRst)) {
    time_wait.remove(t);
    release_tuple(t);
    return "TCP RST ends TIME_WAIT";
  }
  if (seg.has(tcp_flags::kSyn) && !seg.has(tcp_flags::kAck) && listener(t.lport) != nullptr &&
      seq_gt(seg.seq, tw.rcv_nxt)) {
    time_wait.remove(t);
    release_tuple(t);
    return listen_input(t, seg);
  }
  if (seg.has(tcp_flags::kFin)) time_wait.extend(t, sim().now() + kTimeWaitLength);
  if (const TimeWaitEntry* e = time_wait.find(t)) send_time_wait_ack(*e);
  return "TCP segment in TIME_WAIT (ACK sent)";
}

}  // namespace lvs
