#pragma once
// Packets dropped, by node and reason: what each lesson is about (a director without
// ip_forward, a martian source, rp_filter, a full queue) counted for the run's summary.
// A reason seen before costs a hash lookup and no allocation (heterogeneous lookup).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lvs {

class DropCounts {
 public:
  struct Entry {
    std::string node;
    std::string reason;
    std::uint64_t count = 0;
  };

  void count(std::string_view node, std::string_view reason);
  /// Every (node, reason) with its count, most first (then by node and reason).
  std::vector<Entry> sorted() const;

 private:
  struct Key {
    std::string node, reason;
    bool operator==(const Key&) const = default;
  };
  struct KeyView {
    std::string_view node, reason;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(const KeyView& k) const {
      return std::hash<std::string_view>{}(k.node) * 31 + std::hash<std::string_view>{}(k.reason);
    }
    std::size_t operator()(const Key& k) const { return (*this)(KeyView{k.node, k.reason}); }
  };
  struct Equal {
    using is_transparent = void;
    static KeyView view(const Key& k) { return {k.node, k.reason}; }
    static KeyView view(const KeyView& k) { return k; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return view(a).node == view(b).node && view(a).reason == view(b).reason;
    }
  };
  std::unordered_map<Key, std::uint64_t, Hash, Equal> counts_;  // lookups only: sorted() orders them
};

}  // namespace lvs
