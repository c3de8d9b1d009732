#include "core/file_output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace lvs {

std::string write_failure(const std::string& path, std::string_view fallback) {
  const std::string why = errno != 0 ? std::strerror(errno) : std::string(fallback);
  return "cannot write " + path + ": " + why;
}

void write_file(const std::string& path, std::string_view text) {
  errno = 0;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) throw WriteError(write_failure(path));
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0;
  const int write_errno = errno;
  const bool closed = std::fclose(f) == 0;
  if (!written) errno = write_errno;
  if (!written || !closed) throw WriteError(write_failure(path));
}

}  // namespace lvs
