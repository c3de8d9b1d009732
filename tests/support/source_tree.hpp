#pragma once
// The source tree as the tests see it (LVSLAB_SOURCE_DIR): the bundled scenarios and whole
// files read as text.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace lvs::test {

/// The source tree's root.
inline const std::filesystem::path kSource = LVSLAB_SOURCE_DIR;

/// scenarios/FILE of the source tree ("nat-basic.yaml").
inline std::string scenario_path(const std::string& file) { return (kSource / "scenarios" / file).string(); }

/// Every scenarios/*.yaml, sorted; as strings for Catch's GENERATE(from_range(...)).
inline std::vector<std::string> bundled_scenario_files();

/// Every scenarios/*.yaml, sorted.
inline std::vector<std::filesystem::path> bundled_scenarios() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(kSource / "scenarios"))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

inline std::vector<std::string> bundled_scenario_files() {
  std::vector<std::string> files;
  for (const std::filesystem::path& p : bundled_scenarios()) files.push_back(p.string());
  return files;
}

/// The whole file at `path`, byte for byte ("" if it cannot be read).
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace lvs::test
