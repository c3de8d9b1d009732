#pragma once
// Which local ports of an ephemeral range are taken towards one destination (one bit per
// port, by position in the range), so that connect() finds the next free port of a given
// parity with word operations instead of one table lookup per port. Linux scans the range
// in the same order (net/ipv4/inet_hashtables.c, __inet_hash_connect); it only asks each
// port's bucket, which costs a lookup per port.

#include <bit>
#include <cstdint>
#include <optional>
#include <vector>

namespace lvs {

class PortBitmap {
 public:
  explicit PortBitmap(std::uint32_t positions) : size_(positions), words_((positions + 63) / 64, 0) {}
  std::uint32_t size() const { return size_; }
  bool taken(std::uint32_t pos) const { return (words_[pos / 64] >> (pos % 64) & 1) != 0; }
  void take(std::uint32_t pos) { words_[pos / 64] |= std::uint64_t{1} << (pos % 64); }
  void free(std::uint32_t pos) { words_[pos / 64] &= ~(std::uint64_t{1} << (pos % 64)); }

  /// The first free position at or after `from` (going round) with the parity of `from`, looking
  /// at positions below `limit` only (`limit` <= size, both of the same parity as needed).
  std::optional<std::uint32_t> next_free(std::uint32_t from, std::uint32_t limit) const {
    const std::uint64_t parity_mask = (from & 1) != 0 ? 0xAAAAAAAAAAAAAAAAULL : 0x5555555555555555ULL;
    if (auto p = scan(from, limit, parity_mask)) return p;
    return from == (from & 1) ? std::nullopt : scan(from & 1, from, parity_mask);
  }

 private:
  // Free positions of the parity in [from, limit), lowest first.
  std::optional<std::uint32_t> scan(std::uint32_t from, std::uint32_t limit, std::uint64_t parity_mask) const {
    for (std::uint32_t w = from / 64; w * 64 < limit; ++w) {
      std::uint64_t free_bits = ~words_[w] & parity_mask;
      if (w == from / 64) free_bits &= ~std::uint64_t{0} << (from % 64);
      if (free_bits == 0) continue;
      const std::uint32_t pos = w * 64 + static_cast<std::uint32_t>(std::countr_zero(free_bits));
      if (pos < limit) return pos;
      return std::nullopt;
    }
    return std::nullopt;
  }

  std::uint32_t size_;
  std::vector<std::uint64_t> words_;
};

}  // namespace lvs
