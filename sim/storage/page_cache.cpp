#include "storage/page_cache.hpp"

#include <stdexcept>

namespace lvs::storage {

double PageCacheStats::hit_ratio() const {
  const std::uint64_t all = hits + misses;
  return all == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(all);
}

PageCache::PageCache(std::uint64_t capacity, std::uint32_t files)
    : capacity_(capacity), cached_(files, 0), prev_(files, kNone), next_(files, kNone) {}

bool PageCache::access(std::uint32_t file, std::uint64_t bytes) {
  if (bytes == 0) throw std::invalid_argument("PageCache::access: a file of 0 bytes");
  if (cached_.at(file) != 0) {
    ++stats_.hits;
    unlink(file);
    link_front(file);
    return true;
  }
  ++stats_.misses;
  if (bytes > capacity_) return false;
  while (used_ + bytes > capacity_) evict_lru();
  cached_[file] = bytes;
  used_ += bytes;
  ++count_;
  link_front(file);
  return false;
}

bool PageCache::preload(std::uint32_t file, std::uint64_t bytes) {
  if (bytes == 0 || cached_.at(file) != 0 || used_ + bytes > capacity_) return false;
  cached_[file] = bytes;
  used_ += bytes;
  ++count_;
  link_front(file);
  return true;
}

void PageCache::invalidate(std::uint32_t file) {
  if (cached_.at(file) == 0) return;
  ++stats_.invalidations;
  unlink(file);
  used_ -= cached_[file];
  cached_[file] = 0;
  --count_;
}

void PageCache::clear() {
  while (tail_ != kNone) {
    const std::uint32_t file = tail_;
    unlink(file);
    cached_[file] = 0;
  }
  used_ = 0;
  count_ = 0;
}

void PageCache::link_front(std::uint32_t file) {
  prev_[file] = kNone;
  next_[file] = head_;
  if (head_ != kNone) prev_[head_] = file;
  head_ = file;
  if (tail_ == kNone) tail_ = file;
}

void PageCache::unlink(std::uint32_t file) {
  (prev_[file] != kNone ? next_[prev_[file]] : head_) = next_[file];
  (next_[file] != kNone ? prev_[next_[file]] : tail_) = prev_[file];
  prev_[file] = next_[file] = kNone;
}

void PageCache::evict_lru() {
  const std::uint32_t file = tail_;
  unlink(file);
  used_ -= cached_[file];
  cached_[file] = 0;
  --count_;
  ++stats_.evictions;
}

}  // namespace lvs::storage
