#include "storage/rsync.hpp"

namespace lvs::storage {

// A target's rsync daemon: takes the transfer (one message) and closes.
class RsyncSource::Daemon : public TcpApp {
 public:
  Daemon(RsyncSource& source, std::size_t k) : source_(source), k_(k) {}
  void listen() { source_.targets_[k_].host->tcp_listen(kRsyncPort, *this, 8); }
  void on_acceptable(std::uint16_t port) override {
    while (source_.targets_[k_].host->tcp_accept(port, 0)) {
    }
  }
  void on_message(SocketId s, std::uint64_t /*user*/, std::uint64_t /*tag*/, std::uint32_t /*bytes*/) override {
    source_.delivered(k_);
    source_.targets_[k_].host->tcp_close(s);
  }
  void on_peer_closed(SocketId s, std::uint64_t /*user*/) override { source_.targets_[k_].host->tcp_close(s); }

 private:
  RsyncSource& source_;
  std::size_t k_;
};

RsyncSource::RsyncSource(Transport& host, Simulation& sim, Time interval, const Catalogue& content,
                         std::vector<RsyncTarget> targets)
    : host_(host),
      sim_(sim),
      interval_(interval),
      content_(content),
      targets_(std::move(targets)),
      delivered_upto_(targets_.size(), 0),
      runs_(targets_.size()),
      seen_(content.files(), 0) {
  for (std::size_t k = 0; k < targets_.size(); ++k) daemons_.push_back(std::make_unique<Daemon>(*this, k));
}

RsyncSource::~RsyncSource() { cron_.cancel(sim_); }

void RsyncSource::start() {
  if (!daemons_listening_)
    for (const auto& d : daemons_) d->listen();
  daemons_listening_ = true;
  up_ = true;
  if (!cron_.armed(sim_)) cron_.restart(sim_, interval_, [this] { tick(); });
}

// The timer keeps its schedule (k x interval, as a cron or systemd timer does by the clock);
// the runs due while the host is down do not happen.
void RsyncSource::power_off() {
  up_ = false;
  for (Run& r : runs_) r = Run{};
}

void RsyncSource::target_started(std::size_t k) { daemons_[k]->listen(); }

// An upload lands on the master copy; no target has it yet.
void RsyncSource::uploaded(std::uint32_t file) {
  writes_.push_back(Write{file, sim_.now(), static_cast<std::uint32_t>(targets_.size())});
  ++stats_.writes;
}

// Each interval, one transfer to every target that has none in flight.
void RsyncSource::tick() {
  for (std::size_t k = 0; k < targets_.size() && up_; ++k)
    if (!runs_[k].in_flight) begin(k);
  cron_.restart(sim_, interval_, [this] { tick(); });
}

void RsyncSource::begin(std::size_t k) {
  Run& r = runs_[k];
  r.upto = writes_.size();
  r.bytes = transfer_bytes(k);
  r.in_flight = true;
  ++stats_.runs;
  r.socket = host_.tcp_connect(Ipv4Address(), 0, targets_[k].address, kRsyncPort, *this, k);
}

// The file list, and each file changed since the target's last completed run once.
std::uint32_t RsyncSource::transfer_bytes(std::size_t k) {
  ++stamp_;
  std::uint64_t bytes = std::uint64_t{kRsyncFileListEntryBytes} * content_.files();
  for (std::size_t w = delivered_upto_[k]; w < writes_.size(); ++w) {
    const std::uint32_t file = writes_[w].file;
    if (seen_[file] == stamp_) continue;
    seen_[file] = stamp_;
    bytes += content_.bytes(file);
  }
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(bytes, 0xffffffffU));
}

void RsyncSource::on_connected(SocketId s, std::uint64_t user) {
  const Run& r = runs_[user];
  if (s == r.socket && r.in_flight) host_.tcp_send(s, r.bytes, user);
}

// The target has every write the run carried: its copy takes the files; a write that every
// target now has ends its staleness window.
void RsyncSource::delivered(std::size_t k) {
  Run& r = runs_[k];
  if (!r.in_flight) return;  // the source died meanwhile: the transfer was not complete
  ++stats_.completed;
  stats_.bytes += r.bytes;
  for (std::size_t w = delivered_upto_[k]; w < r.upto; ++w) {
    Write& write = writes_[w];
    targets_[k].mount->receive(write.file);
    if (--write.remaining == 0) {
      ++stats_.propagated;
      stats_.staleness.add((sim_.now() - write.at).seconds());
    }
  }
  delivered_upto_[k] = r.upto;
  while (oldest_ < writes_.size() && writes_[oldest_].remaining == 0) ++oldest_;
}

void RsyncSource::on_peer_closed(SocketId s, std::uint64_t /*user*/) { host_.tcp_close(s); }

void RsyncSource::on_closed(SocketId s, std::uint64_t user, TcpCloseReason /*why*/) {
  Run& r = runs_[user];
  if (s == r.socket || s == kNoSocket) r = Run{};
}

double RsyncSource::oldest_pending_seconds() const {
  return oldest_ < writes_.size() ? (sim_.now() - writes_[oldest_].at).seconds() : 0.0;
}

}  // namespace lvs::storage
