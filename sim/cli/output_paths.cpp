#include "cli/output_paths.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "core/file_output.hpp"

namespace lvs::cli {

namespace {

[[noreturn]] void refuse(std::string_view option, const std::string& path, const std::string& why) {
  throw std::invalid_argument(std::string(option) + ": cannot write " + path + ": " + why);
}

void check_writable(std::string_view option, const std::string& path, const std::filesystem::path& at) {
  if (::access(at.c_str(), W_OK) != 0) refuse(option, path, std::strerror(errno));
}

}  // namespace

void check_output_file(std::string_view option, const std::string& path) {
  namespace fs = std::filesystem;
  if (path == "-") return;
  if (path.empty()) refuse(option, path, "no file name");
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (fs::is_directory(status)) refuse(option, path, "it is a directory");
  if (fs::exists(status)) return check_writable(option, path, path);
  const fs::path dir = fs::path(path).has_parent_path() ? fs::path(path).parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec)) refuse(option, path, "no directory " + dir.string());
  check_writable(option, path, dir);
}

void check_output_dir(std::string_view option, const std::string& dir) {
  namespace fs = std::filesystem;
  if (dir == "-") refuse(option, dir, "it takes a directory, not stdout");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) refuse(option, dir, ec.message());
  if (!fs::is_directory(dir, ec)) refuse(option, dir, "not a directory");
  check_writable(option, dir, dir);
}

void flush_stdout() {
  errno = 0;
  std::cout.flush();
  const bool ok = std::cout.good() && std::fflush(stdout) == 0 && std::ferror(stdout) == 0;
  if (!ok) throw WriteError(write_failure("standard output"));
}

void check_json_csv(const std::optional<std::string>& json, const std::optional<std::string>& csv) {
  if (json && csv && *json == "-" && *csv == "-")
    throw std::invalid_argument("--json - and --csv -: only one of them can go to stdout");
  if (json) check_output_file("--json", *json);
  if (csv) check_output_file("--csv", *csv);
}

void write_json_csv(std::ostream& out, const std::optional<std::string>& json, const std::optional<std::string>& csv,
                    const std::function<std::string()>& json_text, const std::function<std::string()>& csv_text,
                    const std::function<void(std::ostream&)>& table) {
  const bool json_out = json && *json == "-";
  const bool csv_out = csv && *csv == "-";
  if (json_out) out << json_text();
  if (csv_out) out << csv_text();
  if (!json_out && !csv_out) table(out);
  if (json && !json_out) write_file(*json, json_text());
  if (csv && !csv_out) write_file(*csv, csv_text());
}

}  // namespace lvs::cli
