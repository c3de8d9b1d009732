#include "storage/nfs_mount_rpc.hpp"

#include <algorithm>

#include "storage/nfs_mount.hpp"

namespace lvs::storage {

namespace {
// fs/nfs: NFS_MAX_TCP_TIMEOUT, 600 s.
constexpr Time kMaxTcpTimeout = Time::s(600);
constexpr std::uint32_t kInitialIndex = 1024;
}  // namespace

RpcTimeout rpc_timeout(const NfsMountOptions& o) {
  // fs/nfs/client.c nfs_init_timeout_values, TCP: initval = timeo (capped), increment =
  // initval, maxval = initval + increment x retrans (capped, at least initval), linear.
  RpcTimeout to;
  to.initval = std::min(o.timeo, kMaxTcpTimeout);
  to.increment = to.initval;
  to.maxval = std::max(std::min(to.initval + to.increment * o.retrans, kMaxTcpTimeout), to.initval);
  to.retries = o.retrans;
  return to;
}

CallClock start_clock(const RpcTimeout& to, Time now) {
  // net/sunrpc/xprt.c xprt_init_majortimeo: rq_timeout = to_initval; the major timeout
  // (xprt_calc_majortimeo, linear) is to_initval + to_increment x to_retries capped at
  // to_maxval, which for TCP is to_maxval itself.
  return CallClock{to.initval, now + to.initval, now + to.maxval};
}

Expiry adjust_clock(CallClock& c, const RpcTimeout& to, Time now) {
  // net/sunrpc/xprt.c xprt_adjust_timeout: before the major timeout the wait grows by
  // to_increment up to to_maxval; at it the wait starts again from to_initval and the next
  // major timeout is to_maxval later. Both move the minor timeout on by the new wait.
  Expiry e = Expiry::Minor;
  if (now < c.major) {
    c.timeout = std::min(c.timeout + to.increment, to.maxval);
  } else {
    c.timeout = to.initval;
    c.major += to.maxval;
    e = Expiry::Major;
  }
  c.minor += c.timeout;
  return e;
}

CallTable::CallTable() : by_xid_(kInitialIndex, kNone) {}

std::uint32_t CallTable::add(const RpcCall& call) {
  while (by_xid_[call.xid & (by_xid_.size() - 1)] != kNone) grow_index();
  std::uint32_t slot;
  if (free_.empty()) {
    slot = static_cast<std::uint32_t>(calls_.size());
    calls_.push_back(RpcCall{});
  } else {
    slot = free_.back();
    free_.pop_back();
  }
  const std::uint32_t generation = calls_[slot].generation + 1;
  calls_[slot] = call;
  calls_[slot].generation = generation;
  calls_[slot].live = true;
  by_xid_[call.xid & (by_xid_.size() - 1)] = slot;
  return slot;
}

void CallTable::remove(std::uint32_t slot) {
  RpcCall& c = calls_[slot];
  if (!c.live) return;
  by_xid_[c.xid & (by_xid_.size() - 1)] = kNone;
  c.live = false;
  c.queued = false;
  free_.push_back(slot);
}

std::uint32_t CallTable::find(std::uint32_t xid) const {
  const std::uint32_t slot = by_xid_[xid & (by_xid_.size() - 1)];
  if (slot == kNone || !calls_[slot].live || calls_[slot].xid != xid) return kNone;
  return slot;
}

void CallTable::clear() {
  free_.clear();
  for (std::uint32_t s = 0; s < calls_.size(); ++s) {
    calls_[s].live = false;
    calls_[s].queued = false;
    free_.push_back(s);
  }
  std::fill(by_xid_.begin(), by_xid_.end(), kNone);
}

void CallTable::grow_index() {
  // xids are 20 bits: an index of 2^20 entries holds every xid without a collision.
  std::vector<std::uint32_t> bigger(by_xid_.size() * 2, kNone);
  for (std::uint32_t s = 0; s < calls_.size(); ++s)
    if (calls_[s].live) bigger[calls_[s].xid & (bigger.size() - 1)] = s;
  by_xid_ = std::move(bigger);
}

}  // namespace lvs::storage

// --- RpcClient ----------------------------------------------------------------------------

namespace lvs::storage {

namespace {
// net/sunrpc/xprtsock.c XS_TCP_INIT_REEST_TO: the first reconnect backoff, 3 s.
constexpr Time kInitReestablish = Time::s(3);
constexpr std::uint32_t kXidMask = 0xfffffU;  // the model's xids are 20 bits (nfs_wire.hpp)
}  // namespace

RpcClient::RpcClient(Transport& host, Simulation& sim, TcpApp& app, Config config, Listener& listener,
                     NfsMountStats& stats, const MessageSink& messages)
    : host_(host), sim_(sim), app_(app), config_(config), listener_(listener), stats_(stats), messages_(messages) {}

RpcClient::~RpcClient() {
  cancel_all_timers();
  reconnect_.cancel(sim_);
}

void RpcClient::call(NfsOp op, std::uint32_t file, std::uint32_t chunk, std::uint32_t data, std::uint32_t request,
                     std::uint8_t io_shift) {
  RpcCall c;
  // Linux draws the first xid at random (xprt_init_xid); the model counts from 1, which
  // changes no timing.
  c.xid = next_xid_;
  next_xid_ = (next_xid_ + 1) & kXidMask;
  c.op = op;
  c.file = file;
  c.chunk = chunk;
  c.data = data;
  c.io_shift = io_shift;
  c.request = request;
  // The clock starts when the call is queued, connected or not (xprt_init_majortimeo).
  c.clock = start_clock(config_.timeout, sim_.now());
  const std::uint32_t slot = calls_.add(c);
  arm(slot);
  queue(slot);
  pump();
}

void RpcClient::cancel_request(std::uint32_t request) {
  for (std::uint32_t s = 0; s < calls_.slots(); ++s) {
    RpcCall& c = calls_.at(s);
    if (!c.live || c.request != request) continue;
    sim_.cancel(c.timer);
    calls_.remove(s);
  }
}

void RpcClient::forget() {
  cancel_all_timers();
  calls_.clear();
  while (!fifo_.empty()) fifo_.pop();
  reconnect_.cancel(sim_);
  link_ = Link::Down;
  socket_ = kNoSocket;
  ++connection_;
  had_socket_ = false;
  reestablish_ = Time::zero();
  not_responding_ = false;
  still_trying_logged_ = false;
}

void RpcClient::cancel_all_timers() {
  for (std::uint32_t s = 0; s < calls_.slots(); ++s)
    if (calls_.at(s).live) sim_.cancel(calls_.at(s).timer);
}

void RpcClient::queue(std::uint32_t slot) {
  RpcCall& c = calls_.at(slot);
  if (c.queued) return;
  c.queued = true;
  fifo_.push(Queued{slot, c.generation});
}

void RpcClient::pump() {
  if (link_ != Link::Up) {
    ensure_connected();
    return;
  }
  while (!fifo_.empty() && host_.tcp_send_room(socket_) > 0) {
    const Queued q = fifo_.pop();
    const RpcCall& c = calls_.at(q.slot);
    if (c.live && c.queued && c.generation == q.generation) transmit(q.slot);
  }
  watch_unacknowledged();
}

// xs_tcp_set_socket_timeouts sets TCP_USER_TIMEOUT (RFC 5482) to timeo x (retrans + 1): data
// left unacknowledged that long makes TCP give up on the connection (ETIMEDOUT; since Linux
// 4.19 the retransmission timer is clamped so that it fires then, tcp_clamp_rto_to_user_timeout),
// and the RPC client reconnects and sends its calls again. The model watches its own messages:
// the clock starts when a message goes out with none unacknowledged before it, and starts
// again whenever an ACK retires one (TcpApp::on_send_room).
void RpcClient::watch_unacknowledged() {
  const bool unacked = link_ == Link::Up && host_.tcp_send_room(socket_) < kMaxSocketMessages;
  if (!unacked) {
    user_timeout_.cancel(sim_);
    return;
  }
  if (user_timeout_.armed(sim_)) return;
  const Time limit = config_.timeout.initval * static_cast<std::int64_t>(config_.timeout.retries + 1);
  user_timeout_.restart(sim_, limit, [this, user = connection_] {
    if (user != connection_ || link_ != Link::Up) return;
    host_.tcp_abort(socket_);
    lost_connection();
  });
}

void RpcClient::transmit(std::uint32_t slot) {
  RpcCall& c = calls_.at(slot);
  c.queued = false;
  if (c.transmitted) {
    ++stats_.retransmits;
  } else {
    c.transmitted = true;
    ++stats_.calls[static_cast<std::size_t>(c.op)];
  }
  const std::uint32_t data = c.op == NfsOp::Write ? c.data : 0;
  const std::uint32_t name = c.op == NfsOp::Lookup ? file_name_bytes(c.file) : 0;
  host_.tcp_send(socket_, nfs_call_bytes(c.op, config_.credential, data, name),
                 encode(RpcCallTag{c.xid, c.op, c.chunk, c.file, c.io_shift}));
}

void RpcClient::arm(std::uint32_t slot) {
  RpcCall& c = calls_.at(slot);
  c.timer = sim_.schedule_at(c.clock.next(), [this, slot, g = c.generation] { on_timer(slot, g); });
}

void RpcClient::on_timer(std::uint32_t slot, std::uint32_t generation) {
  RpcCall& c = calls_.at(slot);
  if (!c.live || c.generation != generation) return;
  if (adjust_clock(c.clock, config_.timeout, sim_.now()) == Expiry::Major) {
    major_timeout(slot);
    return;
  }
  // A minor timeout: send the call again (it waits in the FIFO while the connection is down).
  queue(slot);
  arm(slot);
  pump();
}

void RpcClient::major_timeout(std::uint32_t slot) {
  // net/sunrpc/clnt.c rpc_check_timeout: a soft call fails with "timed out"; a hard one logs
  // "still trying" (the model: once per outage; Linux: per call, rate-limited) and goes on.
  ++stats_.major_timeouts;
  not_responding_ = true;
  if (!config_.hard) {
    log_ratelimited("not responding, timed out");
    const RpcCall failed = calls_.at(slot);
    calls_.remove(slot);
    listener_.on_timed_out(failed);
    return;
  }
  if (!still_trying_logged_) {
    still_trying_logged_ = true;
    log("not responding, still trying");
  }
  queue(slot);
  arm(slot);
  pump();
}

void RpcClient::answered() {
  // net/sunrpc/clnt.c call_decode: the first reply after "still trying" logs "OK".
  if (!not_responding_) return;
  not_responding_ = false;
  if (still_trying_logged_) log("OK");
  still_trying_logged_ = false;
}

// Linux prints "timed out" with pr_notice_ratelimited: at most DEFAULT_RATELIMIT_BURST (10)
// messages per DEFAULT_RATELIMIT_INTERVAL (5 s) from that call site; the first message of a
// later window is preceded by "rpc_check_timeout: N callbacks suppressed" (lib/ratelimit.c
// ___ratelimit, include/linux/ratelimit_types.h).
void RpcClient::log_ratelimited(std::string_view what) {
  constexpr int kBurst = 10;
  constexpr Time kInterval = Time::s(5);
  const Time now = sim_.now();
  if (ratelimit_.printed == 0 || now - ratelimit_.begin >= kInterval) {
    if (ratelimit_.suppressed > 0 && messages_)
      messages_(now, "rpc_check_timeout: " + std::to_string(ratelimit_.suppressed) + " callbacks suppressed");
    ratelimit_ = Ratelimit{now, 0, 0};
  }
  if (ratelimit_.printed >= kBurst) {
    ++ratelimit_.suppressed;
    return;
  }
  ++ratelimit_.printed;
  log(what);
}

void RpcClient::log(std::string_view what) const {
  if (messages_) messages_(sim_.now(), "nfs: server " + config_.server.str() + " " + std::string(what));
}

// --- the connection -------------------------------------------------------------------------

void RpcClient::ensure_connected() {
  if (link_ != Link::Down || reconnect_.armed(sim_)) return;
  Time delay = Time::zero();
  if (had_socket_) {
    // xprtsock.c xs_connect: a reconnect waits until reestablish_timeout after the last
    // attempt began (xprt_reconnect_delay), and the backoff then doubles, at least 3 s and
    // at most to_maxval (xprt_reconnect_backoff; max_reconnect_timeout, commit 3851f1cd).
    const Time start = connect_start_ + reestablish_;
    delay = start > sim_.now() ? start - sim_.now() : Time::zero();
    reestablish_ = std::max(std::min(reestablish_ * 2, config_.timeout.maxval), kInitReestablish);
    ++stats_.reconnects;
  }
  if (delay == Time::zero()) {
    connect();
    return;
  }
  reconnect_.restart(sim_, delay, [this] { connect(); });
}

void RpcClient::connect() {
  link_ = Link::Connecting;
  had_socket_ = true;
  const std::uint64_t user = ++connection_;
  connect_start_ = sim_.now();
  // xs_tcp_finish_connecting: once the SYN is out, a later reconnect waits at least 3 s
  // unless data arrives on this connection (xs_data_ready sets it back to 0).
  reestablish_ = std::max(reestablish_, kInitReestablish);
  const SocketId s = host_.tcp_connect(Ipv4Address(), 0, config_.server, config_.port, app_, user);
  if (s != kNoSocket && connection_ == user) socket_ = s;
}

void RpcClient::connected(SocketId s, std::uint64_t user) {
  if (user != connection_) return;
  link_ = Link::Up;
  socket_ = s;
  pump();
}

void RpcClient::message(std::uint64_t user, std::uint64_t tag) {
  if (user != connection_) return;
  reestablish_ = Time::zero();  // xs_data_ready: "a useful conversation"
  const RpcReplyTag reply = decode_reply(tag);
  const std::uint32_t slot = calls_.find(reply.xid);
  if (slot == CallTable::kNone) return;  // a reply to a call answered already, or cancelled
  const RpcCall done = calls_.at(slot);
  sim_.cancel(done.timer);
  calls_.remove(slot);
  answered();
  listener_.on_reply(done, reply.change);
}

void RpcClient::peer_closed(SocketId s, std::uint64_t user) {
  if (user != connection_) return;
  // xs_tcp_state_change, TCP_CLOSE_WAIT: the server closed; close ours and back off >= 3 s.
  reestablish_ = std::max(reestablish_, kInitReestablish);
  ++connection_;  // the on_closed that follows our close belongs to a dead connection
  host_.tcp_close(s);
  lost_connection();
}

void RpcClient::closed(std::uint64_t user) {
  if (user != connection_) return;
  lost_connection();
}

void RpcClient::send_room(std::uint64_t user) {
  if (user != connection_) return;
  user_timeout_.cancel(sim_);  // an ACK: the unacknowledged clock starts again
  pump();
}

void RpcClient::lost_connection() {
  user_timeout_.cancel(sim_);
  ++connection_;
  link_ = Link::Down;
  socket_ = kNoSocket;
  // Every call sent on the dead connection goes again on the next one, in slot order.
  for (std::uint32_t s = 0; s < calls_.slots(); ++s)
    if (calls_.at(s).live) queue(s);
  if (calls_.outstanding() > 0) ensure_connected();
}

}  // namespace lvs::storage
