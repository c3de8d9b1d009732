#include "nodes/client.hpp"

#include <cassert>
#include <cmath>

#include "net/network.hpp"
#include "nodes/request_tag.hpp"
#include "nodes/sampling.hpp"

namespace lvs {

namespace {
// A request's tag: a serial number above the session's slot, so that a late response to
// an abandoned request (UDP) is told apart from the current one.
constexpr int kSlotBits = 24;
constexpr std::uint32_t kSlotMask = (1u << kSlotBits) - 1;
constexpr std::uint16_t kFirstUdpPort = 32768;
}  // namespace

const char* fail_reason_name(FailReason r) {
  switch (r) {
    case FailReason::Timeout: return "timeout";
    case FailReason::Reset: return "reset";
    case FailReason::Unreachable: return "unreachable";
    case FailReason::TcpTimeout: return "tcp-timeout";
    case FailReason::Closed: return "closed";
    case FailReason::NoEphemeralPort: return "no-ephemeral-port";
    case FailReason::TooManyOpen: return "too-many-open";
    case FailReason::NfsTimeout: return "nfs-timeout";
  }
  return "?";
}

std::uint64_t RequestStats::failed_total() const {
  std::uint64_t n = 0;
  for (std::uint64_t f : failed) n += f;
  return n;
}

void RequestStats::merge(const RequestStats& other) {
  issued += other.issued;
  completed += other.completed;
  for (std::size_t i = 0; i < kFailReasons; ++i) failed[i] += other.failed[i];
  response_bytes += other.response_bytes;
  latency.merge(other.latency);
  latency_summary.merge(other.latency_summary);
  latencies.merge(other.latencies);
}

void RequestStats::clear() { *this = RequestStats{}; }

Client::Client(Network& net, std::string name, ClientConfig config)
    : EndHost(net, name),
      cfg_(std::move(config)),
      arrival_rng_(net.sim().rng(name + "/arrivals")),
      think_rng_(net.sim().rng(name + "/think-time")),
      size_rng_(net.sim().rng(name + "/request-size")),
      content_rng_(net.sim().rng(name + "/content")) {}

void Client::start() {
  if (cfg_.arrivals) {
    schedule_arrival(cfg_.start);
    return;
  }
  for (std::uint32_t u = 0; u < cfg_.users; ++u)
    sim().schedule_at(cfg_.start, [this, u] { think_then_start(static_cast<std::int32_t>(u)); });
}

RequestStats Client::take_interval() {
  RequestStats out = interval_;
  interval_.clear();
  return out;
}

// ---- arrivals -------------------------------------------------------------------------

// The rate in force at `t`, and (if asked) when that step ends.
double Client::rate_at(Time t, Time* step_end) const {
  double rate = 0;
  Time end = Time::max();
  for (const RateStep& s : cfg_.rate) {
    if (s.at > t) {
      end = s.at;
      break;
    }
    rate = s.rate;
  }
  if (step_end != nullptr) *step_end = end;
  return rate;
}

// The next session start after `from`. A Poisson gap that runs past the end of its rate
// step is redrawn from the step boundary at the new rate (memorylessness makes this exact).
Time Client::next_arrival(Time from) {
  for (Time t = from;;) {
    Time step_end;
    const double rate = rate_at(t, &step_end);
    if (rate <= 0) {
      if (step_end == Time::max()) return Time::max();
      t = step_end;
      continue;
    }
    const double u = *cfg_.arrivals == ArrivalProcess::Poisson ? -std::log(arrival_rng_.uniform_pos01()) : 1.0;
    const Time at = t + Time::ns(std::llround(u / rate * 1e9));
    if (at < step_end) return at;
    t = step_end;
  }
}

void Client::schedule_arrival(Time from) {
  const Time at = next_arrival(from);
  if (at == Time::max() || !accepting(at)) return;
  sim().schedule_at(at, [this] {
    open_session(-1);
    schedule_arrival(sim().now());
  });
}

void Client::think_then_start(std::int32_t user) {
  const Time at = sim().now() + sample_duration(cfg_.think_time, think_rng_);
  if (!accepting(at)) return;
  sim().schedule_at(at, [this, user] { open_session(user); });
}

// ---- sessions -------------------------------------------------------------------------

std::uint32_t Client::alloc_session() {
  if (!free_.empty()) {
    const std::uint32_t i = free_.back();
    free_.pop_back();
    return i;
  }
  assert(sessions_.size() < kSlotMask);
  sessions_.emplace_back();
  return static_cast<std::uint32_t>(sessions_.size() - 1);
}

void Client::open_session(std::int32_t user) {
  if (open_ >= cfg_.max_open) {
    refuse_session(user);
    return;
  }
  const std::uint32_t i = alloc_session();
  Session& s = sessions_[i];
  s = Session{};
  s.live = true;
  s.user = user;
  s.requests_left = cfg_.requests_per_connection;
  s.source = Ipv4Address(cfg_.first_source.value() + next_source_);
  next_source_ = (next_source_ + 1) % cfg_.sources;
  ++open_;
  ++sessions_started_;
  if (cfg_.protocol == IpProto::Udp) {
    // One ephemeral port per session, bound the first time it is used.
    if (next_udp_port_ == 0 || next_udp_port_ == 60999) next_udp_port_ = kFirstUdpPort - 1;
    s.udp_port = ++next_udp_port_;
    if (sessions_started_ <= 60999 - kFirstUdpPort + 1) udp_bind(s.udp_port, *this);
    issue_request(i);
    return;
  }
  s.issued = sim().now();  // the first request's latency includes the handshake
  s.waiting = true;
  s.tag = new_tag(i);
  record(s, [](RequestStats& r) { ++r.issued; });
  arm_timeout(i);
  const SocketId socket = tcp_connect(s.source, 0, destination(s.tag), cfg_.port, *this, i);
  if (sessions_[i].live) sessions_[i].socket = socket;  // unless it failed at once
}

// socket() fails with EMFILE: the request is issued and fails at once; a closed-loop user
// thinks and tries again.
void Client::refuse_session(std::int32_t user) {
  ++sessions_started_;
  if (sim().now() >= cfg_.warmup) {
    for (RequestStats* r : {&totals_, &interval_}) {
      ++r->issued;
      ++r->failed[static_cast<std::size_t>(FailReason::TooManyOpen)];
    }
    if (slow_) outcomes_.push_back({sim().now(), sim().now(), FailReason::TooManyOpen});
  }
  if (user >= 0) think_then_start(user);
}

void Client::issue_request(std::uint32_t i) {
  Session& s = sessions_[i];
  --s.requests_left;
  if (!s.waiting) {  // the connect already stands for the first request
    s.issued = sim().now();
    s.waiting = true;
    s.tag = new_tag(i);
    record(s, [](RequestStats& r) { ++r.issued; });
    arm_timeout(i);
  }
  s.expected_bytes = 0;
  s.received_bytes = 0;
  const std::uint32_t bytes = request_bytes(s.tag);
  if (cfg_.protocol == IpProto::Udp)
    udp_send(s.source, s.udp_port, destination(s.tag), cfg_.port, bytes, s.tag);
  else
    tcp_send(s.socket, bytes, s.tag);
}

// A serial number above the session's slot, and the file the request names (if the
// workload has content): drawn when the request is issued, whichever server serves it.
std::uint64_t Client::new_tag(std::uint32_t i) {
  const std::uint64_t sequence = next_request_++ << kSlotBits | i;
  if (cfg_.content == nullptr) return RequestTag::make(sequence, std::nullopt, false);
  const std::uint32_t file = cfg_.content->pick(content_rng_);
  return RequestTag::make(sequence, file, cfg_.content->pick_write(content_rng_));
}

// An upload carries its file; any other request is request_size bytes.
std::uint32_t Client::request_bytes(std::uint64_t tag) {
  const std::optional<std::uint32_t> file = RequestTag::file(tag);
  if (file && RequestTag::writes(tag)) return cfg_.content->bytes(*file);
  return sample_bytes(cfg_.request_size, size_rng_);
}

// The origin site of the request's file: consecutive runs of ranks, one per site address.
Ipv4Address Client::destination(std::uint64_t tag) const {
  const std::optional<std::uint32_t> file = RequestTag::file(tag);
  if (cfg_.sites <= 1 || !file) return cfg_.target;
  const std::uint32_t per_site = (cfg_.content->files() + cfg_.sites - 1) / cfg_.sites;
  return Ipv4Address(cfg_.target.value() + *file / per_site);
}

void Client::arm_timeout(std::uint32_t i) {
  const std::uint64_t tag = sessions_[i].tag;
  sessions_[i].timeout = sim().schedule_in(cfg_.timeout, [this, i, tag] { on_timeout(i, tag); });
}

void Client::on_timeout(std::uint32_t i, std::uint64_t tag) {
  Session& s = sessions_[i];
  if (!s.live || !s.waiting || s.tag != tag) return;
  s.timeout = EventId{};
  fail_request(i, FailReason::Timeout);
  if (s.socket != kNoSocket) tcp_abort(s.socket);
  end_session(i);
}

template <class F>
void Client::record(const Session& s, F&& f) {
  if (!counted(s)) return;
  f(totals_);
  f(interval_);
}

void Client::complete_request(std::uint32_t i, std::uint32_t bytes) {
  Session& s = sessions_[i];
  s.waiting = false;
  sim().cancel(s.timeout);
  const double latency = (sim().now() - s.issued).seconds();
  record(s, [&](RequestStats& r) {
    ++r.completed;
    r.response_bytes += bytes;
    r.latency.record(latency);
    r.latency_summary.add(latency);
  });
  if (counted(s)) totals_.latencies.add(latency);  // the intervals need no exact percentiles
  if (slow_ && counted(s) && sim().now() - s.issued > *slow_) outcomes_.push_back({s.issued, sim().now(), std::nullopt});
  next_or_close(i);
}

// The server answered with an error (an HTTP 500: the file's storage timed out); the
// connection carries on as after any response.
void Client::server_failed(std::uint32_t i) {
  fail_request(i, FailReason::NfsTimeout);
  next_or_close(i);
}

void Client::next_or_close(std::uint32_t i) {
  Session& s = sessions_[i];
  if (s.requests_left > 0) {
    issue_request(i);
    return;
  }
  if (s.user >= 0) think_then_start(s.user);
  s.user = -1;
  if (s.socket != kNoSocket)
    tcp_close(s.socket);  // the session ends when the close completes
  else
    end_session(i);
}

void Client::fail_request(std::uint32_t i, FailReason why) {
  Session& s = sessions_[i];
  if (!s.waiting) return;
  s.waiting = false;
  sim().cancel(s.timeout);
  record(s, [why](RequestStats& r) { ++r.failed[static_cast<std::size_t>(why)]; });
  if (slow_ && counted(s)) outcomes_.push_back({s.issued, sim().now(), why});
}

void Client::end_session(std::uint32_t i) {
  Session& s = sessions_[i];
  if (!s.live) return;
  if (s.user >= 0) think_then_start(s.user);
  s.live = false;
  s.socket = kNoSocket;
  --open_;
  free_.push_back(i);
}

// ---- transport callbacks --------------------------------------------------------------

void Client::on_connected(SocketId /*s*/, std::uint64_t user) { issue_request(static_cast<std::uint32_t>(user)); }

void Client::on_message(SocketId /*s*/, std::uint64_t user, std::uint64_t tag, std::uint32_t bytes) {
  const auto i = static_cast<std::uint32_t>(user);
  const Session& s = sessions_[i];
  if (!s.live || !s.waiting) return;
  if (s.tag == tag)
    complete_request(i, bytes);
  else if (RequestTag::failed(s.tag) == tag)
    server_failed(i);
}

void Client::on_peer_closed(SocketId s, std::uint64_t /*user*/) { tcp_close(s); }

void Client::on_closed(SocketId /*s*/, std::uint64_t user, TcpCloseReason why) {
  const auto i = static_cast<std::uint32_t>(user);
  switch (why) {
    case TcpCloseReason::Closed: fail_request(i, FailReason::Closed); break;
    case TcpCloseReason::Reset: fail_request(i, FailReason::Reset); break;
    case TcpCloseReason::Unreachable: fail_request(i, FailReason::Unreachable); break;
    case TcpCloseReason::Timeout: fail_request(i, FailReason::TcpTimeout); break;
    case TcpCloseReason::NoLocalPort: fail_request(i, FailReason::NoEphemeralPort); break;
    case TcpCloseReason::Aborted: break;
  }
  end_session(i);
}

void Client::on_datagram(const Packet& pkt) {
  const std::uint32_t i = static_cast<std::uint32_t>(pkt.app) & kSlotMask;
  if (i >= sessions_.size()) return;
  Session& s = sessions_[i];
  if (!s.live || !s.waiting) return;
  if (RequestTag::failed(s.tag) == pkt.app) {
    server_failed(i);
    return;
  }
  if (s.tag != pkt.app) return;
  s.expected_bytes = pkt.message_bytes;
  s.received_bytes += pkt.payload;
  if (s.received_bytes >= s.expected_bytes) complete_request(i, s.received_bytes);
}

}  // namespace lvs
