#pragma once
// A growing array whose elements never move: a slab of sockets, indexed by a small id,
// that hands out references which stay valid while it grows.
//
// Elements live in chunks that double in size up to kChunkMax elements and are fixed at
// kChunkMax after that: chunk 0 holds [0, 2), chunk c (1 <= c < kChunkBits) holds
// [2^c, 2^(c+1)), and chunk kChunkBits - 1 + j (j >= 1) holds [j kChunkMax, (j+1) kChunkMax).
// An index finds its chunk by its bit width (one instruction) and the chunk's address in an
// array of pointers short enough to stay in the cache, so an access costs at most one cache
// miss, on the element. The doubling chunks are those of Brodnik, Carlsson, Demaine, Munro and
// Sedgewick, "Resizable arrays in optimal time and space" (WADS 1999): a small array wastes
// at most half its last chunk, and nothing is copied when it grows. The fixed chunks bound
// the waste of a large one to one chunk.
//
// libstdc++'s std::deque, used before for the socket slab, keeps 512 / sizeof(T) elements a
// block (two 232-byte sockets) and finds a block through a map with an entry per block: at
// 100 000 sockets the map is 400 KB, and reading its entry is a second cache miss before
// the socket's.

#include <bit>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace lvs {

template <class T>
class ChunkedVector {
 public:
  static constexpr unsigned kChunkBits = 12;
  static constexpr std::size_t kChunkMax = std::size_t{1} << kChunkBits;

  ChunkedVector() = default;
  ChunkedVector(const ChunkedVector&) = delete;
  ChunkedVector& operator=(const ChunkedVector&) = delete;
  ~ChunkedVector() {
    for (std::size_t i = 0; i < size_; ++i) std::destroy_at(&(*this)[i]);
    for (std::size_t c = 0; c < chunks_.size(); ++c) std::allocator<T>().deallocate(chunks_[c], capacity_of(c));
  }

  std::size_t size() const { return size_; }
  T& operator[](std::size_t i) { return chunks_[chunk_of(i)][offset_of(i)]; }
  const T& operator[](std::size_t i) const { return chunks_[chunk_of(i)][offset_of(i)]; }

  /// Appends a T made from `args`; references to the others stay valid.
  template <class... Args>
  T& emplace_back(Args&&... args) {
    if (chunk_of(size_) == chunks_.size()) add_chunk();
    T* at = std::construct_at(&(*this)[size_], std::forward<Args>(args)...);
    ++size_;
    return *at;
  }

 private:
  // A throw (out of memory) leaves the array as it was.
  void add_chunk() {
    const std::size_t n = capacity_of(chunks_.size());
    T* chunk = std::allocator<T>().allocate(n);
    try {
      chunks_.push_back(chunk);
    } catch (...) {
      std::allocator<T>().deallocate(chunk, n);
      throw;
    }
  }
  static std::size_t chunk_of(std::size_t i) {
    if (i < kChunkMax) [[likely]]
      return static_cast<std::size_t>(std::bit_width(i | 1)) - 1;
    return kChunkBits - 1 + (i >> kChunkBits);
  }
  static std::size_t offset_of(std::size_t i) {
    if (i < kChunkMax) [[likely]]
      return i - ((std::size_t{1} << chunk_of(i)) & ~std::size_t{1});  // chunk 0 starts at 0
    return i & (kChunkMax - 1);
  }
  static std::size_t capacity_of(std::size_t c) {
    if (c == 0) return 2;
    return c < kChunkBits ? std::size_t{1} << c : kChunkMax;
  }

  std::vector<T*> chunks_;
  std::size_t size_ = 0;
};

}  // namespace lvs
