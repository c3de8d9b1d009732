// The NFS side of a client mount: opens (LOOKUP, close-to-open and the attribute cache),
// the page cache, READ/WRITE/COMMIT per request. The RPC side (connection, FIFO, timeouts)
// is storage/nfs_mount_rpc.hpp. docs/nfs-client.md has every rule with its source.

#include "storage/nfs_mount.hpp"

#include <algorithm>
#include <bit>

#include "core/slot_table.hpp"
#include "storage/nfs_mount_rpc.hpp"

namespace lvs::storage {

namespace {

/// What the mount knows of one file: its name looked up (the dentry) and its cached
/// attributes, as Linux's nfs_inode keeps them (fs/nfs/inode.c).
struct FileAttrs {
  bool looked_up = false;
  bool known = false;          ///< attributes cached
  std::uint32_t change = 0;    ///< the change attribute cached
  Time read_time;              ///< nfsi->read_cache_jiffies: when the attributes were fetched
  Time attrtimeo;              ///< nfsi->attrtimeo
  Time attrtimeo_stamp;        ///< nfsi->attrtimeo_timestamp
};

enum class Kind : std::uint8_t { Read, Write };

/// A read() or write() waiting for its RPCs.
struct Request {
  NfsWaiter* waiter = nullptr;
  std::uint64_t token = 0;
  std::uint32_t file = 0;
  std::uint32_t pending = 0;  ///< READ/WRITE calls not yet answered
  Kind kind = Kind::Read;
  bool live = false;
};

std::uint32_t chunks(std::uint32_t bytes, std::uint32_t size) { return (bytes + size - 1) / size; }

}  // namespace

struct NfsMount::Impl final : RpcClient::Listener {
  explicit Impl(NfsMount& mount);

  bool attributes_fresh(const FileAttrs& a) const;
  void refresh_attributes(std::uint32_t file, std::uint32_t change);
  void own_change(std::uint32_t file, std::uint32_t change);
  std::uint32_t start(Kind kind, std::uint32_t file, NfsWaiter& waiter, std::uint64_t token);
  void open(std::uint32_t r);
  void transfer(std::uint32_t r);
  void finish(std::uint32_t r, NfsResult result);
  void forget();

  void on_reply(const RpcCall& call, std::uint32_t change) override;
  void on_timed_out(const RpcCall& call) override;

  NfsMount& m;
  RpcClient rpc;
  std::vector<FileAttrs> files;
  SlotTable<Request> requests;
  std::size_t active = 0;
};

namespace {

RpcClient::Config rpc_config(const NfsMountConfig& c, const std::string& host_name) {
  RpcClient::Config r;
  r.server = c.server;
  r.port = c.port;
  r.timeout = rpc_timeout(c.options);
  r.hard = c.options.hard;
  // AUTH_SYS carries the client's host name (RFC 5531 appendix A) and the web server's one group.
  r.credential = RpcCredential{static_cast<std::uint32_t>(host_name.size()), 1};
  return r;
}

}  // namespace

NfsMount::Impl::Impl(NfsMount& mount)
    : m(mount),
      rpc(mount.host_, mount.sim_, mount, rpc_config(mount.config_, mount.name_), *this, mount.stats_, mount.message_),
      files(mount.content_.files()) {}

// --- the attribute cache (fs/nfs/inode.c) ----------------------------------------------------

bool NfsMount::Impl::attributes_fresh(const FileAttrs& a) const {
  // nfs_attribute_timeout: valid while now is in [read_cache_jiffies, + attrtimeo). noac
  // (and actimeo=0) make attrtimeo 0: never valid.
  if (!a.known || m.config_.options.noac) return false;
  const Time now = m.sim_.now();
  return now >= a.read_time && now < a.read_time + a.attrtimeo;
}

void NfsMount::Impl::refresh_attributes(std::uint32_t file, std::uint32_t change) {
  FileAttrs& a = files[file];
  const Time now = m.sim_.now();
  const NfsMountOptions& o = m.config_.options;
  if (!a.known) {
    // nfs_fhget: a new inode starts at acregmin.
    a.known = true;
    a.attrtimeo = o.acregmin;
    a.attrtimeo_stamp = now;
  } else if (change != a.change) {
    // nfs_update_inode: the file changed: its cached pages go, the timeout restarts at acregmin.
    m.cache_.invalidate(file);
    a.attrtimeo = o.acregmin;
    a.attrtimeo_stamp = now;
  } else if (now >= a.attrtimeo_stamp + a.attrtimeo) {
    // nfs_update_inode: unchanged, and the timeout had run out: it doubles, up to acregmax.
    a.attrtimeo = std::min(a.attrtimeo * 2, o.acregmax);
    a.attrtimeo_stamp = now;
  }
  a.change = change;
  a.read_time = now;
}

void NfsMount::Impl::own_change(std::uint32_t file, std::uint32_t change) {
  // The client's own WRITE/COMMIT: the weak cache consistency data (RFC 1813 2.6) shows the
  // change is ours, so nothing is invalidated (nfs_wcc_update_inode); the attributes are new.
  FileAttrs& a = files[file];
  if (!a.known) {
    a.known = true;
    a.attrtimeo = m.config_.options.acregmin;
    a.attrtimeo_stamp = m.sim_.now();
  }
  a.change = change;
  a.read_time = m.sim_.now();
}

// --- requests ----------------------------------------------------------------------------------

std::uint32_t NfsMount::Impl::start(Kind kind, std::uint32_t file, NfsWaiter& waiter, std::uint64_t token) {
  const std::uint32_t r = requests.add(Request{&waiter, token, file, 0, kind, true});
  ++active;
  ++m.stats_.blocked;
  if (!files[file].looked_up) {
    rpc.call(NfsOp::Lookup, file, 0, 0, r);  // the first open of the file: its name
  } else {
    open(r);
  }
  return r;
}

void NfsMount::Impl::open(std::uint32_t r) {
  Request& q = requests.at(r);
  // Close-to-open (nfs(5) cto): every open revalidates with GETATTR; nocto: only when the
  // cached attributes have timed out.
  if (m.config_.options.cto || !attributes_fresh(files[q.file])) {
    rpc.call(NfsOp::Getattr, q.file, 0, 0, r);
    return;
  }
  transfer(r);
}

void NfsMount::Impl::transfer(std::uint32_t r) {
  Request& q = requests.at(r);
  const std::uint32_t bytes = m.content_.bytes(q.file);
  if (q.kind == Kind::Read && m.cache_.contains(q.file)) {
    m.cache_.access(q.file, bytes);  // a hit: the pages are cached and the attributes valid
    finish(r, NfsResult::Ok);
    return;
  }
  // All the rsize (wsize) calls at once; they wait in the RPC FIFO for room on the socket.
  const NfsOp op = q.kind == Kind::Read ? NfsOp::Read : NfsOp::Write;
  const std::uint32_t size = q.kind == Kind::Read ? m.rsize() : m.wsize();
  const std::uint32_t n = chunks(bytes, size);
  q.pending = n;
  const auto shift = static_cast<std::uint8_t>(std::countr_zero(size));
  for (std::uint32_t k = 0; k < n; ++k) rpc.call(op, q.file, k, std::min(size, bytes - k * size), r, shift);
}

void NfsMount::Impl::on_reply(const RpcCall& call, std::uint32_t change) {
  Request& q = requests.at(call.request);
  switch (call.op) {
    case NfsOp::Lookup:
      files[call.file].looked_up = true;
      // LOOKUP3resok carries the object's attributes: the open that looked the name up has
      // fresh ones and revalidates no further (Linux sends no GETATTR after the LOOKUP).
      refresh_attributes(call.file, change);
      transfer(call.request);
      return;
    case NfsOp::Getattr:
      refresh_attributes(call.file, change);
      transfer(call.request);
      return;
    case NfsOp::Read:
      refresh_attributes(call.file, change);  // READ's post-op attributes
      if (--q.pending > 0) return;
      m.cache_.access(q.file, m.content_.bytes(q.file));  // read in
      finish(call.request, NfsResult::Ok);
      return;
    case NfsOp::Write:
      own_change(call.file, change);
      if (--q.pending > 0) return;
      // close-to-open: close() flushes (COMMIT)
      rpc.call(NfsOp::Commit, q.file, 0, 0, call.request);
      return;
    case NfsOp::Commit:
      own_change(call.file, change);
      m.cache_.access(q.file, m.content_.bytes(q.file));  // the written pages stay cached
      finish(call.request, NfsResult::Ok);
      return;
  }
}

void NfsMount::Impl::on_timed_out(const RpcCall& call) {
  // Soft mount: the call failed with EIO; the request fails, its other calls are dropped.
  rpc.cancel_request(call.request);
  ++m.stats_.timed_out;
  finish(call.request, NfsResult::TimedOut);
}

void NfsMount::Impl::finish(std::uint32_t r, NfsResult result) {
  const Request done = requests.at(r);
  requests.at(r).live = false;
  requests.release(r);
  --active;
  done.waiter->on_nfs_done(done.token, result);  // last: the waiter may start another request
}

void NfsMount::Impl::forget() {
  rpc.forget();
  for (Request& q : requests.entries()) q.live = false;
  requests.release_all();
  active = 0;
  std::fill(files.begin(), files.end(), FileAttrs{});
}

// --- NfsMount -----------------------------------------------------------------------------------

NfsMount::NfsMount(Transport& host, Simulation& sim, std::string name, NfsMountConfig config, const Catalogue& content)
    : host_(host),
      sim_(sim),
      name_(std::move(name)),
      config_(std::move(config)),
      content_(content),
      cache_(config_.page_cache_bytes, content.files()),
      impl_(std::make_unique<Impl>(*this)) {}

NfsMount::~NfsMount() = default;

bool NfsMount::read(std::uint32_t file, NfsWaiter& waiter, std::uint64_t token) {
  const FileAttrs& a = impl_->files.at(file);
  // nocto: an open within the attribute timeout of a cached file costs nothing.
  if (!config_.options.cto && a.looked_up && impl_->attributes_fresh(a) && cache_.contains(file)) {
    cache_.access(file, content_.bytes(file));
    ++stats_.immediate;
    return true;
  }
  impl_->start(Kind::Read, file, waiter, token);
  return false;
}

bool NfsMount::write(std::uint32_t file, NfsWaiter& waiter, std::uint64_t token) {
  impl_->start(Kind::Write, file, waiter, token);
  return false;
}

void NfsMount::warm() {
  const std::uint32_t n = warm_with_most_popular(cache_, content_);
  for (std::uint32_t f = 0; f < n; ++f) {
    impl_->files[f].looked_up = true;
    impl_->refresh_attributes(f, 0);  // no write yet: every change attribute is 0
  }
}

void NfsMount::power_off() {
  impl_->forget();
  cache_.clear();
}

// Negotiated down to the server's largest (nfs(5)), then to a power of two: Linux's
// nfs_block_size (fs/nfs/internal.h) keeps the highest bit of the size.
std::uint32_t NfsMount::rsize() const { return std::bit_floor(std::min(config_.options.rsize, config_.server_max_io)); }
std::uint32_t NfsMount::wsize() const { return std::bit_floor(std::min(config_.options.wsize, config_.server_max_io)); }
std::size_t NfsMount::blocked_now() const { return impl_->active; }
bool NfsMount::not_responding() const { return impl_->rpc.not_responding(); }

Time NfsMount::attribute_timeout(std::uint32_t file) const {
  const FileAttrs& a = impl_->files.at(file);
  return a.known ? a.attrtimeo : Time::zero();
}

void NfsMount::on_connected(SocketId s, std::uint64_t user) { impl_->rpc.connected(s, user); }
void NfsMount::on_message(SocketId, std::uint64_t user, std::uint64_t tag, std::uint32_t) {
  impl_->rpc.message(user, tag);
}
void NfsMount::on_peer_closed(SocketId s, std::uint64_t user) { impl_->rpc.peer_closed(s, user); }
void NfsMount::on_closed(SocketId, std::uint64_t user, TcpCloseReason) { impl_->rpc.closed(user); }
void NfsMount::on_send_room(SocketId, std::uint64_t user) { impl_->rpc.send_room(user); }

}  // namespace lvs::storage
