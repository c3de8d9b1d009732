// The layer order, checked rather than hoped for: every #include of sim/, schedulers/ and
// gui/ is read, and an edge from a layer to one at or above it fails the test. The order:
//   core <- schedulers, metrics, net <- transport, lvs, capture <- nodes <- scenario
//        <- control <- run, import <- cli, gui
// A file may include its own layer's headers and those of any layer below. Third-party
// headers stay where they are used: yaml-cpp and Boost where scenarios are read, Qt in the
// GUI, CLI11 in the command line, libpcap in capture, nlohmann/json where JSON is written, MPI
// (mpi.h) where a sweep's runs are handed out.
// yaml-cpp is also checked through the headers in between: only the files that read or
// edit YAML reach it, not the spec, its checks, or anything above sim/scenario.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kSource = LVSLAB_SOURCE_DIR;

const std::map<std::string, int>& ranks() {
  static const std::map<std::string, int> r{
      {"core", 0},    {"schedulers", 1}, {"metrics", 1},  {"net", 1},     {"transport", 2}, {"lvs", 2},
      {"capture", 2}, {"storage", 3},    {"nodes", 4},    {"scenario", 5}, {"control", 6},  {"run", 7},
      {"import", 7},  {"cli", 8},        {"gui", 8}};
  return r;
}

// The layers that may include each third-party library, by the include's first component.
const std::map<std::string, std::set<std::string>>& third_party() {
  static const std::map<std::string, std::set<std::string>> t{
      {"yaml-cpp", {"scenario"}}, {"boost", {"scenario"}}, {"CLI", {"cli"}},
      {"pcap", {"capture"}},      {"nlohmann", {"run", "cli"}}, {"mpi.h", {"cli", "run"}}};
  return t;
}

struct Include {
  fs::path file;
  int line;
  std::string header;
};

// The layer of a source file: sim/<layer>/..., schedulers/..., gui/...
std::string layer_of(const fs::path& relative) {
  const std::string first = relative.begin()->string();
  return first == "sim" ? std::next(relative.begin())->string() : first;
}

std::vector<Include> includes_of(const fs::path& file) {
  static const std::regex include(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  std::vector<Include> out;
  std::ifstream in(file);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::smatch m;
    if (std::regex_search(line, m, include)) out.push_back({fs::relative(file, kSource), n, m[1].str()});
  }
  return out;
}

std::vector<Include> all_includes() {
  std::vector<Include> out;
  for (const char* root : {"sim", "schedulers", "gui"})
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(kSource / root)) {
      const std::string ext = e.path().extension().string();
      if (!e.is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".h")) continue;
      const std::vector<Include> file = includes_of(e.path());
      out.insert(out.end(), file.begin(), file.end());
    }
  return out;
}

// Why `inc` breaks the order, or "" if it does not.
std::string violation(const Include& inc) {
  const std::string from = layer_of(inc.file);
  const std::size_t slash = inc.header.find('/');
  const std::string first = inc.header.substr(0, slash);
  const bool qt = inc.header.starts_with('Q') || inc.header.starts_with("qt");
  if (qt) return from == "gui" ? "" : "Qt outside gui/";
  // A library with one header (mpi.h) by its name, the others by their directory.
  if (const auto t = third_party().find(slash == std::string::npos ? inc.header : first); t != third_party().end())
    return t->second.contains(from) ? "" : first + " outside " + *t->second.begin();
  const auto to = ranks().find(first);
  if (slash == std::string::npos || to == ranks().end()) return "";  // the standard library, or the file's own directory
  const auto at = ranks().find(from);
  if (at == ranks().end()) return "unknown layer " + from;
  if (first == from || to->second < at->second) return "";
  return from + " may not include " + first + " (layer " + std::to_string(to->second) + " is not below " +
         std::to_string(at->second) + ")";
}

// The project file a project #include names, or "" for anything else.
fs::path project_file(const std::string& header) {
  const std::string first = header.substr(0, header.find('/'));
  if (!ranks().contains(first)) return {};
  const fs::path p = first == "schedulers" || first == "gui" ? fs::path(header) : fs::path("sim") / header;
  return fs::exists(kSource / p) ? p : fs::path{};
}

// Whether `file` reaches yaml-cpp through its #includes (a file being walked counts as not, which ends cycles).
bool reaches_yaml(const fs::path& file, std::map<fs::path, bool>& memo) {
  if (const auto it = memo.find(file); it != memo.end()) return it->second;
  memo[file] = false;
  bool reaches = false;
  for (const Include& inc : includes_of(kSource / file)) {
    const fs::path next = project_file(inc.header);
    reaches = inc.header.starts_with("yaml-cpp/") || (!next.empty() && reaches_yaml(next, memo));
    if (reaches) break;
  }
  return memo[file] = reaches;
}

// The files that read or edit YAML, by name.
bool reads_yaml(const fs::path& file) {
  const std::string name = file.filename().string();
  for (const char* prefix : {"yaml_", "scenario_reader", "distribution_reader", "overrides", "scenario_text"})
    if (name.starts_with(prefix)) return file.parent_path() == "sim/scenario";
  return false;
}

}  // namespace

TEST_CASE("layering: yaml-cpp is reached, directly or through headers, only where YAML is read", "[structure]") {
  std::map<fs::path, bool> memo;
  int readers = 0;
  for (const char* root : {"sim", "schedulers", "gui"})
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(kSource / root)) {
      if (!e.is_regular_file() || (e.path().extension() != ".cpp" && e.path().extension() != ".hpp")) continue;
      const fs::path file = fs::relative(e.path(), kSource);
      if (!reaches_yaml(file, memo)) continue;
      ++readers;
      INFO(file.string() << " reaches yaml-cpp");
      CHECK(reads_yaml(file));
    }
  CHECK(readers > 5);  // the readers themselves were found
  CHECK_FALSE(reaches_yaml("sim/scenario/scenario_spec.hpp", memo));
  CHECK_FALSE(reaches_yaml("sim/scenario/scenario_text.hpp", memo));
}

TEST_CASE("layering: every #include of sim/, schedulers/ and gui/ follows the layer order", "[structure]") {
  const std::vector<Include> includes = all_includes();
  int project_edges = 0;
  for (const Include& inc : includes) {
    const std::string why = violation(inc);
    INFO(inc.file.string() << ":" << inc.line << ": #include " << inc.header << ": " << why);
    CHECK(why.empty());
    project_edges += ranks().contains(inc.header.substr(0, inc.header.find('/'))) ? 1 : 0;
  }
  WARN("layering: " << project_edges << " project #include edges checked, " << includes.size() << " in all");
  CHECK(project_edges > 400);  // the walk found the tree (446 when written)
}

TEST_CASE("layering: the check catches an edge against the order", "[structure]") {
  CHECK(violation({"sim/net/host.cpp", 1, "lvs/director.hpp"}) == "net may not include lvs (layer 2 is not below 1)");
  CHECK(violation({"schedulers/rr.cpp", 1, "net/address.hpp"}) ==
        "schedulers may not include net (layer 1 is not below 1)");
  CHECK(violation({"sim/run/run.cpp", 1, "gui/main_window.hpp"}) == "run may not include gui (layer 8 is not below 7)");
  CHECK(violation({"sim/nodes/client.cpp", 1, "yaml-cpp/yaml.h"}) == "yaml-cpp outside scenario");
  CHECK(violation({"sim/run/run.cpp", 1, "QString"}) == "Qt outside gui/");
  CHECK(violation({"sim/lvs/director.cpp", 1, "mpi.h"}) == "mpi.h outside cli");
  CHECK(violation({"sim/cli/mpi_runner.cpp", 1, "mpi.h"}).empty());
  CHECK(violation({"sim/lvs/director.cpp", 1, "schedulers/registry.hpp"}).empty());
  CHECK(violation({"sim/lvs/director.cpp", 1, "lvs/director.hpp"}).empty());
  CHECK(violation({"sim/lvs/director.cpp", 1, "vector"}).empty());
  CHECK(violation({"sim/storage/page_cache.cpp", 1, "nodes/real_server.hpp"}) ==
        "storage may not include nodes (layer 4 is not below 3)");
}
