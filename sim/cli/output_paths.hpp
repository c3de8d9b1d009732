#pragma once
// Output paths given on the command line, checked before a run starts so that a typo does not
// cost the run: a file must be creatable (its directory exists and is writable) or writable, a
// CSV directory is created. A bad path throws std::invalid_argument naming the option (exit 2);
// a write that fails later throws WriteError (core/file_output.hpp, exit 1).

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace lvs::cli {

/// Exit status for an output that could not be written completely (a full disk, an I/O error).
inline constexpr int kExitWriteFailed = 1;

/// Checks that the file `path` given to `option` ("--json") can be written; "-" (stdout) passes.
void check_output_file(std::string_view option, const std::string& path);
/// Creates the directory `dir` given to `option` ("--csv") if needed and checks it is writable.
void check_output_dir(std::string_view option, const std::string& dir);
/// The --json FILE and --csv FILE of a command that prints a table otherwise (`compare`,
/// `sweep`): checks that at most one is "-" (stdout) and that the files can be written.
void check_json_csv(const std::optional<std::string>& json, const std::optional<std::string>& csv);
/// Writes the JSON and CSV (made on demand) to their files or stdout, and the table to `out`
/// unless one of them went there.
void write_json_csv(std::ostream& out, const std::optional<std::string>& json, const std::optional<std::string>& csv,
                    const std::function<std::string()>& json_text, const std::function<std::string()>& csv_text,
                    const std::function<void(std::ostream&)>& table);
/// Flushes standard output; throws WriteError if anything written to it was lost.
void flush_stdout();

}  // namespace lvs::cli
