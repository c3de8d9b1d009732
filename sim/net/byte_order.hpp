#pragma once
// Writing header fields in network byte order (big-endian, RFC 1700 "Data Notations"), as
// the option bytes and the pcap frames lay them out.

#include <cstdint>

namespace lvs {

inline void put16(std::uint8_t* at, std::uint32_t v) {
  at[0] = static_cast<std::uint8_t>(v >> 8);
  at[1] = static_cast<std::uint8_t>(v);
}

inline void put32(std::uint8_t* at, std::uint32_t v) {
  put16(at, v >> 16);
  put16(at + 2, v & 0xffff);
}

}  // namespace lvs
