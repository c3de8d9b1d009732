#pragma once
// An NFS server on host s (10.0.0.2) and a client host c (10.0.0.1) on one 1 Gb/s link, and
// NfsProbe: a client application that sends NFSv3 calls as the model encodes them on one or
// more TCP connections to port 2049 (queued while a socket has no room) and records replies.

#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "core/ring_queue.hpp"
#include "core/simulation.hpp"
#include "net/network.hpp"
#include "storage/content.hpp"
#include "storage/nfs_server.hpp"
#include "storage/nfs_wire.hpp"
#include "support/instant_arp.hpp"
#include "transport/end_host.hpp"

namespace lvs::test {

/// Sends calls on `connections` sockets (call() picks one by index) and records replies.
class NfsProbe : public TcpApp {
 public:
  struct Reply {
    Time t;
    std::uint32_t connection;
    std::uint32_t xid;
    std::uint32_t change;
    std::uint32_t bytes;
  };
  struct Sent {
    Time t;
    storage::RpcCallTag call;
  };

  NfsProbe(EndHost& host, Simulation& sim, Ipv4Address server) : host_(host), sim_(sim), server_(server) {}

  /// Opens `n` connections to port 2049 (more may be opened later).
  void connect(std::uint32_t n = 1) {
    for (std::uint32_t i = 0; i < n; ++i) {
      const auto index = static_cast<std::uint32_t>(sockets_.size());
      sockets_.push_back({host_.tcp_connect(Ipv4Address(), 0, server_, storage::kNfsPort, *this, index), false, {}});
    }
  }
  /// Sends (or queues) a call on connection `conn`; WRITE carries `data` bytes.
  void call(storage::RpcCallTag call, std::uint32_t data = 0, std::uint32_t conn = 0) {
    Socket& sock = sockets_.at(conn);
    sock.pending.push({call, storage::nfs_call_bytes(call.op, cred_, data, storage::file_name_bytes(call.file))});
    flush(conn);
  }
  /// Connection `conn` has a socket with room now (a call sent would not wait).
  bool has_room(std::uint32_t conn) const {
    const Socket& s = sockets_.at(conn);
    return s.connected && s.pending.empty() && host_.tcp_send_room(s.id) > 0;
  }
  std::size_t connections() const { return sockets_.size(); }
  SocketId socket(std::uint32_t conn) const { return sockets_.at(conn).id; }

  std::vector<Reply> replies;
  std::vector<Sent> sent;
  std::vector<std::pair<Time, TcpCloseReason>> closed;

  void on_connected(SocketId, std::uint64_t user) override {
    sockets_.at(user).connected = true;
    flush(static_cast<std::uint32_t>(user));
  }
  void on_send_room(SocketId, std::uint64_t user) override { flush(static_cast<std::uint32_t>(user)); }
  void on_message(SocketId, std::uint64_t user, std::uint64_t tag, std::uint32_t bytes) override {
    const storage::RpcReplyTag r = storage::decode_reply(tag);
    replies.push_back({sim_.now(), static_cast<std::uint32_t>(user), r.xid, r.change, bytes});
  }
  void on_closed(SocketId, std::uint64_t user, TcpCloseReason why) override {
    sockets_.at(user).connected = false;
    closed.push_back({sim_.now(), why});
  }

 private:
  struct Pending {
    storage::RpcCallTag call;
    std::uint32_t bytes;
  };
  struct Socket {
    SocketId id;
    bool connected;
    RingQueue<Pending> pending;
  };
  void flush(std::uint32_t conn) {
    Socket& s = sockets_.at(conn);
    while (s.connected && !s.pending.empty() && host_.tcp_send_room(s.id) > 0) {
      const Pending p = s.pending.pop();
      sent.push_back({sim_.now(), p.call});
      host_.tcp_send(s.id, p.bytes, storage::encode(p.call));
    }
  }

  EndHost& host_;
  Simulation& sim_;
  Ipv4Address server_;
  storage::RpcCredential cred_;
  std::vector<Socket> sockets_;
};

inline storage::ContentConfig equal_files(std::uint32_t files, double bytes) {
  storage::ContentConfig c;
  c.files = files;
  c.zipf = 0;
  c.size = Distribution::constant(bytes);
  return c;
}

/// Client c and NFS server s on a 1 Gb/s, 5 us link; the server started.
struct NfsBench {
  Simulation sim;
  Network net{sim};
  EndHost& c;
  EndHost& s;
  storage::Catalogue content;
  storage::NfsServer server;
  NfsProbe client;

  NfsBench(storage::NfsServerConfig config, storage::ContentConfig files, std::uint64_t seed = 1)
      : sim(seed),
        c(net.add_node<EndHost>("c")),
        s(net.add_node<EndHost>("s")),
        content(files, sim.rng("content/sizes")),
        server(s, sim, "s", std::move(config), content),
        client(c, sim, *Ipv4Address::parse("10.0.0.2")) {
    answer_arp_at_once(c);
    answer_arp_at_once(s);
    Interface& c0 = c.add_ethernet("eth0", MacAddress::local(1), *Ipv4Prefix::parse("10.0.0.1/24"));
    Interface& s0 = s.add_ethernet("eth0", MacAddress::local(2), *Ipv4Prefix::parse("10.0.0.2/24"));
    net.connect("c-s", c0, s0, TxParams{});
    server.start();
  }
  /// Connects the client and lets the handshake finish (10 ms).
  void connect(std::uint32_t n = 1) {
    client.connect(n);
    sim.run_until(sim.now() + Time::ms(10));
  }
};

/// A disk that takes no time at all: 0 ns per I/O.
inline storage::DiskConfig instant_disk() {
  storage::DiskConfig d;
  d.iops = 1e15;
  d.bandwidth = 1e18;
  return d;
}

}  // namespace lvs::test
