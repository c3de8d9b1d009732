#include "storage/local_mount.hpp"

namespace lvs::storage {

namespace {

// A disk token: the mount's life (bumped by power_off), and the waiting slot (or kBehind for
// rsync's write-back, which nobody waits for).
constexpr std::uint32_t kBehind = ~std::uint32_t{0};
std::uint64_t disk_token(std::uint32_t life, std::uint32_t slot) { return std::uint64_t{life} << 32 | slot; }

}  // namespace

LocalMount::LocalMount(Simulation& sim, std::string name, LocalMountConfig config, const Catalogue& content)
    : name_(std::move(name)),
      config_(std::move(config)),
      content_(content),
      cache_(config_.page_cache_bytes, content.files()),
      disk_(sim, config_.disk, sim.rng(name_ + "/local-disk-latency")) {}

// A file in the page cache is served at once. Otherwise it is read whole from the disk; it
// enters the page cache as the read starts, so reads of it meanwhile are served from memory
// (a simplification: Linux would make them wait for the same pages).
bool LocalMount::read(std::uint32_t file, NfsWaiter& waiter, std::uint64_t token) {
  const std::uint32_t bytes = content_.bytes(file);
  if (cache_.contains(file)) {
    cache_.access(file, bytes);
    ++stats_.immediate;
    return true;
  }
  cache_.access(file, bytes);
  ++stats_.blocked;
  disk_.read(bytes, *this, disk_token(life_, wait(Waiting{&waiter, token, file, false})));
  return false;
}

// The upload is written to the local disk (the worker waits, as for a write followed by
// fsync) and counted on the source's copy at once.
bool LocalMount::write(std::uint32_t file, NfsWaiter& waiter, std::uint64_t token) {
  ++stats_.blocked;
  disk_.write(content_.bytes(file), *this, disk_token(life_, wait(Waiting{&waiter, token, file, true})));
  if (sink_ != nullptr) sink_->uploaded(file);
  return false;
}

void LocalMount::receive(std::uint32_t file) {
  cache_.access(file, content_.bytes(file));
  disk_.write(content_.bytes(file), *this, disk_token(life_, kBehind));
}

std::uint32_t LocalMount::wait(const Waiting& w) {
  if (free_.empty()) {
    waiting_.push_back(w);
    return static_cast<std::uint32_t>(waiting_.size() - 1);
  }
  const std::uint32_t slot = free_.back();
  free_.pop_back();
  waiting_[slot] = w;
  return slot;
}

void LocalMount::on_disk_done(std::uint64_t token) {
  if (static_cast<std::uint32_t>(token >> 32) != life_) return;
  const auto slot = static_cast<std::uint32_t>(token);
  if (slot == kBehind) return;
  const Waiting w = waiting_[slot];
  free_.push_back(slot);
  w.waiter->on_nfs_done(w.token, NfsResult::Ok);
}

void LocalMount::power_off() {
  ++life_;
  disk_.power_off();
  cache_.clear();
  waiting_.clear();
  free_.clear();
}

}  // namespace lvs::storage
