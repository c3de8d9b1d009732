#include <catch2/catch.hpp>
#include <cmath>

#include "nfs_server_fixture.hpp"
#include "storage/nfs_chunks.hpp"
#include "support/allocation_counter.hpp"

using namespace lvs;
using namespace lvs::storage;
using lvs::test::NfsBench;
using lvs::test::equal_files;
using lvs::test::instant_disk;

namespace {

constexpr auto kRead = static_cast<std::size_t>(NfsOp::Read);

// 100 small I/Os per second (10 ms each) and 10 MB/s: 100 000 bytes take 10 + 10 ms.
DiskConfig slow_disk() {
  DiskConfig d;
  d.iops = 100;
  d.bandwidth = 10e6;
  return d;
}

NfsServerConfig config_with(DiskConfig disk) {
  NfsServerConfig c;
  c.disk = disk;
  return c;
}

RpcCallTag call(std::uint32_t xid, NfsOp op, std::uint32_t file, std::uint32_t chunk = 0) {
  return RpcCallTag{xid, op, chunk, file};
}

}  // namespace

TEST_CASE("nfs chunks: the last chunk holds the rest, none past the end", "[nfs]") {
  CHECK(chunk_bytes(100'000, 65'536, 0) == 65'536);
  CHECK(chunk_bytes(100'000, 65'536, 1) == 34'464);
  CHECK(chunk_bytes(100'000, 65'536, 2) == 0);
  CHECK(chunk_bytes(1U << 20, 1U << 20, 0) == 1U << 20);
  CHECK(chunk_bytes(1U << 20, 1U << 20, 1) == 0);
  CHECK(chunk_count(100'000, 65'536) == 2);
  CHECK(chunk_count(1U << 20, 1U << 20) == 1);
  CHECK(chunk_count(0, 4096) == 1);
}

TEST_CASE("nfs server: GETATTR and LOOKUP are answered from memory with the file's change attribute", "[nfs]") {
  NfsServerConfig cfg = config_with(slow_disk());
  cfg.cpu = Distribution::constant(0.002);
  NfsBench b(cfg, equal_files(10, 10'000));
  b.connect();
  b.client.call(call(1, NfsOp::Getattr, 3));
  b.client.call(call(2, NfsOp::Lookup, 3));
  b.sim.run();
  REQUIRE(b.client.replies.size() == 2);
  CHECK(b.client.replies[0].xid == 1);
  CHECK(b.client.replies[0].bytes == nfs_reply_bytes(NfsOp::Getattr));
  CHECK(b.client.replies[0].change == 0);
  CHECK(b.client.replies[1].xid == 2);
  CHECK(b.client.replies[1].bytes == nfs_reply_bytes(NfsOp::Lookup));
  // Each holds a thread for its 2 ms of CPU and nothing else: no disk.
  CHECK(b.server.response_times().count() == 2);
  CHECK(b.server.response_times().max() == Approx(0.002).epsilon(1e-12));
  CHECK(b.server.disk().stats().reads == 0);
  CHECK(b.server.stats().calls[static_cast<std::size_t>(NfsOp::Getattr)] == 1);
  CHECK(b.server.stats().calls[static_cast<std::size_t>(NfsOp::Lookup)] == 1);
  CHECK(b.server.stats().connections == 1);
  CHECK(b.server.busy_thread_seconds() == Approx(0.004).epsilon(1e-12));

  SECTION("every WRITE moves the change attribute on; replies and GETATTR carry it") {
    b.client.call(call(3, NfsOp::Write, 3), 10'000);
    b.sim.run();
    b.client.call(call(4, NfsOp::Getattr, 3));
    b.client.call(call(5, NfsOp::Getattr, 4));
    b.sim.run();
    REQUIRE(b.client.replies.size() == 5);
    CHECK(b.client.replies[2].bytes == nfs_reply_bytes(NfsOp::Write));
    CHECK(b.client.replies[2].change == 1);
    CHECK(b.client.replies[3].change == 1);
    CHECK(b.client.replies[4].change == 0);
    CHECK(b.server.change(3) == 1);
    // An UNSTABLE WRITE goes to the page cache, not the disk.
    CHECK(b.server.disk().stats().writes == 0);
    CHECK(b.server.page_cache().contains(3));
  }
}

TEST_CASE("nfs server: a READ of a file not in the page cache waits for the disk - the same READ again does not",
          "[nfs]") {
  NfsBench b(config_with(slow_disk()), equal_files(10, 1000));
  b.connect();
  b.client.call(call(1, NfsOp::Read, 2));
  b.sim.run();
  b.client.call(call(2, NfsOp::Read, 2));
  b.sim.run();
  REQUIRE(b.client.replies.size() == 2);
  for (const auto& r : b.client.replies) CHECK(r.bytes == nfs_reply_bytes(NfsOp::Read, 1000));
  CHECK(b.server.stats().cache_misses == 1);
  CHECK(b.server.stats().cache_hits == 1);
  CHECK(b.server.disk().stats().reads == 1);
  CHECK(b.server.disk().stats().read_bytes == 1000);
  // The miss: 1/100 s positioning + 1000 B / 10 MB/s = 10.1 ms; the hit: nothing.
  CHECK(b.server.response_times().max() == Approx(0.0101).epsilon(1e-12));
  CHECK(b.server.response_times().min() == 0);
  // Seen from the client, with the same network both times: exactly the disk time apart.
  const Time first = b.client.replies[0].t - b.client.sent[0].t;
  const Time second = b.client.replies[1].t - b.client.sent[1].t;
  CHECK(first - second == Time::us(10'100));
}

TEST_CASE("nfs server: a miss reads the whole file once - its other chunks wait for that read", "[nfs]") {
  NfsServerConfig cfg = config_with(slow_disk());
  cfg.max_io = 65'536;
  NfsBench b(cfg, equal_files(10, 100'000));
  b.connect();
  b.client.call(call(1, NfsOp::Read, 5, 0));
  b.client.call(call(2, NfsOp::Read, 5, 1));
  b.sim.run();
  b.client.call(call(3, NfsOp::Read, 5, 2));  // past the end of the file
  b.sim.run();
  REQUIRE(b.client.replies.size() == 3);
  CHECK(b.client.replies[0].bytes == nfs_reply_bytes(NfsOp::Read, 65'536));
  CHECK(b.client.replies[1].bytes == nfs_reply_bytes(NfsOp::Read, 34'464));
  CHECK(b.client.replies[2].bytes == nfs_reply_bytes(NfsOp::Read, 0));
  CHECK(b.server.disk().stats().reads == 1);
  CHECK(b.server.disk().stats().read_bytes == 100'000);
  CHECK(b.server.stats().cache_misses == 1);
  CHECK(b.server.stats().cache_hits == 2);
  // 10 ms + 100 000 B / 10 MB/s = 20 ms for the first chunk.
  CHECK(b.server.response_times().max() == Approx(0.020).epsilon(1e-12));

  SECTION("a file larger than the page cache is read chunk by chunk, each READ its own") {
    NfsServerConfig small = cfg;
    small.page_cache_bytes = 50'000;
    NfsBench t(small, equal_files(10, 100'000));
    t.connect();
    t.client.call(call(1, NfsOp::Read, 5, 0));
    t.client.call(call(2, NfsOp::Read, 5, 1));
    t.sim.run();
    REQUIRE(t.client.replies.size() == 2);
    CHECK(t.server.disk().stats().reads == 2);
    CHECK(t.server.disk().stats().read_bytes == 100'000);
    CHECK(t.server.stats().cache_misses == 2);
  }
}

TEST_CASE("nfs server: a sync COMMIT waits for the disk write, an async one does not - both occupy the disk",
          "[nfs]") {
  auto commit_after_write = [](bool sync) {
    NfsServerConfig cfg = config_with(slow_disk());
    cfg.sync = sync;
    auto b = std::make_unique<NfsBench>(cfg, equal_files(10, 100'000));
    b->connect();
    b->client.call(call(1, NfsOp::Write, 7), 100'000);
    b->sim.run();
    b->client.call(call(2, NfsOp::Commit, 7));
    b->sim.run();
    return b;
  };
  const auto sync = commit_after_write(true);
  const auto async = commit_after_write(false);
  for (const auto* b : {sync.get(), async.get()}) {
    REQUIRE(b->client.replies.size() == 2);
    CHECK(b->client.replies[1].bytes == nfs_reply_bytes(NfsOp::Commit));
    CHECK(b->client.replies[1].change == 1);
    CHECK(b->server.disk().stats().writes == 1);
    CHECK(b->server.disk().stats().written_bytes == 100'000);
    // The write held the device 10 ms + 100 000 B / 10 MB/s = 20 ms either way.
    CHECK(b->server.disk().busy_seconds() == Approx(0.020).epsilon(1e-12));
  }
  CHECK(sync->server.response_times().max() == Approx(0.020).epsilon(1e-12));
  CHECK(async->server.response_times().max() == 0);
  const auto commit_time = [](const NfsBench& b) { return b.client.replies[1].t - b.client.sent[1].t; };
  CHECK(commit_time(*sync) - commit_time(*async) == Time::ms(20));
}

TEST_CASE("nfs server: 16 threads serve 20 READs waiting for a slow disk: 16 in service, 4 waiting", "[nfs]") {
  DiskConfig one_per_second;
  one_per_second.iops = 1;
  one_per_second.bandwidth = 1e9;
  NfsBench b(config_with(one_per_second), equal_files(40, 1000));
  CHECK(b.server.config().threads == 16);
  b.connect();
  const Time t0 = b.sim.now();
  for (std::uint32_t i = 0; i < 20; ++i) b.client.call(call(i + 1, NfsOp::Read, i));
  b.sim.run_until(t0 + Time::ms(500));
  CHECK(b.client.sent.size() == 20);
  CHECK(b.server.busy_threads() == 16);
  CHECK(b.server.waiting() == 4);
  CHECK(b.server.disk().queued() == 16);
  b.sim.run();
  REQUIRE(b.client.replies.size() == 20);
  for (std::uint32_t i = 0; i < 20; ++i) CHECK(b.client.replies[i].xid == i + 1);  // first come, first served
  // Each read holds the disk 1 s + 1000 B / 1 GB/s; the 20th is done after 20 of them.
  CHECK(b.client.replies.back().t > t0 + Time::us(20'000'020));
  CHECK(b.client.replies.back().t < t0 + Time::us(20'001'000));
  CHECK(b.server.busy_threads() == 0);
  CHECK(b.server.waiting() == 0);
}

TEST_CASE("nfs server: more replies than a socket holds wait in the server and all arrive in order", "[nfs]") {
  NfsBench b(config_with(instant_disk()), equal_files(2, 12U << 20));
  b.connect();
  for (std::uint32_t i = 0; i < 12; ++i) b.client.call(call(i + 1, NfsOp::Read, 1, i));
  // When the 12th READ is answered, fewer than 8 replies have arrived: at least 5 were out
  // or waiting at once, more than the socket's 4.
  while (b.server.stats().calls[kRead] < 12) REQUIRE(b.sim.step());
  CHECK(b.client.replies.size() < 8);
  b.sim.run();
  REQUIRE(b.client.replies.size() == 12);
  for (std::uint32_t i = 0; i < 12; ++i) {
    CHECK(b.client.replies[i].xid == i + 1);
    CHECK(b.client.replies[i].bytes == nfs_reply_bytes(NfsOp::Read, 1U << 20));
  }
}

TEST_CASE("nfs server: a call retransmitted while the first is served is dropped as a duplicate", "[nfs]") {
  NfsBench b(config_with(slow_disk()), equal_files(10, 1000));
  b.connect();
  b.client.call(call(9, NfsOp::Read, 1));
  b.sim.run_until(b.sim.now() + Time::ms(2));
  b.client.call(call(9, NfsOp::Read, 1));  // a retransmission: the disk read takes 10.1 ms
  b.sim.run();
  CHECK(b.server.stats().duplicates == 1);
  REQUIRE(b.client.replies.size() == 1);
  // Once answered, the xid is free again: the model keeps no completed replies.
  b.client.call(call(9, NfsOp::Read, 1));
  b.sim.run();
  CHECK(b.client.replies.size() == 2);
  CHECK(b.server.stats().duplicates == 1);
}

TEST_CASE("nfs server: stop() resets the connections and abandons calls - start() serves again", "[nfs]") {
  NfsBench b(config_with(slow_disk()), equal_files(10, 1000));
  b.connect();
  b.client.call(call(1, NfsOp::Read, 1));
  b.client.call(call(2, NfsOp::Getattr, 2));
  b.sim.run_until(b.sim.now() + Time::ms(5));
  REQUIRE(b.client.replies.size() == 1);  // the GETATTR
  CHECK(b.server.busy_threads() == 1);
  b.server.stop();
  CHECK_FALSE(b.server.running());
  CHECK(b.server.busy_threads() == 0);
  b.sim.run();
  CHECK(b.client.replies.size() == 1);  // the READ is never answered
  REQUIRE(b.client.closed.size() == 1);
  CHECK(b.client.closed[0].second == TcpCloseReason::Reset);
  CHECK(b.server.stats().calls[kRead] == 0);

  b.server.start();
  b.client.connect();  // connection 1
  b.sim.run();
  b.client.call(call(3, NfsOp::Read, 1), 0, 1);
  b.sim.run();
  REQUIRE(b.client.replies.size() == 2);
  CHECK(b.client.replies[1].xid == 3);
  CHECK(b.server.stats().connections == 2);
  // The disk finished the abandoned read into the page cache: the kernel's cache outlives nfsd.
  CHECK(b.server.stats().cache_hits == 1);
}

TEST_CASE("nfs server: power_off forgets calls, disk I/Os and the page cache, but not change attributes", "[nfs]") {
  NfsBench b(config_with(slow_disk()), equal_files(10, 1000));
  b.connect();
  b.client.call(call(1, NfsOp::Write, 2), 1000);
  b.client.call(call(2, NfsOp::Read, 1));
  b.sim.run();
  b.client.call(call(3, NfsOp::Read, 3));
  b.sim.run_until(b.sim.now() + Time::ms(5));
  CHECK(b.server.busy_threads() == 1);
  CHECK(b.server.disk().queued() == 1);
  CHECK(b.server.page_cache().files_cached() == 3);
  const std::uint64_t out = b.s.transport_stats().segments_out;
  b.server.power_off();
  CHECK(b.s.transport_stats().segments_out == out);  // no packet
  b.s.forget_all();
  CHECK_FALSE(b.server.running());
  CHECK(b.server.busy_threads() == 0);
  CHECK(b.server.waiting() == 0);
  CHECK(b.server.disk().queued() == 0);
  CHECK(b.server.page_cache().files_cached() == 0);
  CHECK(b.server.change(2) == 1);
  b.sim.run_until(b.sim.now() + Time::ms(50));
  CHECK(b.client.replies.size() == 2);  // READ 3 died with the power

  b.server.start();
  b.client.connect();
  b.sim.run_until(b.sim.now() + Time::ms(50));
  b.client.call(call(4, NfsOp::Read, 1), 0, 1);
  b.client.call(call(5, NfsOp::Getattr, 2), 0, 1);
  b.sim.run_until(b.sim.now() + Time::ms(50));
  REQUIRE(b.client.replies.size() == 4);
  CHECK(b.client.replies[2].xid == 5);  // the GETATTR first: READ 4 waits for the disk
  CHECK(b.client.replies[2].change == 1);
  CHECK(b.server.stats().cache_misses == 3);  // READ 1 again: the cache was lost
}

TEST_CASE("nfs server: no allocation per call once its queues have grown", "[nfs]") {
  NfsBench b(config_with(instant_disk()), equal_files(100, 3000));
  b.client.replies.reserve(5000);
  b.client.sent.reserve(5000);
  b.connect();
  std::uint32_t xid = 0;
  auto batch = [&](int n) {
    for (int i = 0; i < n; ++i) {
      ++xid;
      b.client.call(call(xid, i % 3 == 0 ? NfsOp::Getattr : NfsOp::Read, xid % 100));
      if (i % 8 == 7) b.sim.run();
    }
    b.sim.run();
  };
  batch(400);
  const long before = test::allocations();
  batch(2000);
  CHECK(b.client.replies.size() == 2400);
  // A few growths of the event queue's time buckets, not one per call.
  if (test::counting_allocations()) CHECK(test::allocations() - before < 40);
}

namespace {

// Erlang's C formula: the probability that a call waits in an M/M/c queue with offered load
// a = lambda * m Erlangs (a < c),
//   C(c, a) = (a^c / c!) / (1 - a/c)  /  ( sum_{k<c} a^k / k!  +  (a^c / c!) / (1 - a/c) ),
// and the mean time in the system W = C(c, a) / (c/m - lambda) + m (L. Kleinrock, Queueing
// Systems vol. 1, 1975, section 3.5; Gross & Harris, Fundamentals of Queueing Theory, 2.3).
double erlang_c(std::uint32_t c, double a) {
  double term = 1;  // a^k / k!
  double below = 0;
  for (std::uint32_t k = 0; k < c; ++k) {
    below += term;
    term *= a / (k + 1);
  }
  const double top = term / (1 - a / c);
  return top / (below + top);
}

double mmc_mean_time(std::uint32_t c, double lambda, double m) {
  return erlang_c(c, lambda * m) / (c / m - lambda) + m;
}

// Poisson READs from the client over `connections` connections, each on one that can send
// it at once (so the arrivals at the server stay Poisson); counts those that could not.
struct PoissonReads {
  NfsBench& b;
  Rng& rng;
  Distribution gap;
  std::uint32_t left;
  std::uint32_t next_conn = 0;
  std::uint32_t xid = 0;
  std::uint32_t had_to_queue = 0;

  void arrive() {
    const std::uint32_t n = static_cast<std::uint32_t>(b.client.connections());
    std::uint32_t conn = next_conn;
    for (std::uint32_t tries = 0; tries < n && !b.client.has_room(conn); ++tries) conn = (conn + 1) % n;
    if (!b.client.has_room(conn)) ++had_to_queue;
    next_conn = (conn + 1) % n;
    ++xid;
    b.client.call(RpcCallTag{xid & 0xfffffU, NfsOp::Read, 0, xid % b.content.files()}, 0, conn);
    if (--left > 0) b.sim.schedule_in(Time::from_seconds(gap.sample(rng)), [this] { arrive(); });
  }
};

}  // namespace

TEST_CASE("nfs server: c threads waiting on an exponential disk are an M/M/c queue (Erlang C)", "[nfs][mmc]") {
  // Every READ misses (no page cache) and waits Exp(m) for a disk that holds no device time:
  // each call's thread time is Exp(m), c threads serve a FIFO of Poisson arrivals.
  const double m = 0.010;
  const std::uint32_t c = 4;
  const double rho = 0.75;
  const double lambda = rho * c / m;  // 300 calls/s, 3 Erlangs
  const std::uint32_t calls = 200'000;

  NfsServerConfig cfg;
  cfg.threads = c;
  cfg.page_cache_bytes = 0;
  cfg.disk = instant_disk();
  cfg.disk.latency = Distribution::exponential(m);
  NfsBench b(cfg, equal_files(1000, 1000), 20240611);
  b.connect(32);
  PoissonReads arrivals{b, b.sim.rng("mmc/arrivals"), Distribution::exponential(1 / lambda), calls};
  const Time start = b.sim.now();
  b.sim.schedule_in(Time::zero(), [&] { arrivals.arrive(); });
  b.sim.run();

  REQUIRE(b.client.replies.size() == calls);
  CHECK(arrivals.had_to_queue == 0);
  CHECK(b.server.stats().cache_misses == calls);
  const double expected = mmc_mean_time(c, lambda, m);  // 15.09 ms
  CHECK(expected == Approx(0.015094).epsilon(1e-4));
  const double measured = b.server.response_times().mean();
  INFO("measured W " << measured << " s, Erlang C " << expected << " s");
  // Seeds 1..7 gave -1.1 % .. +1.0 %: 3 % is three times the spread.
  CHECK(measured == Approx(expected).epsilon(0.03));
  // A server with one thread more or less would be far off: the check can fail.
  CHECK(std::fabs(mmc_mean_time(c + 1, lambda, m) - expected) > 0.2 * expected);
  // Busy threads on average: the offered load, lambda * m = 3.
  const double elapsed = (b.client.replies.back().t - start).seconds();
  CHECK(b.server.busy_thread_seconds() / elapsed == Approx(lambda * m).epsilon(0.03));
}
