// `mount -t nfs -o OPTIONS` for NFSv3 over TCP, as nfs(5) (nfs-utils utils/mount/nfs.man)
// documents the options. docs/nfs-client.md lists them with what each changes in the model.

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "storage/nfs_mount.hpp"

namespace lvs::storage {

namespace {

using Result = std::variant<NfsMountOptions, MountOptionError>;
using Error = std::optional<MountOptionError>;

// nfs(5): the client's largest rsize/wsize is 1 MiB; below 1024 the client uses 4096; other
// values are rounded down to a multiple of 1024.
constexpr std::uint32_t kMaxIo = 1U << 20;
constexpr std::uint32_t kSmallIo = 4096;
// Linux fs/nfs: timeo is capped at NFS_MAX_TCP_TIMEOUT, 600 s (6000 deciseconds).
constexpr std::uint64_t kMaxTimeoDeciseconds = 6000;
constexpr std::uint64_t kMaxAttrSeconds = 24ULL * 3600 * 365;  // a sane bound for a number in seconds

// Options nfs(5) documents that change nothing this model times (kept in one list).
// intr/nointr: ignored by Linux since 2.6.25 (nfs(5)).
constexpr std::array<std::string_view, 19> kNoEffect{
    "defaults", "rw", "ro", "vers=3", "nfsvers=3", "proto=tcp", "tcp", "intr", "nointr", "bg",
    "fg", "_netdev", "noatime", "nodiratime", "relatime", "sync", "async", "nolock", "lock"};

MountOptionError error(std::string_view option, std::string_view expected) {
  return MountOptionError{std::string(option), std::string(expected)};
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

/// nfs(5) rsize/wsize rule.
std::uint32_t io_size(std::uint64_t asked) {
  if (asked < 1024) return kSmallIo;
  if (asked > kMaxIo) return kMaxIo;
  return static_cast<std::uint32_t>(asked / 1024 * 1024);
}

Error set_flag(NfsMountOptions& o, std::string_view name, std::string_view option) {
  if (name == "hard") o.hard = true;
  else if (name == "soft") o.hard = false;
  else if (name == "cto") o.cto = true;
  else if (name == "nocto") o.cto = false;
  else if (name == "ac") o.noac = false;
  else if (name == "noac") {
    // nfs(5): noac turns attribute caching off (all four timeouts 0) and makes writes synchronous.
    o.noac = true;
    o.acregmin = o.acregmax = o.acdirmin = o.acdirmax = Time::zero();
  } else {
    for (std::string_view known : kNoEffect)
      if (option == known) return std::nullopt;
    return error(option, "an NFSv3-over-TCP mount option (nfs(5))");
  }
  return std::nullopt;
}

Error set_attr_time(NfsMountOptions& o, std::string_view name, std::uint64_t seconds) {
  const Time t = Time::s(static_cast<std::int64_t>(seconds));
  if (name == "actimeo") o.acregmin = o.acregmax = o.acdirmin = o.acdirmax = t;  // nfs(5): sets all four
  else if (name == "acregmin") o.acregmin = t;
  else if (name == "acregmax") o.acregmax = t;
  else if (name == "acdirmin") o.acdirmin = t;
  else o.acdirmax = t;
  return std::nullopt;
}

bool is_attr_option(std::string_view name) {
  return name == "actimeo" || name == "acregmin" || name == "acregmax" || name == "acdirmin" || name == "acdirmax";
}

Error set_valued(NfsMountOptions& o, std::string_view name, std::string_view value, std::string_view option) {
  const bool numeric = name == "timeo" || name == "retrans" || name == "rsize" || name == "wsize" || is_attr_option(name);
  if (!numeric) {
    for (std::string_view known : kNoEffect)
      if (option == known) return std::nullopt;
    if (name == "vers" || name == "nfsvers") return error(option, "vers=3 (the model is NFSv3)");
    if (name == "proto") return error(option, "proto=tcp (the model is NFS over TCP)");
    return error(option, "an NFSv3-over-TCP mount option (nfs(5))");
  }
  const auto v = parse_number(value);
  if (!v) return error(option, std::string(name) + "=N with N a whole number");
  if (name == "timeo") {
    // nfs(5): deciseconds; fs/nfs/client.c nfs_init_timeout_values caps it at 600 s.
    if (*v == 0) return error(option, "timeo=N deciseconds, N >= 1");
    o.timeo = Time::ms(static_cast<std::int64_t>(std::min(*v, kMaxTimeoDeciseconds)) * 100);
  } else if (name == "retrans") {
    if (*v > UINT32_MAX) return error(option, "retrans=N, a 32-bit count");
    o.retrans = static_cast<std::uint32_t>(*v);
  } else if (name == "rsize") {
    o.rsize = io_size(*v);
  } else if (name == "wsize") {
    o.wsize = io_size(*v);
  } else {
    if (*v > kMaxAttrSeconds) return error(option, std::string(name) + "=N seconds, at most a year");
    return set_attr_time(o, name, *v);
  }
  return std::nullopt;
}

Error apply(NfsMountOptions& o, std::string_view option) {
  if (option.empty()) return std::nullopt;  // "a,,b": mount(8) skips empty items
  const auto eq = option.find('=');
  if (eq == std::string_view::npos) {
    if (option == "udp") return error(option, "tcp (the model is NFS over TCP)");
    return set_flag(o, option, option);
  }
  return set_valued(o, option.substr(0, eq), option.substr(eq + 1), option);
}

}  // namespace

std::variant<NfsMountOptions, MountOptionError> parse_mount_options(std::string_view text) {
  NfsMountOptions o;
  while (true) {
    const auto comma = text.find(',');
    if (Error e = apply(o, text.substr(0, comma))) return *e;
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return o;
}

}  // namespace lvs::storage
