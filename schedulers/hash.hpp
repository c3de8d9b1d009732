#pragma once
// The hash functions the IPVS hashing schedulers use (ipvs-semantics.md §2.10-2.14):
// the kernel's multiplicative hash_32 (include/linux/hash.h), the older low-bits form
// dh and sh used before it, and hsiphash as a 64-bit little-endian kernel computes it
// (lib/siphash.c: SipHash-1-3 with a 64-bit state, result truncated to 32 bits).

#include <cstdint>
#include <span>

#include "schedulers/scheduler.hpp"

namespace lvs {

/// GOLDEN_RATIO_32 of include/linux/hash.h.
inline constexpr std::uint32_t golden_ratio_32 = 0x61C88647u;

/// hash_32(value, bits): the top `bits` (1..32) of value * GOLDEN_RATIO_32 mod 2^32.
constexpr std::uint32_t hash_32(std::uint32_t value, unsigned bits) {
  return static_cast<std::uint32_t>(value * golden_ratio_32) >> (32 - bits);
}

/// The pre-hash_32 dh/sh bucket, (value * 2654435761) & 255: the LOW 8 bits of the product.
constexpr std::uint32_t legacy_hash_8(std::uint32_t value) {
  return static_cast<std::uint32_t>(value * 2654435761u) & 255u;
}

/// An hsiphash key on a 64-bit kernel (`hsiphash_key_t`: two unsigned longs).
struct SipKey {
  /// First key word (the low eight key bytes, little-endian).
  std::uint64_t k0 = 0;
  /// Second key word.
  std::uint64_t k1 = 0;
};

/// SipHash-1-3 of `bytes` under `key` with the full 64-bit result (one compression round,
/// three finalisation rounds, last block (len << 56) | tail bytes, little-endian words).
std::uint64_t siphash13(std::span<const std::uint8_t> bytes, const SipKey& key);

/// hsiphash on a 64-bit kernel: siphash13 truncated to its low 32 bits.
inline std::uint32_t hsiphash(std::span<const std::uint8_t> bytes, const SipKey& key) {
  return static_cast<std::uint32_t>(siphash13(bytes, key));
}

/// hsiphash(&v, 4, key) for a u32 `v` held in memory little-endian (x86-64, arm64).
std::uint32_t hsiphash_u32(std::uint32_t v, const SipKey& key);

/// A fixed-key 64-bit hash of an address's 32-bit words (4 bytes for IPv4, 16 for IPv6),
/// a port and an extra word, for schedulers beyond IPVS that need one (ring).
std::uint64_t hash_endpoint(const InetAddr& addr, std::uint16_t port, std::uint32_t extra);

}  // namespace lvs
