// The transport's footprint: no heap allocation per packet or per connection once
// warm, a socket of at most 256 bytes, and the demultiplexing table.

#include <map>

#include <catch2/catch.hpp>

#include "support/allocation_counter.hpp"
#include "transport/tcp_socket.hpp"
#include "transport/tuple_map.hpp"
#include "transport_fixture.hpp"

using namespace lvs;
using namespace lvs::literals;
using namespace lvs::test;

// Under AddressSanitizer allocations are not counted: the allocation tests run in
// normal builds only.
#if !LVSLAB_ASAN

namespace {

constexpr TxParams kGigabit{1'000'000'000, 5_us, 1'000'000};

/// Answers every request with 1000 bytes; closes when the client does. Records nothing.
class EchoServer : public TcpApp {
 public:
  explicit EchoServer(EndHost& h) : host_(h) {}
  void on_acceptable(std::uint16_t port) override {
    while (host_.tcp_accept(port, 0)) {
    }
  }
  void on_message(SocketId s, std::uint64_t, std::uint64_t tag, std::uint32_t) override { host_.tcp_send(s, 1000, tag); }
  void on_peer_closed(SocketId s, std::uint64_t) override { host_.tcp_close(s); }

 private:
  EndHost& host_;
};

/// Sends 100-byte requests: `per_connection` on one connection, then closes and opens
/// the next, until `left` requests are done.
class PingClient : public TcpApp {
 public:
  PingClient(EndHost& h, int per_connection) : host_(h), per_connection_(per_connection) {}
  long left = 0;
  long answered = 0;
  void start() { host_.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, *this, 0); }
  void on_connected(SocketId s, std::uint64_t) override {
    in_connection_ = 0;
    host_.tcp_send(s, 100, 1);
  }
  void on_message(SocketId s, std::uint64_t, std::uint64_t tag, std::uint32_t) override {
    ++answered;
    --left;
    if (left > 0 && ++in_connection_ < per_connection_)
      host_.tcp_send(s, 100, tag + 1);
    else
      host_.tcp_close(s);
  }
  void on_closed(SocketId, std::uint64_t, TcpCloseReason) override {
    if (left > 0) start();
  }

 private:
  EndHost& host_;
  int per_connection_;
  int in_connection_ = 0;
};

long allocations_for(int per_connection) {
  Simulation sim;
  Network net(sim);
  EndHost& c = net.add_node<EndHost>("c");
  EndHost& s = net.add_node<EndHost>("s");
  net.connect("c-s", c.add_ethernet("eth0", MacAddress::local(1), prefix("10.0.0.1/24")),
              s.add_ethernet("eth0", MacAddress::local(2), prefix("10.0.0.2/24")), kGigabit);
  EchoServer server(s);
  s.tcp_listen(80, server, 128);
  PingClient client(c, per_connection);
  // Warm-up with as many connections as the measured run: pools, tables, the event queue
  // and the TIME_WAIT table (which holds every connection closed in the last 60 s) reach
  // their size; sim.run() then waits the 60 s out.
  client.left = 5000;
  client.start();
  sim.run();
  REQUIRE(client.answered == 5000);
  CHECK(c.tcp_time_wait() == 0);
  const long before = lvs::test::allocations();
  client.left = 5000;
  client.start();
  sim.run();
  REQUIRE(client.answered == 10000);
  CHECK(c.arp_lookup(*c.interface("eth0"), ip("10.0.0.2")).has_value());  // resolved once, never again
  CHECK(c.tcp_open_sockets() == 0);
  CHECK(s.tcp_open_sockets() == 0);
  return lvs::test::allocations() - before;
}

}  // namespace

// 5000 exchanges are some 30 000 packets and 60 000 events: one allocation per packet,
// event or connection would count thousands. What remains (under 50) is the engine's
// radix-heap buckets meeting a new peak when the clock first crosses a higher power of
// two (logarithmic in simulated time, as test_allocation.cpp in core allows); the
// transport itself allocates nothing (checked with a backtrace on operator new).
TEST_CASE("thousands of exchanges on kept-alive connections do not allocate per packet", "[tcp][allocation]") {
  CHECK(allocations_for(1'000'000) < 50);
}

TEST_CASE("thousands of short connections (connect, request, answer, close) do not allocate per connection",
          "[tcp][allocation]") {
  CHECK(allocations_for(1) < 50);
}

#endif  // !LVSLAB_ASAN

TEST_CASE("a socket takes at most 256 bytes", "[tcp][memory]") {
  CHECK(sizeof(TcpSocket) <= 256);
}

TEST_CASE("the demultiplexing table agrees with std::map through inserts and erases", "[tcp][memory]") {
  TupleMap table;
  std::map<std::uint64_t, std::uint32_t> reference;
  auto tuple_of = [](std::uint64_t k) {
    // Few distinct addresses and ports: long probe runs, many backward shifts.
    return FourTuple{Ipv4Address(10u << 24 | static_cast<std::uint32_t>(k % 7)), Ipv4Address(0x0a000002),
                     static_cast<std::uint16_t>(k / 7 % 300), 80};
  };
  Rng rng(42);
  for (int i = 0; i < 20'000; ++i) {
    const std::uint64_t k = rng.below(2000);
    if (reference.count(k) != 0) {
      CHECK(table.erase(tuple_of(k)));
      reference.erase(k);
    } else {
      table.insert(tuple_of(k), static_cast<std::uint32_t>(i));
      reference[k] = static_cast<std::uint32_t>(i);
    }
  }
  CHECK(table.size() == reference.size());
  for (std::uint64_t k = 0; k < 2000; ++k) {
    const auto it = reference.find(k);
    CHECK(table.find(tuple_of(k)) == (it == reference.end() ? TupleMap::kAbsent : it->second));
  }
  CHECK(table.capacity() <= 4096);  // load factor at most 1/2 of the peak (~1000 keys)
}
