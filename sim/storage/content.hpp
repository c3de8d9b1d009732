#pragma once
// The content a cluster serves: a catalogue of files, each with a size drawn once from the
// size distribution, requested with Zipf popularity (rank 1 the most popular), read or,
// with probability `write_fraction`, written (an upload that replaces the file). Requests
// name a file by its index 0..files-1 (index k is rank k+1). docs/storage.md.
//
// The size of every file is drawn when the catalogue is built, from the run's seed, so
// every server, the NFS server and the results agree on it; picking a file is O(1) (Walker's
// alias method), with no allocation.

#include <cstdint>
#include <vector>

#include "core/distribution.hpp"
#include "core/rng.hpp"
#include "storage/page_cache.hpp"

namespace lvs::storage {

/// The most files a catalogue may hold: request tags carry a file in 26 bits
/// (nodes/request_tag.hpp), and the catalogue keeps 20 bytes per file.
inline constexpr std::uint32_t kMaxFiles = (1U << 26) - 1;

struct ContentConfig {
  std::uint32_t files = 1000;
  double zipf = 0.8;                ///< popularity exponent s: p_k ∝ k^-s (0: uniform)
  Distribution size = Distribution::constant(10000);  ///< bytes per file, drawn once per file
  double write_fraction = 0;        ///< of requests, in [0, 1]
};

class Catalogue {
 public:
  /// Draws every file's size from `config.size` with `size_rng`. Throws std::invalid_argument
  /// for 0 files or more than kMaxFiles, a negative exponent or a write fraction outside [0, 1].
  Catalogue(const ContentConfig& config, Rng& size_rng);

  const ContentConfig& config() const { return config_; }
  std::uint32_t files() const { return static_cast<std::uint32_t>(bytes_.size()); }
  /// Bytes of file `file` (at least 1).
  std::uint32_t bytes(std::uint32_t file) const { return bytes_[file]; }
  /// The probability that a request names `file`.
  double popularity(std::uint32_t file) const;
  /// All the files' bytes together.
  std::uint64_t total_bytes() const { return total_; }
  /// A file, by popularity.
  std::uint32_t pick(Rng& rng) const;
  /// Whether a request writes (true with probability write_fraction).
  bool pick_write(Rng& rng) const;

 private:
  ContentConfig config_;
  std::vector<std::uint32_t> bytes_;
  std::vector<double> popularity_;
  // Walker's alias table: column k keeps itself with probability keep_[k], else alias_[k].
  std::vector<double> keep_;
  std::vector<std::uint32_t> alias_;
  std::uint64_t total_ = 0;
};

/// Fills `cache` with the most popular files that fit, in rank order, the most popular the
/// most recently used: a cache that has served this content for long (an LRU under
/// independent requests holds mostly the popular files, Che's approximation). Returns how
/// many files it holds. Counts no access.
std::uint32_t warm_with_most_popular(PageCache& cache, const Catalogue& content);

}  // namespace lvs::storage
