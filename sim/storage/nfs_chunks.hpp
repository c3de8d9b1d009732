#pragma once
// The bytes of one READ or WRITE chunk of a file. A call's tag names the chunk (its index)
// and the mount's rsize/wsize (RpcCallTag::io_shift), not its byte count: both ends derive
// the count from the file's size and that I/O size (docs/nfs.md, docs/nfs-server.md).

#include <algorithm>
#include <cstdint>

namespace lvs::storage {

/// Bytes of chunk `chunk` of a file of `file_bytes` bytes cut into `io_size`-byte pieces:
/// io_size for every chunk but the last, the remainder for the last, 0 past the end of the
/// file (a READ at or beyond EOF returns no data, RFC 1813 3.3.6).
constexpr std::uint32_t chunk_bytes(std::uint32_t file_bytes, std::uint32_t io_size, std::uint32_t chunk) {
  const std::uint64_t start = std::uint64_t{chunk} * io_size;
  if (start >= file_bytes) return 0;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(io_size, file_bytes - start));
}

/// Chunks of `io_size` bytes a file of `file_bytes` bytes takes (at least 1: a READ of an
/// empty file still asks once).
constexpr std::uint32_t chunk_count(std::uint32_t file_bytes, std::uint32_t io_size) {
  return file_bytes == 0 ? 1 : static_cast<std::uint32_t>((std::uint64_t{file_bytes} + io_size - 1) / io_size);
}

}  // namespace lvs::storage
