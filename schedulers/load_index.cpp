#include "schedulers/load_index.hpp"

#include <cassert>

namespace lvs {

// The winner of two ranges, `r` covering later positions: `l` wins only when strictly better,
// so ties go to the later position, the earlier entry in list order. An empty range (weight 0)
// never wins. Loads are < 2^40 and weights <= 65535, so the cross products fit in 64 bits.
const LoadIndex::Node& LoadIndex::better(const Node& l, const Node& r) {
  if (l.weight == 0) return r;
  if (r.weight == 0) return l;
  return l.load * r.weight < r.load * l.weight ? l : r;
}

LoadIndex::Node LoadIndex::leaf(const SchedDest& d, std::size_t pos) const {
  if (!is_eligible(d)) return none;
  const LoadKey k = key_(d);
  return Node{k.load, k.weight, static_cast<std::uint32_t>(pos)};
}

void LoadIndex::build(DestList dests) {
  size_ = dests.size();
  cap_ = 1;
  while (cap_ < size_) cap_ <<= 1;
  tree_.assign(2 * cap_, none);  // reuses the storage when it is big enough
  for (std::size_t i = 0; i < size_; ++i) {
    const std::size_t pos = size_ - 1 - i;
    tree_[cap_ + pos] = leaf(dests[i], pos);
  }
  for (std::size_t n = cap_ - 1; n >= 1; --n) tree_[n] = better(tree_[2 * n], tree_[2 * n + 1]);
}

// The director links a new destination at the head, which is the next position; anything
// else (or a full tree) is rebuilt.
void LoadIndex::insert(DestList dests, std::size_t index) {
  assert(dests.size() == size_ + 1 && "add_dest: the list must have grown by one");
  if (index != 0 || size_ + 1 > cap_) {
    build(dests);
    return;
  }
  set_leaf(size_, leaf(dests[0], size_));
  ++size_;
}

void LoadIndex::update(DestList dests, std::size_t index) {
  assert(dests.size() == size_ && index < size_ && "the list must be the one the index was built from");
  const std::size_t pos = size_ - 1 - index;
  set_leaf(pos, leaf(dests[index], pos));
}

// Rewrites the leaf, then its ancestors until one comes out unchanged: above it, nothing can.
void LoadIndex::set_leaf(std::size_t pos, const Node& n) {
  std::size_t i = cap_ + pos;
  tree_[i] = n;
  for (i >>= 1; i >= 1; i >>= 1) {
    const Node& w = better(tree_[2 * i], tree_[2 * i + 1]);
    Node& cur = tree_[i];
    if (w.pos == cur.pos && w.load == cur.load && w.weight == cur.weight) return;
    cur = w;
  }
}

std::optional<std::size_t> LoadIndex::best() const {
  if (size_ == 0 || tree_[1].weight == 0) return std::nullopt;
  return size_ - 1 - tree_[1].pos;
}

std::optional<std::size_t> IndexedLeastLoad::schedule(const SchedContext& ctx, Rng& /*rng*/) {
  assert(ctx.dests.size() == index_.size() && "schedule: the list must be the one the last hook saw");
  (void)ctx;
  return index_.best();
}

}  // namespace lvs
