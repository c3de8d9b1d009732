#pragma once
// TCP options on the wire, laid out as Linux's tcp_options_write() orders them
// (net/ipv4/tcp_output.c), so that a SYN from a default Linux host is
//   mss 1460, sackOK, TS val V ecr 0, nop, wscale 7     (20 bytes: a 74-byte frame + FCS)
// and an established segment with timestamps carries nop, nop, TS (12 bytes).
//   MSS                 kind 2, length 4                       (RFC 793)
//   SACK-permitted      kind 4, length 2; with timestamps it replaces the two NOPs before
//                       the timestamp option, alone it is preceded by two NOPs (RFC 2018)
//   timestamps          kind 8, length 10: TSval, TSecr        (RFC 7323 3)
//   window scale        nop, kind 3, length 3, shift           (RFC 7323 2)
//   TOA                 kind 254, length 8: client port, client IPv4 address; a FULLNAT
//                       director inserts it right after the basic header, before the
//                       others (Alibaba LVS include/net/ip_vs.h TCPOPT_ADDR and
//                       tcp_opt_add_toa; DPVS include/ipvs/proto_tcp.h, tcp_in_add_toa)
// A timestamp option a FULLNAT director stripped stays as ten NOPs in place (Alibaba LVS
// tcp_opt_remove_timestamp): same length, no timestamps. See docs/tcp-options.md.

#include <cstdint>
#include <string>

#include "net/packet.hpp"

namespace lvs {

/// The most option bytes a TCP header holds (data offset 15 words).
inline constexpr std::uint32_t kMaxTcpOptions = 40;

/// Option bytes the set `kinds` (tcp_option bits) takes on the wire; a multiple of 4.
std::uint32_t tcp_option_length(std::uint8_t kinds);
/// The options as tcpdump prints them, in wire order: "mss 1460,sackOK,TS val 7 ecr 0,nop,wscale 7";
/// a TOA as "toa 10.0.0.1:40000" (first), a stripped timestamp option as "TS stripped".
/// Empty when there are none.
std::string tcp_options_text(const TcpHeader& h);
/// True if the options are worth showing beside a segment: anything but timestamps alone.
bool tcp_options_notable(const TcpHeader& h);
/// Writes the options of `h` into `at`, then NOPs up to `length` bytes (h.options).
void write_tcp_options(std::uint8_t* at, const TcpHeader& h, std::uint32_t length);

}  // namespace lvs
