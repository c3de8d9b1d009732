#pragma once
// NFSv3 over TCP as it is on the wire: the size of each call and reply the model sends
// (RFC 1813 for the NFS bodies, RFC 5531 for the RPC header, AUTH_SYS credential and TCP
// record marking), and what the model-only message tag carries of a call and a reply.
// docs/nfs.md has the byte arithmetic with its sources.

#include <array>
#include <cstdint>
#include <string_view>

namespace lvs::storage {

/// The NFS procedures the model uses (NFSv3 numbers in comments).
enum class NfsOp : std::uint8_t {
  Getattr,  ///< 1: attributes (revalidation, close-to-open)
  Lookup,   ///< 3: name -> file handle, on a file's first open
  Read,     ///< 6: up to rsize bytes
  Write,    ///< 7: up to wsize bytes, UNSTABLE
  Commit,   ///< 21: flush a file's unstable writes to disk (close)
};
inline constexpr std::size_t kNfsOps = 5;
/// "GETATTR", "LOOKUP", "READ", "WRITE", "COMMIT" (as nfsstat and Wireshark name them).
std::string_view nfs_op_name(NfsOp op);

/// RPC calls and replies count per procedure.
using NfsOpCounts = std::array<std::uint64_t, kNfsOps>;

/// The NFS file handle: the largest NFSv3 allows (NFS3_FHSIZE, 64 bytes; RFC 1813 2.4).
inline constexpr std::uint32_t kFileHandleBytes = 64;
/// The NFS port (RFC 1813; IANA "nfs" 2049).
inline constexpr std::uint16_t kNfsPort = 2049;

/// What the AUTH_SYS credential of a call holds that varies (RFC 5531 appendix A): the
/// client's host name, and its supplementary groups (the web server's one group).
struct RpcCredential {
  std::uint32_t machine_name_bytes = 4;
  std::uint32_t gids = 1;
};

/// Bytes of the TCP payload of a call: record mark, RPC call header with its credential and
/// verifier, and the NFS arguments. `data` is the bytes written (WRITE) and `name_bytes`
/// the looked-up name (LOOKUP); both ignored elsewhere.
std::uint32_t nfs_call_bytes(NfsOp op, const RpcCredential& cred, std::uint32_t data = 0,
                             std::uint32_t name_bytes = 0);
/// Bytes of the TCP payload of a successful reply: record mark, RPC reply header and the
/// NFS results. `data` is the bytes read (READ); ignored elsewhere.
std::uint32_t nfs_reply_bytes(NfsOp op, std::uint32_t data = 0);

/// A call, as the model's message tag carries it (the bytes on the wire are counted, not
/// held): xid in 20 bits, the procedure in 3, the READ/WRITE size in 4 (as its power of
/// two: Linux rounds rsize and wsize down to one, fs/nfs/internal.h nfs_block_size), the
/// chunk of the file in 11, the file (catalogue index) in 26.
struct RpcCallTag {
  std::uint32_t xid = 0;    ///< < 2^20
  NfsOp op = NfsOp::Getattr;
  std::uint32_t chunk = 0;  ///< < 2^11: READ/WRITE of bytes [chunk * size, ...)
  std::uint32_t file = 0;   ///< < 2^26
  /// READ/WRITE: the count is 2^io_shift bytes (the mount's rsize or wsize, 2^12 to 2^20);
  /// 0: the server's own max_io.
  std::uint8_t io_shift = 0;
};
/// The READ/WRITE size a call asks for: 2^io_shift, or `server_max_io` when io_shift is 0.
inline std::uint32_t io_size(const RpcCallTag& call, std::uint32_t server_max_io) {
  return call.io_shift == 0 ? server_max_io : std::uint32_t{1} << call.io_shift;
}
std::uint64_t encode(const RpcCallTag& call);
RpcCallTag decode_call(std::uint64_t tag);

/// A reply: the xid it answers, and the file's change attribute (its mtime, as a counter of
/// the writes the server has done to it) that GETATTR and the post-op attributes carry.
struct RpcReplyTag {
  std::uint32_t xid = 0;     ///< < 2^20
  std::uint32_t change = 0;
};
std::uint64_t encode(const RpcReplyTag& reply);
RpcReplyTag decode_reply(std::uint64_t tag);

/// The name a file has in the export (what LOOKUP sends): "<index>.html".
std::uint32_t file_name_bytes(std::uint32_t file);

}  // namespace lvs::storage
