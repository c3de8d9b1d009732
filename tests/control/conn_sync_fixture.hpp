#pragma once
// A DR pair on one LAN for the sync tests: client 10.0.0.2, directors lvs1 10.0.0.11 and
// lvs2 10.0.0.12 (the VIP 10.0.0.100 starts on lvs1's eth0), real servers rs1 10.0.0.21
// and rs2 10.0.0.22 with the VIP on lo. Each real server answers every 100-byte request
// with 200 bytes; the client opens connections at chosen times and sends a request a
// second on each. A director can crash (its NIC takes nothing more) and the VIP can move,
// as VRRP would move it.

#include <map>
#include <memory>
#include <vector>

#include "control/conn_sync.hpp"
#include "lvs/director.hpp"
#include "net/network.hpp"
#include "transport/end_host.hpp"

namespace lvs::test {

inline constexpr Ipv4Address kVip{10, 0, 0, 100};
inline constexpr Ipv4Address kClientIp{10, 0, 0, 2};
inline constexpr Time kRequestInterval = Time::s(1);

/// A director whose frames can be cut off: a crash, as far as the LAN can tell.
class CrashableDirector : public Director {
 public:
  using Director::Director;
  bool down = false;
  void receive(Interface& in, PacketId p) override {
    if (down) {
      network().packets().release(p);
      return;
    }
    Director::receive(in, p);
  }
};

/// Answers each request with 200 bytes, closes when the peer does.
class EchoServer : public TcpApp {
 public:
  explicit EchoServer(EndHost& host) : host_(host) {}
  void on_acceptable(std::uint16_t port) override {
    while (host_.tcp_accept(port, 0)) {}
  }
  void on_message(SocketId s, std::uint64_t, std::uint64_t tag, std::uint32_t) override { host_.tcp_send(s, 200, tag); }
  void on_peer_closed(SocketId s, std::uint64_t) override { host_.tcp_close(s); }

 private:
  EndHost& host_;
};

/// The client's connections: one request a second on each, until closed.
class Sessions : public TcpApp {
 public:
  struct Session {
    SocketId socket = kNoSocket;
    std::uint16_t port = 0;
    std::uint32_t responses = 0;
    bool closed = false;
    TcpCloseReason why = TcpCloseReason::Closed;
    Time closed_at;
  };
  Sessions(Simulation& sim, EndHost& host) : sim_(sim), host_(host) {}
  std::vector<Session> sessions;

  /// Opens a connection to the VIP at `at`; returns its index.
  std::size_t open_at(Time at) {
    sessions.emplace_back();
    const std::size_t i = sessions.size() - 1;
    sim_.schedule_at(at, [this, i] {
      sessions[i].socket = host_.tcp_connect(Ipv4Address(), 0, kVip, 80, *this, i);
      sessions[i].port = host_.tcp_local_port(sessions[i].socket);
    });
    return i;
  }
  void on_connected(SocketId s, std::uint64_t) override { host_.tcp_send(s, 100, 0); }
  void on_message(SocketId s, std::uint64_t user, std::uint64_t, std::uint32_t) override {
    ++sessions[user].responses;
    sim_.schedule_in(kRequestInterval, [this, s, user] {
      if (!sessions[user].closed) host_.tcp_send(s, 100, 0);
    });
  }
  void on_closed(SocketId, std::uint64_t user, TcpCloseReason why) override {
    sessions[user].closed = true;
    sessions[user].why = why;
    sessions[user].closed_at = sim_.now();
  }

 private:
  Simulation& sim_;
  EndHost& host_;
};

struct SyncPair {
  SyncPair();
  Simulation sim{1};
  Network net{sim};
  EndHost* client = nullptr;
  CrashableDirector* lvs[2] = {nullptr, nullptr};
  std::unique_ptr<Transport> local[2];  // the directors' own TCP/UDP (RST for the VIP, the sync sockets)
  EndHost* rs[2] = {nullptr, nullptr};
  std::vector<std::unique_ptr<EchoServer>> echo;
  std::unique_ptr<Sessions> sessions;
  control::SyncGroup sync;
  control::EventLog log;

  /// Sync daemons on both directors (lvs1 master, lvs2 backup), with `maxlen`.
  void start_sync(std::uint32_t maxlen = 1472);
  /// lvs1 crashes at `at`: its frames stop, its daemon stops; lvs2 takes the VIP (GARP) and,
  /// if there are daemons, becomes sync master.
  void crash_master_at(Time at);
  /// The real server a connection of lvs `d` goes to (0.0.0.0 if none).
  Ipv4Address real_server_of(int d, std::uint16_t client_port) const;
};

}  // namespace lvs::test
