#include "lvs/fullnat_tcp.hpp"

#include "net/tcp_options.hpp"

namespace lvs {

namespace {

bool is_syn(const TcpHeader& h) { return (h.flags & tcp_flags::kSyn) != 0 && (h.flags & tcp_flags::kAck) == 0; }

// tcp_in_add_toa's checks: the grown datagram must fit the MTU, the header must have room.
bool add_toa(const Connection& c, Packet& pkt, std::uint32_t mtu) {
  if (pkt.ip_bytes() + kTcpToaOption > mtu) return false;
  if (pkt.tcp.options + kTcpToaOption > kMaxTcpOptions) return false;
  pkt.tcp.kinds |= tcp_option::kToa;
  pkt.tcp.options = static_cast<std::uint8_t>(pkt.tcp.options + kTcpToaOption);
  pkt.tcp.toa_addr = c.caddr.value();
  pkt.tcp.toa_port = c.cport;
  return true;
}

}  // namespace

bool fullnat_rewrite_in(const Connection& c, Packet& pkt, std::uint32_t mtu) {
  if (!pkt.is_tcp()) return false;
  TcpHeader& h = pkt.tcp;
  if (is_syn(h)) {
    if (h.has_option(tcp_option::kTimestamps))
      h.kinds = static_cast<std::uint8_t>((h.kinds & ~tcp_option::kTimestamps) | tcp_option::kTimestampsStripped);
    return add_toa(c, pkt, mtu);
  }
  constexpr std::uint8_t kNotData = tcp_flags::kSyn | tcp_flags::kRst | tcp_flags::kFin;
  if (h.ack != c.fdata_seq || (h.flags & kNotData) != 0) return false;
  return add_toa(c, pkt, mtu);
}

void fullnat_rewrite_out(Connection& c, Packet& pkt) {
  TcpHeader& h = pkt.tcp;
  if (!pkt.is_tcp() || (h.flags & tcp_flags::kSyn) == 0 || (h.flags & tcp_flags::kAck) == 0) return;
  if (h.has_option(tcp_option::kMss)) h.mss = static_cast<std::uint16_t>(h.mss - kTcpToaOption);
  c.fdata_seq = h.seq + 1;
}

}  // namespace lvs
