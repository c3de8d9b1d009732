#pragma once
// A host's page cache of whole files, least recently used first out, bounded in bytes: what
// a web server keeps of the content it reads from NFS (docs/storage.md). A hit costs no
// network; a miss is NFS RPCs. Files are named by their index in the content catalogue
// (0..files-1); the recency list is intrusive, in arrays sized once to the catalogue, so an
// access allocates nothing and costs O(1) (eviction O(1) per file evicted).
//
// Linux's page cache is not one LRU list (it has active and inactive lists, and evicts pages,
// not files); for a web root read whole, file by file, an LRU of files is the model the
// cache literature validates (Che's approximation, storage/che.hpp).

#include <cstdint>
#include <vector>

namespace lvs::storage {

struct PageCacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t evictions = 0;      ///< files evicted to make room
  std::uint64_t invalidations = 0;  ///< files dropped because they changed (a write, a revalidation)

  /// hits / (hits + misses); 0 before any access.
  double hit_ratio() const;
};

class PageCache {
 public:
  /// A cache of `capacity` bytes for a catalogue of `files` files.
  PageCache(std::uint64_t capacity, std::uint32_t files);

  /// Reads `file` of `bytes` bytes: true on a hit (it becomes the most recently used);
  /// on a miss the file is read in and cached, evicting the least recently used files until
  /// it fits. A file larger than the whole cache is read but never cached.
  bool access(std::uint32_t file, std::uint64_t bytes);
  /// Whether `file` is cached (no change of recency).
  bool contains(std::uint32_t file) const { return cached_.at(file) != 0; }
  /// Puts `file` in as the most recently used, without counting an access (a cache that was
  /// warm when the run began). False, and nothing done, if it does not fit in the room left.
  bool preload(std::uint32_t file, std::uint64_t bytes);
  /// Drops `file` if cached (its data changed).
  void invalidate(std::uint32_t file);
  /// Empties the cache (a reboot); the statistics stay.
  void clear();

  std::uint64_t capacity() const { return capacity_; }
  std::uint64_t used() const { return used_; }
  std::uint32_t files_cached() const { return count_; }
  const PageCacheStats& stats() const { return stats_; }

 private:
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};

  void link_front(std::uint32_t file);
  void unlink(std::uint32_t file);
  void evict_lru();

  std::uint64_t capacity_;
  std::uint64_t used_ = 0;
  std::uint32_t count_ = 0;
  std::vector<std::uint64_t> cached_;  // bytes held per file; 0 = not cached
  std::vector<std::uint32_t> prev_, next_;
  std::uint32_t head_ = kNone;  // most recently used
  std::uint32_t tail_ = kNone;  // least recently used
  PageCacheStats stats_;
};

}  // namespace lvs::storage
