#pragma once
// A bad scenario input and where it is: what every reading error and every validation
// finding names. Plain data: no YAML library behind it, so the spec and its users include
// it without yaml-cpp.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lvs::scenario {

/// A bad scenario input. what() is "FILE:LINE:COL: KEY.PATH: MESSAGE" (the path part is left out
/// for the root, the position when unknown), or "--set SETTING: MESSAGE" for a command-line override.
class ScenarioError : public std::runtime_error {
 public:
  /// An error at `line`:`column` (1-based; 0 = unknown) of `file`, about the value at `key_path`.
  ScenarioError(std::string file, int line, int column, std::string key_path, std::string message);
  /// An error about `--set SETTING` (a key path, or a whole assignment); line and column are 0.
  static ScenarioError in_override(std::string file, std::string setting, std::string key_path, std::string message);

  /// The scenario file name as given to Document.
  const std::string& file() const { return file_; }
  /// 1-based line; 0 when the value has no position in the file.
  int line() const { return line_; }
  /// 1-based column; 0 when the value has no position in the file.
  int column() const { return column_; }
  /// Where in the document: "services[0].destinations[1].weight" ("" for the root).
  const std::string& key_path() const { return key_path_; }
  /// The message alone: "expected an integer in 0..65535, got 'heavy'".
  const std::string& message() const { return message_; }
  /// The --set text the error is about ("services[0].port" or "services.3.port=80"); "" if from the file.
  const std::string& setting() const { return setting_; }

 private:
  ScenarioError(std::string what, std::string file, int line, int column, std::string key_path, std::string message,
                std::string setting);
  std::string file_;
  int line_ = 0;
  int column_ = 0;
  std::string key_path_;
  std::string message_;
  std::string setting_;
};

/// A 1-based position in the scenario file; {0, 0} for a value set with --set.
struct Position {
  int line = 0;
  int column = 0;
  bool operator==(const Position&) const = default;
};

/// The key path of `key` under `parent`: "services" + "vip" -> "services.vip" ("vip" under the root).
std::string child_path(std::string_view parent, std::string_view key);
/// Where an item of the spec came from: its key path and position (for errors and warnings).
struct Origin {
  std::string path;   ///< "topology.hosts[2].interfaces[0]"
  Position at;        ///< {0, 0} when set with --set
};

/// The key path of item `index` of the list at `parent`: "services[2]".
std::string item_path(std::string_view parent, std::size_t index);

/// The one of `candidates` closest to `word` within edit distance 2 (and shorter than the
/// candidate); "" if there is none or two are equally close. For "did you mean" hints.
std::string closest_name(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace lvs::scenario
