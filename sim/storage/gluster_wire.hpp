#pragma once
// The model's GlusterFS messages (storage/gluster.hpp): a call's tag carries the client's op
// slot, the operation and the file; the brick's reply echoes it.

#include <cstdint>

#include "storage/gluster.hpp"

namespace lvs::storage::gluster_wire {

inline constexpr std::uint32_t kNone = ~std::uint32_t{0};

inline std::uint64_t call_tag(std::uint32_t slot, GlusterOp op, std::uint32_t file) {
  return std::uint64_t{slot} << 32 | static_cast<std::uint64_t>(op) << 28 | file;
}
inline GlusterOp tag_op(std::uint64_t tag) { return static_cast<GlusterOp>((tag >> 28) & 3U); }
inline std::uint32_t tag_file(std::uint64_t tag) { return static_cast<std::uint32_t>(tag & 0x0fffffffU); }
inline std::uint32_t tag_slot(std::uint64_t tag) { return static_cast<std::uint32_t>(tag >> 32); }

}  // namespace lvs::storage::gluster_wire
