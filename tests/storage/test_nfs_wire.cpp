// NFSv3 over TCP sizes, by hand from RFC 1813 (NFS bodies), RFC 5531 (RPC header, AUTH_SYS,
// record marking) and RFC 4506 (XDR padding); and the model tags of calls and replies.

#include <catch2/catch.hpp>

#include "storage/nfs_wire.hpp"

using namespace lvs::storage;

namespace {
// Record mark 4 + xid, type, rpcvers, prog, vers, proc (24) + AUTH_SYS credential
// (flavour 4, length 4, stamp 4, name "web1" 4 + 4, uid 4, gid 4, one gid 4 + 4 = 36)
// + AUTH_NONE verifier 8 = 76 bytes before the arguments.
constexpr std::uint32_t kCallHeader = 4 + 24 + 36 + 8;
// Record mark 4 + xid, type, reply_stat (12), verifier 8, accept_stat 4 = 28, then nfsstat3 4.
constexpr std::uint32_t kReplyHeader = 4 + 12 + 8 + 4 + 4;
constexpr std::uint32_t kFh = 4 + 64;  // nfs_fh3: length + the largest handle
}  // namespace

TEST_CASE("nfs wire: GETATTR is the handle, its reply 88 bytes of results", "[nfs][wire]") {
  const RpcCredential web1{4, 1};
  CHECK(nfs_call_bytes(NfsOp::Getattr, web1) == kCallHeader + kFh);  // 72 + 68
  CHECK(nfs_call_bytes(NfsOp::Getattr, web1) == 140);
  // nfsstat3 + fattr3 (84) = 88 bytes of NFS results (reference §6.1).
  CHECK(nfs_reply_bytes(NfsOp::Getattr) - (kReplyHeader - 4) == 88);
  CHECK(nfs_reply_bytes(NfsOp::Getattr) == 116);
}

TEST_CASE("nfs wire: READ reply is 104 bytes of results plus the data, padded to 4", "[nfs][wire]") {
  const RpcCredential web1{4, 1};
  CHECK(nfs_call_bytes(NfsOp::Read, web1) == kCallHeader + kFh + 12);  // offset 8, count 4
  CHECK(nfs_reply_bytes(NfsOp::Read, 0) == kReplyHeader - 4 + 104);
  CHECK(nfs_reply_bytes(NfsOp::Read, 1 << 20) == kReplyHeader - 4 + 104 + (1 << 20));
  CHECK(nfs_reply_bytes(NfsOp::Read, 4097) == kReplyHeader - 4 + 104 + 4100);  // XDR pads opaque data
}

TEST_CASE("nfs wire: LOOKUP, WRITE and COMMIT by hand", "[nfs][wire]") {
  const RpcCredential web1{4, 1};
  // "1234.html": 9 bytes, padded to 12, after a length word.
  CHECK(file_name_bytes(1234) == 9);
  CHECK(nfs_call_bytes(NfsOp::Lookup, web1, 0, 9) == kCallHeader + kFh + 4 + 12);
  // status, object handle, object and directory post_op_attr (4 + 84 each): 248 (≈250, reference §6.1).
  CHECK(nfs_reply_bytes(NfsOp::Lookup) - (kReplyHeader - 4) == 4 + kFh + 88 + 88);
  // WRITE3args: handle, offset, count, stable, data<>.
  CHECK(nfs_call_bytes(NfsOp::Write, web1, 1000) == kCallHeader + kFh + 8 + 4 + 4 + 4 + 1000);
  // status, wcc_data (pre 4 + 24, post 4 + 84), count, committed, verifier 8.
  CHECK(nfs_reply_bytes(NfsOp::Write) - (kReplyHeader - 4) == 4 + 28 + 88 + 4 + 4 + 8);
  CHECK(nfs_call_bytes(NfsOp::Commit, web1) == kCallHeader + kFh + 12);
  CHECK(nfs_reply_bytes(NfsOp::Commit) - (kReplyHeader - 4) == 4 + 28 + 88 + 8);
}

TEST_CASE("nfs wire: a longer host name and more groups lengthen every call", "[nfs][wire]") {
  CHECK(nfs_call_bytes(NfsOp::Getattr, RpcCredential{5, 1}) == 140 + 4);  // 5 bytes pad to 8
  CHECK(nfs_call_bytes(NfsOp::Getattr, RpcCredential{4, 3}) == 140 + 8);
}

TEST_CASE("nfs wire: call and reply tags round-trip", "[nfs][wire]") {
  const RpcCallTag call{0xabcde, NfsOp::Commit, 2047, (1U << 26) - 1, 15};
  const RpcCallTag back = decode_call(encode(call));
  CHECK(back.xid == call.xid);
  CHECK(back.op == call.op);
  CHECK(back.chunk == call.chunk);
  CHECK(back.file == call.file);
  CHECK(back.io_shift == 15);
  CHECK(io_size(back, 1U << 20) == 32768);
  CHECK(io_size(RpcCallTag{}, 1U << 20) == 1U << 20);  // io_shift 0: the server's max_io
  const RpcReplyTag reply{123456, 0xfffffffe};
  CHECK(decode_reply(encode(reply)).xid == 123456);
  CHECK(decode_reply(encode(reply)).change == 0xfffffffe);
  CHECK(nfs_op_name(NfsOp::Getattr) == "GETATTR");
}
