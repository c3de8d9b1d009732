#include "storage/content.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "storage/che.hpp"

namespace lvs::storage {

namespace {

// A file's size: the distribution's draw rounded, at least 1 byte, at most 2 GiB.
std::uint32_t draw_bytes(const Distribution& d, Rng& rng) {
  return static_cast<std::uint32_t>(std::clamp(std::llround(d.sample(rng)), 1LL, 1LL << 31));
}

}  // namespace

Catalogue::Catalogue(const ContentConfig& config, Rng& size_rng) : config_(config) {
  if (config.files == 0 || config.files > kMaxFiles)
    throw std::invalid_argument("content: files must be 1 to " + std::to_string(kMaxFiles));
  if (!(config.zipf >= 0)) throw std::invalid_argument("content: zipf must be at least 0");
  if (!(config.write_fraction >= 0 && config.write_fraction <= 1))
    throw std::invalid_argument("content: write_fraction must be in [0, 1]");
  bytes_.resize(config.files);
  for (std::uint32_t& b : bytes_) {
    b = draw_bytes(config.size, size_rng);
    total_ += b;
  }
  popularity_ = zipf_popularity(config.files, config.zipf);
  // Walker's alias method (Vose's stable construction): n columns of height 1, each split
  // between its own file and one alias.
  const std::size_t n = popularity_.size();
  keep_.assign(n, 1.0);
  alias_.resize(n);
  std::vector<double> scaled(n);
  std::vector<std::uint32_t> small, large;
  for (std::size_t k = 0; k < n; ++k) {
    scaled[k] = popularity_[k] * static_cast<double>(n);
    alias_[k] = static_cast<std::uint32_t>(k);
    (scaled[k] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(k));
  }
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back(), l = large.back();
    small.pop_back();
    keep_[s] = scaled[s];
    alias_[s] = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What is left is 1 up to rounding.
  for (std::uint32_t k : small) keep_[k] = 1.0;
  for (std::uint32_t k : large) keep_[k] = 1.0;
}

double Catalogue::popularity(std::uint32_t file) const { return popularity_.at(file); }

std::uint32_t Catalogue::pick(Rng& rng) const {
  const double u = rng.uniform01() * static_cast<double>(keep_.size());
  const auto column = std::min(static_cast<std::size_t>(u), keep_.size() - 1);
  const double within = u - static_cast<double>(column);
  return within < keep_[column] ? static_cast<std::uint32_t>(column) : alias_[column];
}

bool Catalogue::pick_write(Rng& rng) const {
  return config_.write_fraction > 0 && rng.uniform01() < config_.write_fraction;
}

std::uint32_t warm_with_most_popular(PageCache& cache, const Catalogue& content) {
  std::uint64_t room = cache.capacity() - cache.used();
  std::uint32_t fit = 0;
  while (fit < content.files() && content.bytes(fit) <= room) room -= content.bytes(fit++);
  for (std::uint32_t f = fit; f-- > 0;) cache.preload(f, content.bytes(f));
  return fit;
}

}  // namespace lvs::storage
