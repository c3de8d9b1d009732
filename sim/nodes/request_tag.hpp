#pragma once
// What a request's message tag carries besides its number (the model's stand-in for the
// request line, "GET /1234.html", and the status line of the response): the client's
// request number in the low 36 bits, the file it names plus one in the next 26 (0: no
// file), whether it writes the file (an upload), and in the response whether the server
// failed it (a 500 after the storage under it timed out). Packets carry no content; the
// tag is model-only (net/packet.hpp, Packet::app).

#include <cstdint>
#include <optional>

#include "storage/content.hpp"

namespace lvs {

struct RequestTag {
  static constexpr std::uint64_t kSequenceMask = (std::uint64_t{1} << 36) - 1;
  static constexpr int kFileShift = 36;
  static constexpr std::uint64_t kFileMask = (std::uint64_t{1} << 26) - 1;
  static constexpr std::uint64_t kWriteBit = std::uint64_t{1} << 62;
  static constexpr std::uint64_t kFailedBit = std::uint64_t{1} << 63;
  static_assert(storage::kMaxFiles < kFileMask + 1, "a file index must fit its 26 bits");

  /// A request's tag: its number (wrapping at 2^36), and the file it names, if any.
  static std::uint64_t make(std::uint64_t sequence, std::optional<std::uint32_t> file, bool write) {
    std::uint64_t t = sequence & kSequenceMask;
    if (file) t |= (std::uint64_t{*file} + 1) << kFileShift;
    if (write) t |= kWriteBit;
    return t;
  }
  /// The file a request names, if any.
  static std::optional<std::uint32_t> file(std::uint64_t tag) {
    const std::uint64_t f = (tag >> kFileShift) & kFileMask;
    return f == 0 ? std::nullopt : std::optional<std::uint32_t>(static_cast<std::uint32_t>(f - 1));
  }
  static bool writes(std::uint64_t tag) { return (tag & kWriteBit) != 0; }
  /// The response to a request the server could not serve.
  static std::uint64_t failed(std::uint64_t tag) { return tag | kFailedBit; }
  static bool is_failed(std::uint64_t tag) { return (tag & kFailedBit) != 0; }
};

}  // namespace lvs
