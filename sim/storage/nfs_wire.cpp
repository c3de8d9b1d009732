#include "storage/nfs_wire.hpp"

namespace lvs::storage {

namespace {

// XDR pads every opaque and string to a multiple of 4 bytes (RFC 4506 4.10).
constexpr std::uint32_t pad4(std::uint32_t n) { return (n + 3) / 4 * 4; }

// RFC 5531 11: each RPC message on a TCP stream is one record with a 4-byte marker.
constexpr std::uint32_t kRecordMark = 4;
// RFC 5531 9: xid, msg_type, rpcvers, prog, vers, proc.
constexpr std::uint32_t kCallFixed = 6 * 4;
// Verifier AUTH_NONE: flavour and a zero length.
constexpr std::uint32_t kNullVerifier = 8;
// Reply accepted with SUCCESS: xid, msg_type, reply_stat, verifier, accept_stat.
constexpr std::uint32_t kReplyHeader = 3 * 4 + kNullVerifier + 4;
// RFC 1813 2.5: nfs_fh3 is a variable-length opaque (length word + bytes).
constexpr std::uint32_t kFh = 4 + pad4(kFileHandleBytes);
// fattr3: type, mode, nlink, uid, gid (5 x 4), size, used (2 x 8), rdev (2 x 4), fsid,
// fileid (2 x 8), atime, mtime, ctime (3 x 8) = 84 bytes.
constexpr std::uint32_t kFattr3 = 84;
constexpr std::uint32_t kPostOpAttr = 4 + kFattr3;  // attributes_follow + fattr3
// wcc_attr: size (8), mtime (8), ctime (8); pre_op_attr = flag + wcc_attr.
constexpr std::uint32_t kPreOpAttr = 4 + 24;
constexpr std::uint32_t kWccData = kPreOpAttr + kPostOpAttr;
constexpr std::uint32_t kStatus = 4;   // nfsstat3
constexpr std::uint32_t kOffsetCount = 8 + 4;  // offset3, count3
constexpr std::uint32_t kVerifier = 8;         // writeverf3

// AUTH_SYS (RFC 5531 appendix A): flavour, length, then stamp, machinename<255>, uid, gid,
// gids<16>.
std::uint32_t credential_bytes(const RpcCredential& c) {
  return 4 + 4 + 4 + (4 + pad4(c.machine_name_bytes)) + 4 + 4 + (4 + 4 * c.gids);
}

std::uint32_t decimal_digits(std::uint32_t v) {
  std::uint32_t d = 1;
  while (v >= 10) {
    v /= 10;
    ++d;
  }
  return d;
}

// READ/WRITE sizes run from 4 KiB (2^12) to 1 MiB (2^20): the tag keeps the exponent less
// 11 in its 4 bits, 0 standing for "the server's max_io".
constexpr std::uint32_t kIoShiftBias = 11;

}  // namespace

std::string_view nfs_op_name(NfsOp op) {
  switch (op) {
    case NfsOp::Getattr: return "GETATTR";
    case NfsOp::Lookup: return "LOOKUP";
    case NfsOp::Read: return "READ";
    case NfsOp::Write: return "WRITE";
    case NfsOp::Commit: return "COMMIT";
  }
  return "?";
}

std::uint32_t nfs_call_bytes(NfsOp op, const RpcCredential& cred, std::uint32_t data, std::uint32_t name_bytes) {
  const std::uint32_t header = kRecordMark + kCallFixed + credential_bytes(cred) + kNullVerifier;
  switch (op) {
    case NfsOp::Getattr: return header + kFh;                                   // GETATTR3args
    case NfsOp::Lookup: return header + kFh + 4 + pad4(name_bytes);             // diropargs3
    case NfsOp::Read: return header + kFh + kOffsetCount;                       // READ3args
    case NfsOp::Write: return header + kFh + kOffsetCount + 4 + 4 + pad4(data); // + stable, data<>
    case NfsOp::Commit: return header + kFh + kOffsetCount;                     // COMMIT3args
  }
  return header;
}

std::uint32_t nfs_reply_bytes(NfsOp op, std::uint32_t data) {
  const std::uint32_t header = kRecordMark + kReplyHeader + kStatus;
  switch (op) {
    case NfsOp::Getattr: return header + kFattr3;                               // 88 bytes of results
    case NfsOp::Lookup: return header + kFh + kPostOpAttr + kPostOpAttr;        // object, dir attributes
    case NfsOp::Read: return header + kPostOpAttr + 4 + 4 + 4 + pad4(data);     // count, eof, data<>
    case NfsOp::Write: return header + kWccData + 4 + 4 + kVerifier;            // count, committed, verf
    case NfsOp::Commit: return header + kWccData + kVerifier;
  }
  return header;
}

std::uint64_t encode(const RpcCallTag& c) {
  return (std::uint64_t{c.xid} & 0xfffffU) | (std::uint64_t{static_cast<std::uint8_t>(c.op)} & 7U) << 20 |
         (std::uint64_t{c.io_shift == 0 ? 0U : c.io_shift - kIoShiftBias} & 0xfU) << 23 | (std::uint64_t{c.chunk} & 0x7ffU) << 27 |
         (std::uint64_t{c.file} & 0x3ffffffU) << 38;
}

RpcCallTag decode_call(std::uint64_t tag) {
  RpcCallTag c;
  c.xid = static_cast<std::uint32_t>(tag & 0xfffffU);
  c.op = static_cast<NfsOp>((tag >> 20) & 7U);
  const auto io = static_cast<std::uint8_t>((tag >> 23) & 0xfU);
  c.io_shift = io == 0 ? 0 : static_cast<std::uint8_t>(io + kIoShiftBias);
  c.chunk = static_cast<std::uint32_t>((tag >> 27) & 0x7ffU);
  c.file = static_cast<std::uint32_t>(tag >> 38);
  return c;
}

std::uint64_t encode(const RpcReplyTag& r) { return (std::uint64_t{r.xid} & 0xfffffU) | std::uint64_t{r.change} << 32; }

RpcReplyTag decode_reply(std::uint64_t tag) {
  return RpcReplyTag{static_cast<std::uint32_t>(tag & 0xfffffU), static_cast<std::uint32_t>(tag >> 32)};
}

std::uint32_t file_name_bytes(std::uint32_t file) { return decimal_digits(file) + 5; }

}  // namespace lvs::storage
