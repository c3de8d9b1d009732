#pragma once
// What a FULLNAT director does to TCP options, besides rewriting addresses and ports. Alibaba
// LVS (kernel/net/netfilter/ipvs/ip_vs_proto_tcp.c: tcp_fnat_in_handler, tcp_fnat_out_handler)
// and DPVS (src/ipvs/ip_vs_proto_tcp.c: the functions of the same names) do the same:
//
// client -> real server
// - A SYN without ACK has its timestamp option overwritten by ten NOPs in place
//   (tcp_opt_remove_timestamp, tcp_in_remove_ts): same length; the real server never sees
//   timestamps, so the connection has none end to end (the client's local addresses are
//   shared by many clients, whose clocks would disagree).
// - TOA, kind 254, length 8 (the client's port and IPv4 address; tcp_opt_add_toa,
//   tcp_in_add_toa) goes in right after the basic header, before the other options, on the
//   SYN and on every segment without SYN, RST or FIN that acknowledges exactly the real
//   server's SYN (ack_seq == fdata_seq): the handshake's ACK and the request's segments sent
//   before the first response byte is acknowledged. It is left out when the datagram would
//   no longer fit the MTU of the route to the real server (length > MTU - 8,
//   FULLNAT_ADD_TOA_FAIL_LEN) or the header has fewer than 8 option bytes free (more than 32
//   used, FULLNAT_ADD_TOA_HEAD_FULL).
//
// real server -> client
// - The SYN-ACK's MSS option is lowered by 8 (tcp_opt_adjust_mss, tcp_out_adjust_mss), so
//   that the client's full-size segments still fit the MTU with TOA added; fdata_seq is the
//   SYN-ACK's seq + 1 (tcp_out_init_seq).
//
// Both also re-base the client's sequence numbers towards the real server and adjust the
// ACK and SACK numbers coming back; the model leaves sequence numbers as they are (the
// offset changes no size and no timing). See docs/fullnat.md.

#include <cstdint>

#include "lvs/connection_table.hpp"
#include "net/packet.hpp"

namespace lvs {

/// A client's segment on its way to the real server, whose route has `mtu`: the timestamp
/// option of a SYN stripped, TOA inserted where due. True if TOA was inserted.
bool fullnat_rewrite_in(const Connection& c, Packet& pkt, std::uint32_t mtu);
/// A real server's segment on its way to the client: a SYN-ACK's MSS lowered by 8, and
/// fdata_seq noted.
void fullnat_rewrite_out(Connection& c, Packet& pkt);

}  // namespace lvs
