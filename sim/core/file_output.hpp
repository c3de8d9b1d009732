#pragma once
// Output files whose every write is checked. A failure while writing (a full disk, /dev/full,
// an I/O error) throws WriteError naming the file; the command line exits 1 for it, and 2
// for a bad path the user gave (found before a run starts).

#include <stdexcept>
#include <string>
#include <string_view>

namespace lvs {

/// Writing an output file failed part-way: "cannot write out.json: No space left on device".
class WriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Writes `text` to the file `path` (created or truncated). Throws WriteError naming `path` and
/// the system's reason when it cannot be opened, written or closed.
void write_file(const std::string& path, std::string_view text);

/// "cannot write PATH: REASON" from errno (or `fallback` when errno is 0).
std::string write_failure(const std::string& path, std::string_view fallback = "write failed");

}  // namespace lvs
