#pragma once
// The bytes of a frame as they are on the wire, for pcap capture: the Ethernet II header,
// then ARP (RFC 826) or IPv4 (RFC 791) with, for IPIP (RFC 2003), the outer header before
// the inner one, then TCP (RFC 793, the MSS option of RFC 879 on SYN and SYN-ACK), UDP
// (RFC 768), ICMP (RFC 792; the next-hop MTU of RFC 1191) or VRRP (RFC 3768 version 2,
// RFC 5798 version 3). Every checksum is computed
// (RFC 1071; TCP and UDP over the pseudo-header), the UDP one included. A Packet has no
// payload bytes: they are written as zeros, so they add nothing to a checksum.
//
// A fragment is written as it is on the wire: the first carries the headers after the
// fragmented one, a later one only zeros. The first fragment's L4 header holds the length
// and checksum of the whole datagram, which the fragment alone does not know: pass the
// whole datagram's length as `whole_payload` (PcapWriter learns it from the last fragment).
//
// Model fields that are not on the wire are written as: the MSS option's value from
// Packet::app (as the TCP model carries it); for the datagram an ICMP error quotes, the
// smallest total length of its protocol (20 + 20 for TCP, 20 + 8 for UDP: the model does not
// keep the offending datagram's size) and, in its first 8 bytes, the ports (a TCP sequence
// number of 0, a UDP checksum of 0: none).

#include <cstdint>
#include <span>
#include <vector>

#include "net/packet.hpp"

namespace lvs {

/// Writes the frame of `p` into `out`, replacing its contents (its capacity is reused):
/// exactly p.frame_bytes() - 4 bytes (no FCS; a short frame padded with zeros to 60).
/// `whole_payload`: for a first fragment, the IP payload length (bytes) of the whole datagram
/// of fragmented_header(p); 0 if unknown, and then its L4 header describes this fragment alone.
void serialize_frame(const Packet& p, std::vector<std::uint8_t>& out, std::uint32_t whole_payload = 0);

/// The header that makes `p` a fragment: the IPIP outer header if it is one, else the
/// inner (or only) header if it is one; nullptr for a whole datagram.
const Ipv4Header* fragmented_header(const Packet& p);

/// The 16-bit one's-complement sum of `bytes` (big-endian words; RFC 1071), added to `sum`
/// and folded, not complemented.
std::uint32_t ones_complement_sum(std::span<const std::uint8_t> bytes, std::uint32_t sum = 0);

/// The Internet checksum of `bytes` plus `sum`: the complement of their one's-complement sum.
std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes, std::uint32_t sum = 0);

}  // namespace lvs
