#pragma once
// Decoding the pcap files the tests write with tshark, when it is installed (CI installs
// it; without it the decoding checks are skipped with a warning).

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace lvs::test {

/// Where the tests write their pcap files (in the build tree).
inline std::filesystem::path capture_dir() {
  const std::filesystem::path dir = std::filesystem::path(LVSLAB_CAPTURE_DIR);
  std::filesystem::create_directories(dir);
  return dir;
}

inline bool tshark_available() {
  static const bool yes = std::system("command -v tshark >/dev/null 2>&1") == 0;
  return yes;
}

/// True if tshark is there; warns once per test otherwise.
inline bool tshark_or_warn() {
  if (!tshark_available()) WARN("tshark is not installed: pcap decoding checks skipped");
  return tshark_available();
}

/// The lines `command` prints (stdout and stderr), and its exit status.
struct CommandResult {
  int status = -1;
  std::vector<std::string> lines;
};

inline CommandResult run_command(const std::string& command) {
  CommandResult r;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string text;
  std::array<char, 4096> chunk{};
  while (std::fgets(chunk.data(), static_cast<int>(chunk.size()), pipe) != nullptr) text += chunk.data();
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("Running as user", 0) != 0) r.lines.push_back(line);  // tshark's note when run as root
  return r;
}

inline std::string quoted(const std::filesystem::path& p) {
  std::string q = "'";
  q += p.string();
  q += '\'';
  return q;
}

/// tshark options: checksums verified. TCP sequence analysis is off: a capture at several
/// points holds each segment more than once, which it would call retransmissions and
/// out-of-order segments (warnings about the capture, not about the frames).
inline const char* kTsharkOptions =
    "-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE "
    "-o tcp.analyze_sequence_numbers:FALSE";

/// The lines of `tshark -V` on `file` that report a problem: a malformed frame, a bad
/// checksum, any expert info of severity warning or error, or an error of tshark's own.
inline std::vector<std::string> decode_problems(const std::filesystem::path& file) {
  const CommandResult r = run_command(std::string("tshark -r ") + quoted(file) + " " + kTsharkOptions + " -V");
  std::vector<std::string> problems;
  if (r.status != 0) problems.push_back("tshark exit status " + std::to_string(r.status));
  for (const std::string& line : r.lines)
    for (const char* bad : {"Malformed", "Bad checksum", "Status: Bad", "status: Bad", "Expert Info (Error",
                            "Expert Info (Warning", "tshark:"})
      if (line.find(bad) != std::string::npos) {
        problems.push_back(line);
        break;
      }
  return problems;
}

/// One line per frame matching display filter `filter`: the values of `fields` separated by
/// '|' (a field that occurs twice, as ip.dst with IPIP, lists both values with ',').
inline std::vector<std::string> tshark_fields(const std::filesystem::path& file, const std::string& filter,
                                              const std::vector<std::string>& fields) {
  std::string command = std::string("tshark -r ") + quoted(file) + " " + kTsharkOptions +
                        " -T fields -E separator='|' -Y '" + filter + "'";
  for (const std::string& f : fields) command += " -e " + f;
  const CommandResult r = run_command(command);
  INFO(command);
  CHECK(r.status == 0);
  return r.lines;
}

}  // namespace lvs::test
