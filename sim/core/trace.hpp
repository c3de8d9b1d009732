#pragma once
// Where a simulation's human-readable trace goes. The default is none.

#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace lvs {

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  /// One record: simulated time, the component that speaks (e.g. "director1"), what happened.
  virtual void record(Time t, std::string_view source, std::string_view message) = 0;
};

/// Keeps every record in memory; for tests and for the packet-walk views.
class TraceLog final : public TraceSink {
 public:
  struct Record {
    Time t;
    std::string source;
    std::string message;
  };
  void record(Time t, std::string_view source, std::string_view message) override {
    records_.push_back({t, std::string(source), std::string(message)});
  }
  const std::vector<Record>& records() const { return records_; }

 private:
  std::vector<Record> records_;
};

}  // namespace lvs
