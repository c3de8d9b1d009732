#include "storage/nfs_server.hpp"

#include <algorithm>
#include <stdexcept>

#include "storage/nfs_chunks.hpp"

namespace lvs::storage {

namespace {

// The `user` value of accepted sockets.
constexpr std::uint64_t kAccepted = 1;
// The listen backlog of knfsd's TCP socket (net/sunrpc/svcsock.c, svc_create_socket: 64;
// UNVERIFIED).
constexpr std::uint32_t kListenBacklog = 64;
constexpr std::uint32_t kNone = ~std::uint32_t{0};

// Who waits for a disk I/O: one thread (a READ of a file the page cache cannot hold), every
// thread waiting for one file's read (a fill), nobody (an async COMMIT), or a thread serving a
// sync COMMIT, which waits for its disk write and, on a replicated disk, the replication.
enum class DiskWait : std::uint64_t { Thread = 0, Fill = 1, Nobody = 2, Commit = 3 };

// A disk token: the server's life (bumped by stop and power_off), who waits, and its index.
std::uint64_t disk_token(std::uint32_t life, DiskWait wait, std::uint32_t index) {
  return std::uint64_t{life} << 32 | static_cast<std::uint64_t>(wait) << 30 | index;
}

Time duration_of(double seconds) { return Time::from_seconds(std::max(seconds, 0.0)); }

}  // namespace

// A call as it waits for a thread and while one serves it.
struct NfsServer::Call {
  SocketId socket = kNoSocket;
  std::uint32_t generation = 0;  // of the connection when the call arrived
  std::uint64_t tag = 0;         // the encoded RpcCallTag
  Time arrived;
};

// Per accepted socket: replies waiting for send room, and the xids being served (the
// duplicate check). The generation moves on when the connection ends, so calls of the old
// connection are never answered on a socket id the transport reuses.
struct NfsServer::Connection {
  enum class State : std::uint8_t { Free, Open, Closing };
  struct Reply {
    std::uint32_t bytes = 0;
    std::uint64_t tag = 0;
  };
  State state = State::Free;
  std::uint32_t generation = 0;
  RingQueue<Reply> replies;
  std::vector<std::uint32_t> xids;
};

struct NfsServer::Impl {
  // One nfsd thread: the call it serves, and the next thread waiting for the same fill.
  struct Thread {
    Call call;
    std::uint32_t next_waiter = kNone;
    std::uint32_t commit_parts = 0;  // a sync COMMIT's completions still awaited (disk, replication)
  };
  // A whole file being read from the disk into the page cache, and the threads waiting for it.
  struct Fill {
    std::uint32_t file = 0;
    std::uint32_t first = kNone, last = kNone;
    bool active = false;
  };

  Impl(Simulation& sim, Rng& rng, std::uint32_t threads) : cpu_rng(rng), busy_time(sim.now()), thread(threads) {
    idle.reserve(threads);
    fills.reserve(threads);
    free_all_threads();
  }
  void free_all_threads() {
    idle.clear();
    for (std::uint32_t t = static_cast<std::uint32_t>(thread.size()); t-- > 0;) idle.push_back(t);  // thread 0 first
  }

  Rng& cpu_rng;
  TimeWeighted busy_time;
  Summary response;
  std::uint32_t life = 0;
  RingQueue<Call> calls;  // waiting for a thread, first come first served
  std::vector<Thread> thread;
  std::vector<std::uint32_t> idle;
  std::vector<Fill> fills;
  std::vector<Connection> connections;  // by SocketId
};

NfsServer::NfsServer(Transport& host, Simulation& sim, std::string name, NfsServerConfig config,
                     const Catalogue& content)
    : host_(host),
      sim_(sim),
      name_(std::move(name)),
      config_(std::move(config)),
      content_(content),
      cache_(config_.page_cache_bytes, content.files()),
      disk_(sim, config_.disk, sim.rng(name_ + "/disk-latency")),
      change_(content.files(), 0) {
  if (config_.threads == 0) throw std::invalid_argument("NfsServer: threads must be at least 1");
  if (config_.max_io == 0) throw std::invalid_argument("NfsServer: max_io must be at least 1");
  impl_ = std::make_unique<Impl>(sim, sim.rng(name_ + "/nfsd-cpu"), config_.threads);
}

NfsServer::~NfsServer() = default;

void NfsServer::start() {
  if (running_) return;
  running_ = true;
  host_.tcp_listen(kNfsPort, *this, kListenBacklog);
}

void NfsServer::stop() {
  if (!running_) return;
  host_.tcp_unlisten(kNfsPort);
  host_.tcp_reset_port(kNfsPort);
  forget_work();
}

// The page cache and the disk's queue go with the power; the change attributes are on disk.
void NfsServer::power_off() {
  forget_work();
  disk_.power_off();
  cache_.clear();
}

// No call waits or is served any more, no connection is known; events and disk completions
// of the old life find `life` moved on and do nothing.
void NfsServer::forget_work() {
  running_ = false;
  ++impl_->life;
  while (!impl_->calls.empty()) impl_->calls.pop();
  impl_->free_all_threads();
  for (auto& f : impl_->fills) f.active = false;
  busy_ = 0;
  impl_->busy_time.set(sim_.now(), 0);
  for (SocketId s = 0; s < impl_->connections.size(); ++s) close_connection(s);
}

std::size_t NfsServer::waiting() const { return impl_->calls.size(); }
double NfsServer::busy_thread_seconds() const { return impl_->busy_time.integral(sim_.now()); }
const Summary& NfsServer::response_times() const { return impl_->response; }

// --- connections ---------------------------------------------------------------------------

NfsServer::Connection& NfsServer::connection(SocketId s) {
  if (s >= impl_->connections.size()) impl_->connections.resize(std::size_t{s} + 1);
  return impl_->connections[s];
}

void NfsServer::open_connection(SocketId s) {
  Connection& conn = connection(s);
  if (conn.state != Connection::State::Free) return;
  conn.state = Connection::State::Open;
  ++stats_.connections;
}

void NfsServer::close_connection(SocketId s) {
  Connection& conn = connection(s);
  if (conn.state == Connection::State::Free) return;
  conn.state = Connection::State::Free;
  ++conn.generation;
  while (!conn.replies.empty()) conn.replies.pop();
  conn.xids.clear();
}

void NfsServer::on_acceptable(std::uint16_t port) {
  while (const std::optional<SocketId> s = host_.tcp_accept(port, kAccepted))
    if (host_.tcp_info(*s).open && connection(*s).state == Connection::State::Free) open_connection(*s);
}

// The client closed its side: it wants no more replies (nfsd closes the transport).
void NfsServer::on_peer_closed(SocketId s, std::uint64_t /*user*/) {
  close_connection(s);
  connection(s).state = Connection::State::Closing;
  host_.tcp_close(s);
}

void NfsServer::on_closed(SocketId s, std::uint64_t /*user*/, TcpCloseReason /*why*/) {
  close_connection(s);
  connection(s).state = Connection::State::Free;
}

void NfsServer::on_send_room(SocketId s, std::uint64_t /*user*/) {
  Connection& conn = connection(s);
  while (!conn.replies.empty() && host_.tcp_send_room(s) > 0) {
    const Connection::Reply r = conn.replies.pop();
    host_.tcp_send(s, r.bytes, r.tag);
  }
}

// In order: replies queued before this one go first.
void NfsServer::send_reply(SocketId s, Connection& conn, std::uint32_t bytes, std::uint64_t tag) {
  if (conn.replies.empty() && host_.tcp_send_room(s) > 0)
    host_.tcp_send(s, bytes, tag);
  else
    conn.replies.push({bytes, tag});
}

// --- calls -----------------------------------------------------------------------------------

void NfsServer::on_message(SocketId s, std::uint64_t /*user*/, std::uint64_t tag, std::uint32_t /*bytes*/) {
  if (!running_) return;
  Connection& conn = connection(s);
  if (conn.state == Connection::State::Free) open_connection(s);  // delivered from within tcp_accept
  if (conn.state != Connection::State::Open) return;
  admit(s, conn, tag);
}

// The duplicate request cache, reduced to what changes timing: a call whose xid is being
// served for this connection is a retransmission, dropped (Linux's nfsd_cache_lookup drops a
// request found in progress). Completed replies are not kept: a later retransmission is
// served again. A call naming no file of the catalogue is dropped (a stale handle).
void NfsServer::admit(SocketId s, Connection& conn, std::uint64_t tag) {
  const RpcCallTag call = decode_call(tag);
  if (call.file >= content_.files()) return;
  if (std::find(conn.xids.begin(), conn.xids.end(), call.xid) != conn.xids.end()) {
    ++stats_.duplicates;
    return;
  }
  conn.xids.push_back(call.xid);
  dispatch(Call{s, conn.generation, tag, sim_.now()});
}

void NfsServer::dispatch(const Call& call) {
  if (busy_ < config_.threads)
    begin(call);
  else
    impl_->calls.push(call);
}

// A thread takes the call and spends the configured CPU time on it.
void NfsServer::begin(const Call& call) {
  const std::uint32_t t = impl_->idle.back();
  impl_->idle.pop_back();
  impl_->thread[t] = Impl::Thread{call, kNone};
  ++busy_;
  impl_->busy_time.set(sim_.now(), busy_);
  const Time cpu = duration_of(config_.cpu.sample(impl_->cpu_rng));
  sim_.schedule_in(cpu, [this, t, life = impl_->life] {
    if (life == impl_->life) serve(t);
  });
}

// GETATTR and LOOKUP are answered from memory: the export's inodes and dentries are assumed
// cached (a web root's metadata is small and read constantly).
void NfsServer::serve(std::uint32_t t) {
  const RpcCallTag call = decode_call(impl_->thread[t].call.tag);
  switch (call.op) {
    case NfsOp::Getattr:
    case NfsOp::Lookup: answer(t); return;
    case NfsOp::Read: serve_read(t, call); return;
    case NfsOp::Write: serve_write(t, call); return;
    case NfsOp::Commit: serve_commit(t, call); return;
  }
}

// A READ is served from the page cache if the file is there. On a miss the whole file is
// read from the disk in one I/O and cached (read-ahead of a file read from its start, which
// is how a web server reads); its other chunks wait for that I/O, then hit. A file larger
// than the page cache cannot be kept: each READ reads its own chunk from the disk.
void NfsServer::serve_read(std::uint32_t t, const RpcCallTag& call) {
  const std::uint32_t file_bytes = content_.bytes(call.file);
  const bool filling = std::any_of(impl_->fills.begin(), impl_->fills.end(),
                                   [&](const Impl::Fill& f) { return f.active && f.file == call.file; });
  if (filling || cache_.contains(call.file)) {
    ++stats_.cache_hits;
    if (!filling) {
      cache_.access(call.file, file_bytes);
      answer(t);
      return;
    }
    join_or_start_fill(t, call.file);
    return;
  }
  ++stats_.cache_misses;
  cache_.access(call.file, file_bytes);
  if (cache_.contains(call.file)) {
    join_or_start_fill(t, call.file);
    return;
  }
  disk_.read(chunk_bytes(file_bytes, io_size(call, config_.max_io), call.chunk), *this, disk_token(impl_->life, DiskWait::Thread, t));
}

void NfsServer::join_or_start_fill(std::uint32_t t, std::uint32_t file) {
  auto& fills = impl_->fills;
  auto it = std::find_if(fills.begin(), fills.end(), [&](const Impl::Fill& f) { return f.active && f.file == file; });
  if (it != fills.end()) {
    impl_->thread[it->last].next_waiter = t;
    it->last = t;
    return;
  }
  it = std::find_if(fills.begin(), fills.end(), [](const Impl::Fill& f) { return !f.active; });
  if (it == fills.end()) it = fills.insert(fills.end(), Impl::Fill{});
  *it = Impl::Fill{file, t, t, true};
  const auto index = static_cast<std::uint32_t>(it - fills.begin());
  disk_.read(content_.bytes(file), *this, disk_token(impl_->life, DiskWait::Fill, index));
}

// Every thread waiting for the file is answered, first come first.
void NfsServer::finish_fill(std::uint32_t fill) {
  Impl::Fill& f = impl_->fills[fill];
  f.active = false;
  std::uint32_t t = f.first;
  while (t != kNone) {
    const std::uint32_t next = impl_->thread[t].next_waiter;
    answer(t);
    t = next;
  }
}

// An UNSTABLE WRITE (RFC 1813 3.3.7) goes into the page cache; nobody waits for the disk. Each
// WRITE moves the file's change attribute on (its mtime changes with every write), so its
// reply's post-op attributes carry the new value.
void NfsServer::serve_write(std::uint32_t t, const RpcCallTag& call) {
  ++change_[call.file];
  cache_.access(call.file, content_.bytes(call.file));
  answer(t);
}

// COMMIT (RFC 1813 3.3.21) flushes the file's unstable data: the whole file is written (the
// model's client writes files whole, then commits). `sync` (exports(5)): the thread waits for
// the write. `async`: answered at once; the write still occupies the disk.
// On a replicated disk (DRBD) the file is also handed to the replicator; a sync COMMIT waits
// for both, as the DRBD device completes a write (drbdsetup(8) --protocol).
void NfsServer::serve_commit(std::uint32_t t, const RpcCallTag& call) {
  const std::uint32_t bytes = content_.bytes(call.file);
  if (config_.sync) {
    impl_->thread[t].commit_parts = replicator_ != nullptr ? 2 : 1;
    const std::uint64_t token = disk_token(impl_->life, DiskWait::Commit, t);
    disk_.write(bytes, *this, token);
    if (replicator_ != nullptr) replicator_->replicate(call.file, bytes, change_[call.file], *this, token);
    return;
  }
  disk_.write(bytes, *this, disk_token(impl_->life, DiskWait::Nobody, 0));
  if (replicator_ != nullptr)
    replicator_->replicate(call.file, bytes, change_[call.file], *this, disk_token(impl_->life, DiskWait::Nobody, 0));
  answer(t);
}

void NfsServer::on_replicated(std::uint64_t token) {
  if (static_cast<std::uint32_t>(token >> 32) != impl_->life) return;
  if (static_cast<DiskWait>((token >> 30) & 3U) == DiskWait::Commit) commit_part_done(static_cast<std::uint32_t>(token & 0x3fffffffU));
}

void NfsServer::commit_part_done(std::uint32_t t) {
  if (--impl_->thread[t].commit_parts == 0) answer(t);
}

void NfsServer::on_disk_done(std::uint64_t token) {
  if (static_cast<std::uint32_t>(token >> 32) != impl_->life) return;
  const auto index = static_cast<std::uint32_t>(token & 0x3fffffffU);
  switch (static_cast<DiskWait>((token >> 30) & 3U)) {
    case DiskWait::Thread: answer(index); return;
    case DiskWait::Fill: finish_fill(index); return;
    case DiskWait::Nobody: return;
    case DiskWait::Commit: commit_part_done(index); return;
  }
}

// The reply goes to the connection the call came on, if it is still the same one.
void NfsServer::answer(std::uint32_t t) {
  const Call c = impl_->thread[t].call;
  Connection& conn = connection(c.socket);
  if (conn.state == Connection::State::Open && conn.generation == c.generation) {
    const RpcCallTag call = decode_call(c.tag);
    const std::uint32_t data =
        call.op == NfsOp::Read ? chunk_bytes(content_.bytes(call.file), io_size(call, config_.max_io), call.chunk) : 0;
    std::erase(conn.xids, call.xid);
    ++stats_.calls[static_cast<std::size_t>(call.op)];
    stats_.read_bytes += data;
    impl_->response.add((sim_.now() - c.arrived).seconds());
    send_reply(c.socket, conn, nfs_reply_bytes(call.op, data), encode(RpcReplyTag{call.xid, change_[call.file]}));
  }
  release(t);
}

// The thread takes the next call whose connection is still there. Calls of a connection that
// ended meanwhile are gone: nfsd reads a request off its socket only when a thread is free.
void NfsServer::release(std::uint32_t t) {
  impl_->idle.push_back(t);
  --busy_;
  while (!impl_->calls.empty()) {
    const Call next = impl_->calls.pop();
    const Connection& conn = connection(next.socket);
    if (conn.state == Connection::State::Open && conn.generation == next.generation) {
      begin(next);
      return;
    }
  }
  impl_->busy_time.set(sim_.now(), busy_);
}

}  // namespace lvs::storage
