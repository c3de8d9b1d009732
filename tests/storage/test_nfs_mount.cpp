// NfsMount against a fake NFS server: the RPCs of an open and a read (LOOKUP, close-to-open
// GETATTR, the attribute cache, READs of rsize), writes, the RPC timeouts of soft and hard
// mounts with their kernel messages, reconnection, and many calls on one connection.
// Every figure is computed by hand in the comments.

#include <catch2/catch.hpp>

#include "storage/nfs_mount.hpp"
#include "storage/nfs_mount_fixture.hpp"
#include "storage/nfs_mount_rpc.hpp"
#include "support/allocation_counter.hpp"

using namespace lvs;
using namespace lvs::storage;
using namespace lvs::test;

namespace {

// AUTH_SYS with the host name "web1" (4 bytes) and one group.
const RpcCredential kCred{4, 1};

NfsMountOptions options(const char* text) { return std::get<NfsMountOptions>(parse_mount_options(text)); }

/// TCP payload bytes `node` sent in data segments.
std::uint64_t payload_from(const SegmentLog& log, const std::string& node) {
  std::uint64_t n = 0;
  for (const auto& r : log.data(node)) n += r.pkt.payload;
  return n;
}

}  // namespace

TEST_CASE("nfs mount: the wire sizes by hand", "[nfs][mount]") {
  // Call: record mark 4 + xid..proc 24 + AUTH_SYS 36 (flavour, length, stamp, name 4+4, uid,
  // gid, 1 gid 4+4) + null verifier 8 = 72; GETATTR adds the file handle (4 + 64).
  CHECK(nfs_call_bytes(NfsOp::Getattr, kCred) == 140);
  // Reply: record mark 4 + xid, type, stat, verifier 8, accept_stat = 24, + status 4, + fattr3 84.
  CHECK(nfs_reply_bytes(NfsOp::Getattr) == 116);
  // READ reply: 28 bytes of record mark and RPC header, then 104 + data of NFS results.
  CHECK(nfs_reply_bytes(NfsOp::Read, 1U << 20) == 4 + 24 + 104 + (1U << 20));
}

TEST_CASE("nfs mount: the first read looks the name up and READs (the LOOKUP reply carries the attributes)",
          "[nfs][mount]") {
  NfsPair t;
  CHECK_FALSE(t.mount.read(0, t.waiter, 7));
  CHECK(t.waiter.done.empty());  // never from within read()
  CHECK(t.mount.blocked_now() == 1);
  t.settle();
  REQUIRE(t.waiter.done.size() == 1);
  CHECK(t.waiter.done[0].token == 7);
  CHECK(t.waiter.done[0].result == NfsResult::Ok);
  REQUIRE(t.server.calls.size() == 2);
  CHECK(t.server.calls[0].call.op == NfsOp::Lookup);
  CHECK(t.server.calls[1].call.op == NfsOp::Read);
  // The READ waited for the LOOKUP's reply: 1 ms each way at least.
  CHECK(t.server.calls[1].t - t.server.calls[0].t >= Time::ms(2));
  CHECK(t.mount.stats().calls[static_cast<int>(NfsOp::Lookup)] == 1);
  CHECK(t.mount.stats().blocked == 1);
  CHECK(t.mount.blocked_now() == 0);
  CHECK(t.mount.page_cache().contains(0));
}

TEST_CASE("nfs mount: with cto every read of a cached file costs exactly one GETATTR", "[nfs][mount][cto]") {
  NfsPair t;
  t.read_and_run(0);
  t.log.rows.clear();
  for (int k = 0; k < 3; ++k) {
    CHECK_FALSE(t.mount.read(0, t.waiter, 10 + k));
    t.settle();
  }
  REQUIRE(t.waiter.done.size() == 4);
  CHECK(t.server.count(NfsOp::Getattr) == 3);  // the first open had the LOOKUP's attributes
  CHECK(t.server.count(NfsOp::Read) == 1);
  // On the wire: one call segment of 140 payload bytes and one reply of 116 per read.
  const auto calls = t.log.data("web1");
  const auto replies = t.log.data("nfs");
  REQUIRE(calls.size() == 3);
  REQUIRE(replies.size() == 3);
  for (const auto& r : calls) CHECK(r.pkt.payload == nfs_call_bytes(NfsOp::Getattr, kCred));
  for (const auto& r : replies) CHECK(r.pkt.payload == nfs_reply_bytes(NfsOp::Getattr));
  CHECK(t.mount.page_cache().stats().hits == 3);
}

TEST_CASE("nfs mount: nocto within the attribute timeout serves a cached file with no event", "[nfs][mount][nocto]") {
  NfsPair t(options("nocto"));
  t.read_and_run(0);
  // nocto: the LOOKUP's attributes serve the open; no GETATTR.
  CHECK(t.server.count(NfsOp::Getattr) == 0);
  const std::size_t pending = t.sim.events_pending();
  const std::size_t rows = t.log.rows.size();
  CHECK(t.mount.read(0, t.waiter, 2));
  CHECK(t.sim.events_pending() == pending);
  t.settle();
  CHECK(t.log.rows.size() == rows);
  CHECK(t.waiter.done.size() == 1);  // only the first read's
  CHECK(t.mount.stats().immediate == 1);
  CHECK(t.mount.blocked_now() == 0);
}

TEST_CASE("nfs mount: the attribute timeout doubles 3, 6, 12 ... 60 s and resets on a change", "[nfs][mount][nocto]") {
  NfsPair t(options("nocto"));
  t.read_and_run(0);
  CHECK(t.mount.attribute_timeout(0) == Time::s(3));  // acregmin
  Time timeout = Time::s(3);
  for (const std::int64_t expected : {6, 12, 24, 48, 60, 60}) {
    CAPTURE(expected);
    // The attributes were fetched less than 100 ms before now: within the timeout, nothing.
    t.sim.run_until(t.sim.now() + timeout - Time::ms(200));
    CHECK(t.mount.read(0, t.waiter, 1));
    // Past it: a GETATTR that finds the file unchanged, so the timeout doubles (up to acregmax).
    t.sim.run_until(t.sim.now() + Time::ms(400));
    const std::size_t getattrs = t.server.count(NfsOp::Getattr);
    CHECK_FALSE(t.mount.read(0, t.waiter, 1));
    t.settle();
    CHECK(t.server.count(NfsOp::Getattr) == getattrs + 1);
    CHECK(t.mount.attribute_timeout(0) == Time::s(expected));
    timeout = Time::s(expected);
  }
  CHECK(t.server.count(NfsOp::Read) == 1);
  // The file changes on the server: the next revalidation drops the cached pages and READs.
  t.server.change[0] = 1;
  t.sim.run_until(t.sim.now() + timeout + Time::ms(100));
  CHECK_FALSE(t.mount.read(0, t.waiter, 1));
  t.settle();
  CHECK(t.server.count(NfsOp::Read) == 2);
  CHECK(t.mount.attribute_timeout(0) == Time::s(3));
  CHECK(t.mount.page_cache().stats().invalidations == 1);
}

TEST_CASE("nfs mount: with cto a changed file is read again", "[nfs][mount][cto]") {
  NfsPair t;
  t.read_and_run(0);
  t.server.change[0] = 9;
  t.read_and_run(0);
  CHECK(t.server.count(NfsOp::Read) == 2);
  t.read_and_run(0);
  CHECK(t.server.count(NfsOp::Read) == 2);
}

TEST_CASE("nfs mount: noac revalidates every open, even with nocto", "[nfs][mount]") {
  NfsPair t(options("nocto,noac"));
  t.read_and_run(0);
  CHECK(t.server.count(NfsOp::Getattr) == 0);  // the open that looked the name up has its attributes
  CHECK_FALSE(t.mount.read(0, t.waiter, 2));   // the next one revalidates at once
  t.settle();
  CHECK(t.server.count(NfsOp::Getattr) == 1);
  CHECK(t.mount.stats().immediate == 0);
}

TEST_CASE("nfs mount: a 3 MiB file with rsize 1 MiB is three READs sent at once", "[nfs][mount]") {
  NfsPair t({}, 2, 3 << 20);
  REQUIRE(t.mount.rsize() == 1U << 20);
  t.read_and_run(0, 1, Time::s(2));
  REQUIRE(t.waiter.done.size() == 1);
  REQUIRE(t.server.count(NfsOp::Read) == 3);
  const std::vector<FakeNfsServer::Call>& c = t.server.calls;
  REQUIRE(c.size() == 4);
  for (int k = 0; k < 3; ++k) {
    CHECK(c[1 + k].call.chunk == static_cast<std::uint32_t>(k));
    CHECK(io_size(c[1 + k].call, 0) == 1U << 20);  // the tag carries rsize
  }
  CHECK(c[3].t - c[1].t < Time::ms(1));  // not one after the other's reply
  // Replies: LOOKUP and 3 x (28 + 104 + 1 MiB).
  CHECK(payload_from(t.log, "nfs") == nfs_reply_bytes(NfsOp::Lookup) + 3ULL * (4 + 24 + 104 + (1U << 20)));
  CHECK(payload_from(t.log, "web1") ==
        nfs_call_bytes(NfsOp::Lookup, kCred, 0, file_name_bytes(0)) + 3ULL * nfs_call_bytes(NfsOp::Read, kCred));
}

TEST_CASE("nfs mount: rsize is negotiated down to the server's max", "[nfs][mount]") {
  NfsMountConfig c = mount_config();
  c.server_max_io = 64 * 1024;
  Simulation sim;
  Network net(sim);
  EndHost& h = net.add_node<EndHost>("web1");
  const Catalogue content = make_content(1, 1000);
  NfsMount m(h, sim, "web1", c, content);
  CHECK(m.rsize() == 64 * 1024);
  CHECK(m.wsize() == 64 * 1024);
}

TEST_CASE("nfs mount: a write is LOOKUP, WRITEs of wsize, COMMIT, then the file is cached", "[nfs][mount][write]") {
  NfsPair t(options("wsize=4096"));
  CHECK_FALSE(t.mount.write(0, t.waiter, 3));
  t.settle();
  REQUIRE(t.waiter.done.size() == 1);
  CHECK(t.waiter.done[0].result == NfsResult::Ok);
  // 10000 bytes in 4096-byte WRITEs: 4096, 4096, 1808.
  CHECK(t.server.count(NfsOp::Lookup) == 1);
  CHECK(t.server.count(NfsOp::Getattr) == 0);
  CHECK(t.server.count(NfsOp::Write) == 3);
  CHECK(t.server.count(NfsOp::Commit) == 1);
  CHECK(t.server.calls.back().call.op == NfsOp::Commit);
  CHECK(payload_from(t.log, "web1") == nfs_call_bytes(NfsOp::Lookup, kCred, 0, file_name_bytes(0)) +
                                           2ULL * nfs_call_bytes(NfsOp::Write, kCred, 4096) +
                                           nfs_call_bytes(NfsOp::Write, kCred, 1808) + nfs_call_bytes(NfsOp::Commit, kCred));
  CHECK(t.mount.page_cache().contains(0));
  // The server's change attribute moved on with our writes, and the mount knows it: reading
  // the file back costs the cto GETATTR only.
  t.read_and_run(0);
  CHECK(t.server.count(NfsOp::Read) == 0);
}

TEST_CASE("nfs mount: soft, server silent: the request fails at the major timeout, 180 s", "[nfs][mount][soft]") {
  NfsPair t(options("soft"));
  t.read_and_run(0);
  t.server.down = true;
  const Time t0 = t.sim.now();
  CHECK_FALSE(t.mount.read(0, t.waiter, 5));
  t.sim.run_until(t0 + Time::s(179));
  CHECK(t.waiter.done.size() == 1);
  CHECK(t.mount.stats().retransmits == 1);  // at 60 s; the next wait, 120 s, ends at the major timeout
  t.sim.run_until(t0 + Time::s(200));
  REQUIRE(t.waiter.done.size() == 2);
  CHECK(t.waiter.done[1].t == t0 + Time::s(180));  // timeo x (1 + retrans) = 60 s x 3
  CHECK(t.waiter.done[1].result == NfsResult::TimedOut);
  CHECK(t.waiter.done[1].token == 5);
  REQUIRE(t.messages.size() == 1);
  CHECK(t.messages[0].first == t0 + Time::s(180));
  CHECK(t.messages[0].second == "nfs: server 10.0.0.2 not responding, timed out");
  // The server saw the GETATTR at t0 and again at t0 + 60 s (plus the wire).
  REQUIRE(t.server.calls.size() == 4);  // LOOKUP, READ before; GETATTR, its retransmission
  CHECK(t.server.calls[3].t - t0 >= Time::s(60));
  CHECK(t.server.calls[3].t - t0 < Time::s(60) + Time::ms(5));
  CHECK(t.mount.stats().major_timeouts == 1);
  CHECK(t.mount.stats().timed_out == 1);
  CHECK(t.mount.not_responding());
  CHECK(t.mount.blocked_now() == 0);
  t.sim.run_until(t0 + Time::s(1000));
  CHECK(t.waiter.done.size() == 2);  // nothing more
}

TEST_CASE("nfs mount: soft with timeo=10,retrans=3 fails at 4 s after retransmitting at 1 s and 3 s", "[nfs][mount][soft]") {
  // Waits grow linearly: 1 s, then 2 s (to 3 s), then 3 s would end at 6 s, past the major
  // timeout timeo x (1 + retrans) = 4 s, which comes first.
  NfsPair t(options("soft,timeo=10,retrans=3"));
  t.read_and_run(0);
  t.server.down = true;
  const Time t0 = t.sim.now();
  t.mount.read(0, t.waiter, 5);
  t.sim.run_until(t0 + Time::s(10));
  REQUIRE(t.waiter.done.size() == 2);
  CHECK(t.waiter.done[1].t == t0 + Time::s(4));
  CHECK(t.waiter.done[1].result == NfsResult::TimedOut);
  CHECK(t.mount.stats().retransmits == 2);
  REQUIRE(t.server.calls.size() == 5);
  CHECK(t.server.calls[3].t - t0 >= Time::s(1));
  CHECK(t.server.calls[3].t - t0 < Time::s(1) + Time::ms(5));
  CHECK(t.server.calls[4].t - t0 >= Time::s(3));
  CHECK(t.server.calls[4].t - t0 < Time::s(3) + Time::ms(5));
}

TEST_CASE("nfs mount: soft, a failed READ fails the whole request and drops its other calls", "[nfs][mount][soft]") {
  NfsPair t(options("soft,timeo=10,retrans=1"), 2, 3 << 20);
  t.read_and_run(1);  // the connection and file 1
  t.server.down = true;
  t.mount.read(1, t.waiter, 9);  // cto GETATTR never answered
  t.sim.run_until(t.sim.now() + Time::s(30));
  REQUIRE(t.waiter.done.size() == 2);
  CHECK(t.waiter.done[1].result == NfsResult::TimedOut);
  CHECK(t.messages.size() == 1);
}

TEST_CASE("nfs mount: hard, server silent: still trying at 180 s, OK when it answers, waiter told once", "[nfs][mount][hard]") {
  NfsPair t;
  t.read_and_run(0);
  t.server.down = true;
  const Time t0 = t.sim.now();
  t.mount.read(0, t.waiter, 5);
  t.sim.run_until(t0 + Time::s(179));
  CHECK(t.messages.empty());
  CHECK_FALSE(t.mount.not_responding());
  t.sim.run_until(t0 + Time::s(200));
  REQUIRE(t.messages.size() == 1);
  CHECK(t.messages[0].first == t0 + Time::s(180));
  CHECK(t.messages[0].second == "nfs: server 10.0.0.2 not responding, still trying");
  CHECK(t.mount.not_responding());
  CHECK(t.mount.blocked_now() == 1);
  CHECK(t.waiter.done.size() == 1);
  // Sent at 0, 60 s (minor) and 180 s (major, the cycle starts again: next at 240 s).
  CHECK(t.mount.stats().retransmits == 2);
  t.server.down = false;
  t.sim.run_until(t0 + Time::s(300));
  REQUIRE(t.waiter.done.size() == 2);
  CHECK(t.waiter.done[1].result == NfsResult::Ok);
  CHECK(t.waiter.done[1].t > t0 + Time::s(240));
  CHECK(t.waiter.done[1].t < t0 + Time::s(240) + Time::ms(10));
  REQUIRE(t.messages.size() == 2);
  CHECK(t.messages[1].second == "nfs: server 10.0.0.2 OK");
  CHECK_FALSE(t.mount.not_responding());
  CHECK(t.mount.stats().retransmits == 3);
  CHECK(t.mount.stats().major_timeouts == 1);
}

TEST_CASE("nfs mount: hard, many calls through an outage log still trying once", "[nfs][mount][hard]") {
  NfsPair t;
  t.read_and_run(0);
  t.server.down = true;
  for (std::uint32_t f = 1; f < 6; ++f) t.mount.read(f, t.waiter, f);
  t.sim.run_until(t.sim.now() + Time::s(500));
  REQUIRE(t.messages.size() == 1);
  CHECK(t.mount.blocked_now() == 5);
  t.server.down = false;
  t.sim.run_until(t.sim.now() + Time::s(1000));
  CHECK(t.mount.blocked_now() == 0);
  CHECK(t.waiter.done.size() == 6);
  REQUIRE(t.messages.size() == 2);
  CHECK(t.messages[1].second == "nfs: server 10.0.0.2 OK");
}

TEST_CASE("nfs mount: a connection reset while calls are outstanding: reconnect, resend, complete", "[nfs][mount][reconnect]") {
  NfsPair t;
  t.read_and_run(0);  // data has flowed: the reconnect is immediate (xs_data_ready)
  t.server.delay = Time::s(5);
  const Time t0 = t.sim.now();
  t.mount.read(1, t.waiter, 2);
  t.sim.run_until(t0 + Time::s(1));
  REQUIRE(t.server.count(NfsOp::Lookup) == 2);
  t.log.rows.clear();
  t.server.reset_connections();
  t.settle(Time::s(30));
  REQUIRE(t.waiter.done.size() == 2);
  CHECK(t.waiter.done[1].result == NfsResult::Ok);
  CHECK(t.mount.stats().reconnects == 1);
  CHECK(t.mount.stats().retransmits == 1);
  CHECK(t.server.count(NfsOp::Lookup) == 3);
  // The new SYN left within a few ms of the RST.
  const auto segs = t.log.tcp("web1");
  REQUIRE_FALSE(segs.empty());
  CHECK(flag_text(segs[0].pkt.tcp.flags) == "S");
  CHECK(segs[0].t - (t0 + Time::s(1)) < Time::ms(5));
}

TEST_CASE("nfs mount: the server closes the connection (FIN): close ours, reconnect, resend", "[nfs][mount][reconnect]") {
  NfsPair t;
  t.read_and_run(0);
  t.server.delay = Time::s(5);
  const Time t0 = t.sim.now();
  t.mount.read(1, t.waiter, 2);
  t.sim.run_until(t0 + Time::s(1));
  t.server.close_connections();
  t.settle(Time::s(30));
  REQUIRE(t.waiter.done.size() == 2);
  CHECK(t.waiter.done[1].result == NfsResult::Ok);
  CHECK(t.mount.stats().reconnects == 1);
  CHECK(t.server.count(NfsOp::Lookup) == 3);
  CHECK(t.web.tcp_open_sockets() == 1);
}

TEST_CASE("nfs mount: a reconnect after a connection that carried nothing waits 3 s", "[nfs][mount][reconnect]") {
  NfsPair t;
  t.server.delay = Time::s(5);
  t.mount.read(0, t.waiter, 1);
  t.sim.run_until(Time::s(1));
  t.log.rows.clear();
  t.server.reset_connections();
  t.settle(Time::s(30));
  REQUIRE(t.waiter.done.size() == 1);
  CHECK(t.waiter.done[0].result == NfsResult::Ok);
  const auto segs = t.log.tcp("web1");
  REQUIRE_FALSE(segs.empty());
  CHECK(flag_text(segs[0].pkt.tcp.flags) == "S");
  // XS_TCP_INIT_REEST_TO after the first connect began (at 0).
  CHECK(segs[0].t == Time::s(3));
}

TEST_CASE("nfs mount: ten concurrent reads share one connection, four calls at a time", "[nfs][mount]") {
  NfsPair t;
  for (std::uint32_t f = 0; f < 10; ++f) CHECK_FALSE(t.mount.read(f, t.waiter, 100 + f));
  CHECK(t.mount.blocked_now() == 10);
  t.settle();
  REQUIRE(t.waiter.done.size() == 10);
  for (const auto& d : t.waiter.done) CHECK(d.result == NfsResult::Ok);
  CHECK(t.mount.stats().calls[static_cast<int>(NfsOp::Lookup)] == 10);
  CHECK(t.mount.stats().calls[static_cast<int>(NfsOp::Getattr)] == 0);
  CHECK(t.mount.stats().calls[static_cast<int>(NfsOp::Read)] == 10);
  CHECK(t.mount.stats().retransmits == 0);
  CHECK(t.mount.page_cache().files_cached() == 10);
  CHECK(t.web.tcp_open_sockets() == 1);
}

TEST_CASE("nfs mount: power off forgets everything without a callback", "[nfs][mount]") {
  NfsPair t;
  t.read_and_run(0);
  t.server.delay = Time::s(5);
  t.mount.read(1, t.waiter, 2);
  t.sim.run_until(t.sim.now() + Time::s(1));
  t.mount.power_off();
  t.web.forget_all();
  CHECK(t.mount.blocked_now() == 0);
  CHECK(t.mount.page_cache().files_cached() == 0);
  t.sim.run_until(t.sim.now() + Time::s(600));
  CHECK(t.waiter.done.size() == 1);
  CHECK(t.messages.empty());
}

TEST_CASE("nfs mount: the call table finds calls by xid across the 24-bit wrap and a grown index", "[nfs][mount]") {
  CallTable table;
  RpcCall c;
  c.xid = 0xfffffe;
  const std::uint32_t a = table.add(c);
  c.xid = 0xffffff;
  const std::uint32_t b = table.add(c);
  c.xid = 0;  // wrapped
  const std::uint32_t z = table.add(c);
  CHECK(table.find(0xfffffe) == a);
  CHECK(table.find(0xffffff) == b);
  CHECK(table.find(0) == z);
  // 0xfffffe + 1024 (wrapped: 1022) shares 0xfffffe's entry in the 1024-entry index: the
  // index grows and both stay found.
  c.xid = (0xfffffe + 1024) & 0xffffff;
  const std::uint32_t d = table.add(c);
  CHECK(table.find(0xfffffe) == a);
  CHECK(table.find(c.xid) == d);
  table.remove(a);
  CHECK(table.find(0xfffffe) == CallTable::kNone);
  CHECK(table.outstanding() == 3);
  c = RpcCall{};
  c.xid = 5;
  const std::uint32_t e = table.add(c);
  CHECK(e == a);  // the slot is reused, with a new generation
  CHECK(table.at(e).generation == 2);
}

TEST_CASE("nfs mount: rpc_timeout by nfs_init_timeout_values", "[nfs][mount]") {
  const RpcTimeout d = rpc_timeout(NfsMountOptions{});
  CHECK(d.initval == Time::s(60));
  CHECK(d.increment == Time::s(60));
  CHECK(d.maxval == Time::s(180));
  // timeo=300 s, retrans=5: 1800 s capped at 600 s.
  const RpcTimeout big = rpc_timeout(options("timeo=3000,retrans=5"));
  CHECK(big.maxval == Time::s(600));
  const RpcTimeout none = rpc_timeout(options("timeo=50,retrans=0"));
  CHECK(none.maxval == Time::s(5));
  // The clock of a default call: minor at 60 s, then the 120 s wait is cut by the major at 180 s.
  CallClock clock = start_clock(d, Time::zero());
  CHECK(clock.next() == Time::s(60));
  CHECK(adjust_clock(clock, d, Time::s(60)) == Expiry::Minor);
  CHECK(clock.next() == Time::s(180));
  CHECK(adjust_clock(clock, d, Time::s(180)) == Expiry::Major);
  CHECK(clock.next() == Time::s(240));  // the hard cycle again: 60 s wait, major at 360 s
  CHECK(clock.major == Time::s(360));
}

// 500 reads of cached files are 500 GETATTR calls and replies, some 3000 events: one
// allocation per call or event would count hundreds. What remains is the engine's radix-heap
// buckets meeting a new peak as the clock crosses a higher power of two (as in
// test_transport_memory.cpp); the mount allocates nothing (checked with a backtrace on
// operator new: every allocation left is in EventQueue::put).
TEST_CASE("nfs mount: no allocation per call once grown", "[nfs][mount][allocation]") {
  NfsPair t;
  t.net.set_observer(nullptr);
  t.server.calls.reserve(20000);
  t.waiter.done.reserve(20000);
  for (int round = 0; round < 50; ++round) {
    for (std::uint32_t f = 0; f < 10; ++f) t.mount.read(f, t.waiter, f);
    t.settle(Time::s(2));
  }
  const long before = allocations();
  for (int round = 0; round < 50; ++round) {
    for (std::uint32_t f = 0; f < 10; ++f) t.mount.read(f, t.waiter, f);
    t.settle(Time::s(2));
  }
  const long during = allocations() - before;
  CHECK(t.waiter.done.size() == 1000);
  if (counting_allocations()) CHECK(during < 20);
}

TEST_CASE("nfs mount: TCP_USER_TIMEOUT drops a connection whose data goes unacknowledged for timeo x (retrans + 1)",
          "[nfs][mount][user-timeout]") {
  // xprtsock.c xs_tcp_set_socket_timeouts: TCP_USER_TIMEOUT = 1 s x (2 + 1) = 3 s.
  NfsPair t(options("hard,timeo=10,retrans=2"));
  t.read_and_run(0);
  Interface& nfs0 = *t.nfs.interfaces().front();
  nfs0.set_up(false);  // the server's cable is out: nothing it is sent is acknowledged
  const Time t0 = t.sim.now();
  t.log.rows.clear();
  CHECK_FALSE(t.mount.read(0, t.waiter, 5));
  const auto resets = [&] {
    std::vector<Time> at;
    for (const auto& r : t.log.tcp("web1"))
      if ((r.pkt.tcp.flags & tcp_flags::kRst) != 0) at.push_back(r.t);
    return at;
  };
  t.sim.run_until(t0 + Time::ms(2999));
  CHECK(resets().empty());
  t.sim.run_until(t0 + Time::ms(3001));
  REQUIRE(resets().size() == 1);
  CHECK(resets()[0] == t0 + Time::s(3));  // the connection is aborted
  // It had carried replies, so the new connection is tried at once (xprt_reconnect_delay 0):
  // SYNs at 3 s, then 1 s and 2 s later (tcp_syn_retries backoff). The cable is back at 5 s.
  t.sim.run_until(t0 + Time::s(5));
  nfs0.set_up(true);
  t.nfs.forget_all();  // and the server rebooted meanwhile: the old connection is unknown
  t.nfs.tcp_listen(kNfsPort, t.server, 64);  // nfsd listens again
  t.sim.run_until(t0 + Time::s(7));
  REQUIRE(t.waiter.done.size() == 2);
  CHECK(t.waiter.done[1].result == NfsResult::Ok);
  CHECK(t.waiter.done[1].t > t0 + Time::s(6));
  CHECK(t.waiter.done[1].t < t0 + Time::s(6) + Time::ms(20));
  CHECK(t.mount.stats().reconnects == 1);
}
