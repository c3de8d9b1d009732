#pragma once
// Where an imported directive came from, and what became of it: every directive that is
// skipped, unknown or read differently from how it is written is reported as a warning
// "FILE:LINE: warning: MESSAGE"; input that cannot be used at all throws ImportError
// "FILE:LINE: error: MESSAGE" (the CLI exits 2).

#include <stdexcept>
#include <string>
#include <vector>

namespace lvs::import {

/// A line of a source file (line 0: the file as a whole).
struct SourceLine {
  std::string file;
  int line = 0;
  bool operator==(const SourceLine&) const = default;
  /// "FILE:LINE" (or "FILE" for line 0).
  std::string str() const;
};

struct Diagnostic {
  SourceLine at;
  std::string message;
  /// "FILE:LINE: warning: MESSAGE".
  std::string str() const;
};

/// The warnings of one import, in the order they were found.
struct Diagnostics {
  std::vector<Diagnostic> warnings;
  /// Where port names (":http") were looked up: "/etc/services" or "built-in table" ("" if none).
  std::string port_names;
  void warn(const SourceLine& at, std::string message) { warnings.push_back({at, std::move(message)}); }
};

/// Unusable input: "FILE:LINE: error: MESSAGE".
class ImportError : public std::runtime_error {
 public:
  ImportError(const SourceLine& at, const std::string& message);
  const SourceLine& at() const { return at_; }

 private:
  SourceLine at_;
};

}  // namespace lvs::import
