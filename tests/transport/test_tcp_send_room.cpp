// TcpApp::on_send_room: an application that multiplexes more messages on one connection than
// a socket holds (an NFS client's RPCs) queues them as ACKs retire the earlier ones.

#include <catch2/catch.hpp>

#include "transport_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

constexpr TxParams k100M{100'000'000, Time::ms(1), 1'000'000};

/// Sends `total` messages of `bytes` each on one connection, as many at a time as the
/// socket has room for, tags 1, 2, ...
class Pipeliner : public RecordingApp {
 public:
  Pipeliner(EndHost& host, Simulation& sim, int total, std::uint32_t bytes)
      : RecordingApp(host, sim), host_(host), total_(total), bytes_(bytes) {}
  std::vector<int> room_seen;  ///< tcp_send_room at each on_send_room, before sending
  int sent = 0;
  void on_connected(SocketId s, std::uint64_t user) override {
    RecordingApp::on_connected(s, user);
    fill(s);
  }
  void on_send_room(SocketId s, std::uint64_t) override {
    room_seen.push_back(host_.tcp_send_room(s));
    fill(s);
  }

 private:
  void fill(SocketId s) {
    while (sent < total_ && host_.tcp_send_room(s) > 0) host_.tcp_send(s, bytes_, ++sent);
  }
  EndHost& host_;
  int total_;
  std::uint32_t bytes_;
};

}  // namespace

TEST_CASE("on_send_room: ten messages on one connection go four at a time, all arrive in order", "[tcp][send-room]") {
  Pair t(k100M);
  Pipeliner app(t.c, t.sim, 10, 3000);
  const SocketId cs = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, app, 1);
  t.sim.run();
  REQUIRE(app.sent == 10);
  REQUIRE(t.server.messages.size() == 10);
  for (std::size_t k = 0; k < 10; ++k) {
    CHECK(t.server.messages[k].tag == k + 1);
    CHECK(t.server.messages[k].bytes == 3000);
  }
  // The socket holds 4; every callback saw room that an ACK had just made (1 to 4 slots).
  REQUIRE_FALSE(app.room_seen.empty());
  for (int room : app.room_seen) {
    CHECK(room >= 1);
    CHECK(room <= 4);
  }
  CHECK(t.c.tcp_send_room(cs) == 4);  // all acknowledged
  t.c.tcp_close(cs);
  CHECK(t.c.tcp_send_room(cs) == 0);  // closing: nothing more may be queued
}

TEST_CASE("tcp_send_room is 0 for a socket that is not open", "[tcp][send-room]") {
  Pair t(k100M);
  CHECK(t.c.tcp_send_room(kNoSocket) == 0);
  CHECK(t.c.tcp_send_room(5) == 0);
}
