#pragma once
// Where each key and list item of a scenario file is, by key path ("topology.hosts[1].gateway").
// validate() asks for a few positions per host, and only an error or a warning uses one: they
// are looked up in the loaded document when asked for, not recorded up front (recording them
// all took a tenth of validating 100 000 servers, and a map of some ten paths per server).
// See docs/scenario-loading.md.

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "scenario/scenario_error.hpp"

namespace lvs::scenario {

/// The positions of a scenario file's keys and list items; empty for a spec built in code.
/// Cheap to copy: copies share what they look positions up in, which never changes.
class KeyPositions {
 public:
  /// What answers the lookups (the loaded document; see the scenario reader).
  class Source {
   public:
    virtual ~Source() = default;
    /// The position of the key or item at `path`, {0, 0} if set with --set; nullopt if there is none.
    virtual std::optional<Position> find(std::string_view path) const = 0;
  };

  KeyPositions() = default;
  explicit KeyPositions(std::shared_ptr<const Source> source) : source_(std::move(source)) {}

  /// The position of the key or list item at `path`; nullopt if the file has none there.
  std::optional<Position> find(std::string_view path) const {
    return source_ ? source_->find(path) : std::nullopt;
  }
  /// Whether the file has a key or list item at `path`.
  bool contains(std::string_view path) const { return find(path).has_value(); }
  /// The position at `path`; throws std::out_of_range if there is none.
  Position at(std::string_view path) const {
    if (const std::optional<Position> p = find(path)) return *p;
    throw std::out_of_range("no key at " + std::string(path));
  }
  /// Whether there is no file behind the spec (built in code).
  bool empty() const { return source_ == nullptr; }
  /// Forgets the file: the spec is as if built in code.
  void clear() { source_.reset(); }

 private:
  std::shared_ptr<const Source> source_;
};

}  // namespace lvs::scenario
