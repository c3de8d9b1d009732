#pragma once
// Independent checks of serialized frames for the capture tests: hex text, and checksums
// verified the receiver's way (RFC 1071 4.1: the one's-complement sum of the covered
// bytes, checksum included, is 0xffff). Written apart from sim/capture on purpose.

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "net/packet.hpp"

namespace lvs::test {

using Bytes = std::vector<std::uint8_t>;

inline std::string hex(const Bytes& b) {
  std::string s;
  char two[3];
  for (std::uint8_t v : b) {
    std::snprintf(two, sizeof two, "%02x", v);
    s += two;
  }
  return s;
}

/// Folded 16-bit one's-complement sum of b[from, from + len), added to `sum`.
inline std::uint32_t word_sum(const Bytes& b, std::size_t from, std::size_t len, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i < len; i += 2) {
    const std::uint32_t lo = i + 1 < len ? b.at(from + i + 1) : 0;
    sum += (std::uint32_t{b.at(from + i)} << 8) + lo;
  }
  while (sum > 0xffff) sum = (sum >> 16) + (sum & 0xffff);
  return sum;
}

inline std::uint32_t get16(const Bytes& b, std::size_t at) { return std::uint32_t{b.at(at)} << 8 | b.at(at + 1); }

/// The IPv4 header at `ip` verifies.
inline bool ipv4_checksum_ok(const Bytes& f, std::size_t ip) { return word_sum(f, ip, 20) == 0xffff; }

/// The TCP or UDP checksum of the segment after the IPv4 header at `ip` verifies, for a
/// segment of `length` bytes (header + data) of which `present` are in the frame (the
/// rest: zeros).
inline bool l4_checksum_ok(const Bytes& f, std::size_t ip, std::uint32_t length, std::uint32_t present) {
  std::uint32_t sum = word_sum(f, ip + 12, 8);  // source and destination addresses
  sum += f.at(ip + 9) + length;                 // zero, protocol; length
  return word_sum(f, ip + 20, present, sum) == 0xffff;
}

/// The ICMP checksum of `length` bytes after the IPv4 header at `ip` verifies.
inline bool icmp_checksum_ok(const Bytes& f, std::size_t ip, std::uint32_t length) {
  return word_sum(f, ip + 20, length) == 0xffff;
}

inline Ipv4Address addr(const char* text) { return *Ipv4Address::parse(text); }
inline MacAddress mac(const char* text) { return *MacAddress::parse(text); }

}  // namespace lvs::test
