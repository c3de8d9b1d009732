#include "storage/gluster.hpp"

#include <algorithm>

#include "storage/gluster_wire.hpp"

namespace lvs::storage {

using namespace gluster_wire;

struct GlusterMount::Brick {
  SocketId socket = kNoSocket;
  bool connected = false;
  bool connecting = false;
  std::uint32_t outstanding = 0;   // calls waiting for a reply
  Time last_heard;                 // the last reply, or the first call after an idle spell
  RingQueue<std::pair<std::uint32_t, std::uint64_t>> unsent;  // bytes, tag
  Timer ping, reconnect;
};

struct GlusterMount::Op {
  NfsWaiter* waiter = nullptr;
  std::uint64_t token = 0;
  std::uint32_t file = 0;
  GlusterOp op = GlusterOp::Lookup;  // the phase: Lookup then Read, or Write
  bool write = false;
  std::uint32_t waiting = 0;         // bricks whose reply this phase still needs (bit mask)
  bool active = false;
};

GlusterMount::GlusterMount(Transport& host, Simulation& sim, std::string name, GlusterMountConfig config,
                           const Catalogue& content)
    : host_(host),
      sim_(sim),
      name_(std::move(name)),
      config_(std::move(config)),
      content_(content),
      cache_(config_.page_cache_bytes, content.files()),
      bricks_(config_.bricks.size()),
      looked_up_(content.files(), Time::zero() - kGlusterAttributeTimeout) {
  for (std::size_t b = 0; b < bricks_.size(); ++b) connect(b);
}

GlusterMount::~GlusterMount() {
  for (Brick& b : bricks_) {
    b.ping.cancel(sim_);
    b.reconnect.cancel(sim_);
  }
}

std::string GlusterMount::source() const {
  const Ipv4Address server = config_.server != Ipv4Address() || config_.bricks.empty() ? config_.server : config_.bricks.front();
  return server.str() + ":/" + config_.volume;
}

bool GlusterMount::brick_up(std::size_t b) const { return bricks_.at(b).connected; }

void GlusterMount::connect(std::size_t b) {
  Brick& br = bricks_[b];
  if (br.connected || br.connecting) return;
  br.connecting = true;
  const SocketId s = host_.tcp_connect(Ipv4Address(), 0, config_.bricks[b], kGlusterBrickPort, *this, b);
  if (s != kNoSocket) br.socket = s;
}

void GlusterMount::warm() {
  warm_with_most_popular(cache_, content_);
}

void GlusterMount::power_off() {
  for (Brick& b : bricks_) {
    b.ping.cancel(sim_);
    b.reconnect.cancel(sim_);
  }
  for (Op& o : ops_.entries()) o.active = false;
  ops_.release_all();
  cache_.clear();
  std::fill(looked_up_.begin(), looked_up_.end(), Time::zero() - kGlusterAttributeTimeout);
  bricks_ = std::vector<Brick>(config_.bricks.size());
  for (std::size_t b = 0; b < bricks_.size(); ++b) bricks_[b].reconnect.restart(sim_, kGlusterReconnect, [this, b] { connect(b); });
}

// Attributes fetched within the attribute timeout and data in the page cache: no call.
bool GlusterMount::read(std::uint32_t file, NfsWaiter& waiter, std::uint64_t token) {
  if (cache_.contains(file) && sim_.now() - looked_up_[file] < kGlusterAttributeTimeout) {
    cache_.access(file, content_.bytes(file));
    ++stats_.immediate;
    return true;
  }
  ++stats_.blocked;
  const std::uint32_t slot = start_op(waiter, token, file, GlusterOp::Lookup);
  if (!send_to_live(slot, GlusterOp::Lookup, true)) next_phase(slot);
  return false;
}

bool GlusterMount::write(std::uint32_t file, NfsWaiter& waiter, std::uint64_t token) {
  ++stats_.blocked;
  const std::uint32_t slot = start_op(waiter, token, file, GlusterOp::Write);
  ops_.at(slot).write = true;
  if (!send_to_live(slot, GlusterOp::Write, true)) next_phase(slot);
  return false;
}

std::uint32_t GlusterMount::start_op(NfsWaiter& waiter, std::uint64_t token, std::uint32_t file, GlusterOp op) {
  const std::uint32_t slot = ops_.add(Op{&waiter, token, file, op, false, 0, true});
  return slot;
}

// Sends the phase's call to every live brick (all) or the first; false if none is live.
bool GlusterMount::send_to_live(std::uint32_t slot, GlusterOp op, bool all) {
  ops_.at(slot).op = op;
  for (std::size_t b = 0; b < bricks_.size(); ++b) {
    if (!bricks_[b].connected) continue;
    send(b, slot, op);
    if (!all) return true;
  }
  return ops_.at(slot).waiting != 0;
}

void GlusterMount::send(std::size_t b, std::uint32_t slot, GlusterOp op) {
  Brick& br = bricks_[b];
  Op& o = ops_.at(slot);
  o.waiting |= 1U << b;
  ++stats_.calls[static_cast<std::size_t>(op == GlusterOp::Lookup ? NfsOp::Lookup : op == GlusterOp::Read ? NfsOp::Read : NfsOp::Write)];
  if (br.outstanding++ == 0) br.last_heard = sim_.now();
  const std::uint32_t data = op == GlusterOp::Write ? content_.bytes(o.file) : 0;
  br.unsent.push({kGlusterMessageBytes + data, call_tag(slot, op, o.file)});
  flush(b);
  if (!br.ping.armed(sim_)) br.ping.restart(sim_, config_.ping_timeout, [this, b] { check_ping(b); });
}

void GlusterMount::flush(std::size_t b) {
  Brick& br = bricks_[b];
  while (br.connected && !br.unsent.empty() && host_.tcp_send_room(br.socket) > 0) {
    const auto [bytes, tag] = br.unsent.pop();
    host_.tcp_send(br.socket, bytes, tag);
  }
}

// rpc-clnt's ping timer: a brick with calls waiting that has not been heard from for
// ping-timeout is declared down.
void GlusterMount::check_ping(std::size_t b) {
  Brick& br = bricks_[b];
  if (br.outstanding == 0) return;
  const Time silent = sim_.now() - br.last_heard;
  if (silent >= config_.ping_timeout) {
    declare_down(b);
    return;
  }
  br.ping.restart(sim_, config_.ping_timeout - silent, [this, b] { check_ping(b); });
}

void GlusterMount::declare_down(std::size_t b) {
  Brick& br = bricks_[b];
  if (message_)
    message_(sim_.now(), "[rpc-clnt-ping.c] " + config_.volume + "-client-" + std::to_string(b) + ": server " +
                             config_.bricks[b].str() + ":" + std::to_string(kGlusterBrickPort) + " has not responded in the last " +
                             std::to_string(static_cast<long long>(config_.ping_timeout.seconds())) + " seconds, disconnecting.");
  ++stats_.major_timeouts;
  if (br.socket != kNoSocket) host_.tcp_abort(br.socket);
  br.ping.cancel(sim_);
  br = Brick{};
  br.reconnect.restart(sim_, kGlusterReconnect, [this, b] { connect(b); });
  // Every op waiting for this brick carries on without it.
  for (std::uint32_t slot = 0; slot < ops_.entries().size(); ++slot)
    if (ops_.at(slot).active && (ops_.at(slot).waiting & (1U << b)) != 0) brick_answered(b, slot);
}

void GlusterMount::brick_answered(std::size_t b, std::uint32_t slot) {
  Op& o = ops_.at(slot);
  if (!o.active || (o.waiting & (1U << b)) == 0) return;
  o.waiting &= ~(1U << b);
  if (o.waiting == 0) next_phase(slot);
}

// After the lookups: the data from the page cache, or a READ from the first live brick.
void GlusterMount::next_phase(std::uint32_t slot) {
  Op& o = ops_.at(slot);
  if (o.op == GlusterOp::Lookup) {
    looked_up_[o.file] = sim_.now();
    if (!cache_.contains(o.file) && send_to_live(slot, GlusterOp::Read, false)) return;
  }
  finish(slot);
}

// Ok even when no brick answered (a simplification: Linux would return ENOTCONN, EIO).
void GlusterMount::finish(std::uint32_t slot) {
  Op& o = ops_.at(slot);
  cache_.access(o.file, content_.bytes(o.file));
  if (o.write) looked_up_[o.file] = sim_.now();
  o.active = false;
  ops_.release(slot);
  NfsWaiter* w = o.waiter;
  const std::uint64_t token = o.token;
  sim_.schedule_in(Time::zero(), [w, token] { w->on_nfs_done(token, NfsResult::Ok); });
}

void GlusterMount::on_connected(SocketId s, std::uint64_t user) {
  Brick& br = bricks_[user];
  if (s != br.socket) return;
  if (!br.connected && message_ && (stats_.reconnects > 0 || stats_.major_timeouts > 0))
    message_(sim_.now(), "[client-handshake.c] " + config_.volume + "-client-" + std::to_string(user) +
                             ": Connected to " + config_.bricks[user].str() + ":" + std::to_string(kGlusterBrickPort));
  br.connected = true;
  br.connecting = false;
  flush(user);
}

void GlusterMount::on_message(SocketId s, std::uint64_t user, std::uint64_t tag, std::uint32_t /*bytes*/) {
  Brick& br = bricks_[user];
  if (s != br.socket) return;
  br.last_heard = sim_.now();
  if (br.outstanding > 0) --br.outstanding;
  brick_answered(user, tag_slot(tag));
}

void GlusterMount::on_closed(SocketId s, std::uint64_t user, TcpCloseReason /*why*/) {
  Brick& br = bricks_[user];
  if (s != br.socket && s != kNoSocket) return;
  const bool was_connected = br.connected;
  br.connected = false;
  br.connecting = false;
  br.socket = kNoSocket;
  if (was_connected) {
    ++stats_.reconnects;
    for (std::uint32_t slot = 0; slot < ops_.entries().size(); ++slot)
      if (ops_.at(slot).active && (ops_.at(slot).waiting & (1U << user)) != 0) brick_answered(user, slot);
    br.outstanding = 0;
  }
  br.reconnect.restart(sim_, kGlusterReconnect, [this, b = static_cast<std::size_t>(user)] { connect(b); });
}

void GlusterMount::on_peer_closed(SocketId s, std::uint64_t /*user*/) { host_.tcp_close(s); }

void GlusterMount::on_send_room(SocketId /*s*/, std::uint64_t user) { flush(user); }

}  // namespace lvs::storage
