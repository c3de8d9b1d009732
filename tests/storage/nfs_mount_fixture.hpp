#pragma once
// A web server host (web1, 10.0.0.1) with an NFS mount, and a fake NFS server (nfs,
// 10.0.0.2) on one 100 Mb/s link with 1 ms of propagation delay. The fake server answers each
// call with nfs_reply_bytes(op, data) bytes after `delay`, or not at all while `down`; it
// keeps a change attribute per file that a test sets. It does not depend on storage::NfsServer.

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/ring_queue.hpp"
#include "storage/content.hpp"
#include "storage/nfs_mount.hpp"
#include "recording_waiter.hpp"
#include "transport/transport_fixture.hpp"

namespace lvs::test {

/// An NFS server that decodes calls and answers from a script.
class FakeNfsServer : public TcpApp {
 public:
  struct Call {
    Time t;
    storage::RpcCallTag call;
  };
  FakeNfsServer(EndHost& host, Simulation& sim, const storage::Catalogue& content)
      : change(content.files(), 0), host_(host), sim_(sim), content_(content) {
    host_.tcp_listen(storage::kNfsPort, *this, 64);
  }

  Time delay = Time::zero();        ///< before each reply
  bool down = false;                ///< calls are taken and never answered
  std::uint32_t io_size = 1U << 20; ///< the rsize the mount uses (for READ reply sizes)
  std::vector<std::uint32_t> change;///< per file
  std::vector<Call> calls;          ///< every call received (retransmissions too)

  /// Calls received of `op`.
  std::size_t count(storage::NfsOp op) const {
    std::size_t n = 0;
    for (const Call& c : calls) n += c.call.op == op ? 1 : 0;
    return n;
  }
  /// Resets every connection on port 2049 (rpc.nfsd killed): RST to the client.
  void reset_connections() {
    host_.tcp_reset_port(storage::kNfsPort);
    sockets_.clear();
  }

  /// Closes every connection with FIN (the server's idle timeout, or an orderly restart).
  void close_connections() {
    for (const auto& [s, box] : sockets_) host_.tcp_close(s);
  }

  void on_acceptable(std::uint16_t) override {
    while (const auto s = host_.tcp_accept(storage::kNfsPort, ++serial_)) sockets_[*s] = Outbox{serial_, {}};
  }
  void on_message(SocketId s, std::uint64_t user, std::uint64_t tag, std::uint32_t) override {
    const storage::RpcCallTag c = storage::decode_call(tag);
    calls.push_back({sim_.now(), c});
    if (down) return;
    if (c.op == storage::NfsOp::Write) ++change.at(c.file);  // a write moves the change attribute on
    const std::uint32_t bytes = reply_bytes(c);
    const std::uint64_t reply = storage::encode(storage::RpcReplyTag{c.xid, change.at(c.file)});
    sim_.schedule_in(delay, [this, s, user, bytes, reply] { send(s, user, bytes, reply); });
  }
  void on_send_room(SocketId s, std::uint64_t user) override { flush(s, user); }
  void on_peer_closed(SocketId s, std::uint64_t) override { host_.tcp_close(s); }
  void on_closed(SocketId s, std::uint64_t user, TcpCloseReason) override {
    const auto it = sockets_.find(s);
    if (it != sockets_.end() && it->second.user == user) sockets_.erase(it);
  }

 private:
  struct Outbox {
    std::uint64_t user = 0;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> waiting;
  };
  std::uint32_t reply_bytes(const storage::RpcCallTag& c) const {
    if (c.op != storage::NfsOp::Read) return storage::nfs_reply_bytes(c.op);
    const std::uint32_t size = content_.bytes(c.file);
    const std::uint32_t offset = c.chunk * io_size;
    return storage::nfs_reply_bytes(c.op, std::min(io_size, size - offset));
  }
  void send(SocketId s, std::uint64_t user, std::uint32_t bytes, std::uint64_t tag) {
    const auto it = sockets_.find(s);
    if (it == sockets_.end() || it->second.user != user) return;  // that connection is gone
    it->second.waiting.emplace_back(bytes, tag);
    flush(s, user);
  }
  void flush(SocketId s, std::uint64_t user) {
    const auto it = sockets_.find(s);
    if (it == sockets_.end() || it->second.user != user) return;
    auto& w = it->second.waiting;
    std::size_t sent = 0;
    while (sent < w.size() && host_.tcp_send_room(s) > 0) {
      host_.tcp_send(s, w[sent].first, w[sent].second);
      ++sent;
    }
    w.erase(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(sent));
  }

  EndHost& host_;
  Simulation& sim_;
  const storage::Catalogue& content_;
  std::map<SocketId, Outbox> sockets_;
  std::uint64_t serial_ = 0;
};

inline storage::Catalogue make_content(std::uint32_t files, double bytes) {
  storage::ContentConfig c;
  c.files = files;
  c.size = Distribution::constant(bytes);
  Rng rng(1);
  return storage::Catalogue(c, rng);
}

inline storage::NfsMountConfig mount_config(const storage::NfsMountOptions& options = {}) {
  storage::NfsMountConfig c;
  c.server = ip("10.0.0.2");
  c.options = options;
  return c;
}

/// web1 with its mount, and the fake server.
struct NfsPair {
  Simulation sim{1};
  Network net{sim};
  SegmentLog log;
  EndHost& web;
  EndHost& nfs;
  storage::Catalogue content;
  FakeNfsServer server;
  storage::NfsMount mount;
  RecordingWaiter waiter{sim};
  std::vector<std::pair<Time, std::string>> messages;

  explicit NfsPair(storage::NfsMountOptions options = {}, std::uint32_t files = 20, double bytes = 10000)
      : web(net.add_node<EndHost>("web1", bare_tcp())),
        nfs(net.add_node<EndHost>("nfs", bare_tcp())),
        content(make_content(files, bytes)),
        server(nfs, sim, content),
        mount(web, sim, "web1", mount_config(options), content) {
    net.set_observer(&log);
    answer_arp_at_once(web);
    answer_arp_at_once(nfs);
    Interface& w0 = web.add_ethernet("eth0", MacAddress::local(1), prefix("10.0.0.1/24"), 1500);
    Interface& n0 = nfs.add_ethernet("eth0", MacAddress::local(2), prefix("10.0.0.2/24"), 1500);
    net.connect("web1-nfs", w0, n0, TxParams{100'000'000, Time::ms(1), 10'000'000});
    server.io_size = mount.rsize();
    mount.on_kernel_message([this](Time t, const std::string& m) { messages.emplace_back(t, m); });
  }
  /// Runs `span` more of simulated time (sim.run() would also run the ARP cache's timers,
  /// half a minute on).
  void settle(Time span = Time::ms(100)) { sim.run_until(sim.now() + span); }
  /// Reads `file` and runs `span`; true if it was served at once.
  bool read_and_run(std::uint32_t file, std::uint64_t token = 1, Time span = Time::ms(100)) {
    const bool now = mount.read(file, waiter, token);
    settle(span);
    return now;
  }
};

}  // namespace lvs::test
