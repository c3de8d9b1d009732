#include "schedulers/hash.hpp"

#include <array>
#include <cstddef>

namespace lvs {

namespace {

constexpr std::uint64_t rotl(std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

/// The SipHash state v0..v3 and one SIPROUND.
struct SipState {
  std::uint64_t v0, v1, v2, v3;

  void round() {
    v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);
    v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;
    v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;
    v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);
  }
  /// One message word with c = 1 compression round.
  void absorb(std::uint64_t m) {
    v3 ^= m;
    round();
    v0 ^= m;
  }
};

std::uint64_t load_le(const std::uint8_t* p, std::size_t n) {
  std::uint64_t m = 0;
  for (std::size_t i = 0; i < n; ++i) m |= std::uint64_t{p[i]} << (8 * i);
  return m;
}

}  // namespace

// SipHash (Aumasson & Bernstein 2012) with c = 1, d = 3, as lib/siphash.c's 64-bit
// HSIPHASH: the initial constants "somepseudorandomlygeneratedbytes", b = len << 56 | tail.
std::uint64_t siphash13(std::span<const std::uint8_t> bytes, const SipKey& key) {
  SipState s{0x736f6d6570736575ULL ^ key.k0, 0x646f72616e646f6dULL ^ key.k1,
             0x6c7967656e657261ULL ^ key.k0, 0x7465646279746573ULL ^ key.k1};
  const std::size_t full = bytes.size() / 8 * 8;
  for (std::size_t i = 0; i < full; i += 8) s.absorb(load_le(bytes.data() + i, 8));
  const std::uint64_t b = (std::uint64_t{bytes.size()} << 56) | load_le(bytes.data() + full, bytes.size() - full);
  s.absorb(b);
  s.v2 ^= 0xff;
  for (int i = 0; i < 3; ++i) s.round();
  return (s.v0 ^ s.v1) ^ (s.v2 ^ s.v3);
}

std::uint32_t hsiphash_u32(std::uint32_t v, const SipKey& key) {
  const std::array<std::uint8_t, 4> le{static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8),
                                       static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 24)};
  return hsiphash(le, key);
}

std::uint64_t hash_endpoint(const InetAddr& addr, std::uint16_t port, std::uint32_t extra) {
  static constexpr SipKey key{0x6c76736c61622d72ULL, 0x696e672d686173ULL};  // "lvslab-r", "ing-has"
  std::array<std::uint8_t, 24> buf{};
  std::size_t n = 0;
  const auto put32 = [&](std::uint32_t w) {
    for (int i = 0; i < 4; ++i) buf[n++] = static_cast<std::uint8_t>(w >> (8 * i));
  };
  const std::size_t words = addr.family == InetAddr::Family::Ipv4 ? 1 : 4;
  for (std::size_t i = 0; i < words; ++i) put32(addr.words[i]);
  put32(std::uint32_t{port});
  put32(extra);
  return siphash13(std::span<const std::uint8_t>(buf.data(), n), key);
}

}  // namespace lvs
