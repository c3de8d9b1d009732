#include "schedulers/sched_flags.hpp"

#include <array>

#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

struct NamedFlag {
  std::string_view name;
  std::uint32_t bit;
  std::string_view owner;
};

constexpr std::array<NamedFlag, 7> kFlags{{
    {"flag-1", svc_f_sched1, ""},
    {"flag-2", svc_f_sched2, ""},
    {"flag-3", svc_f_sched3, ""},
    {"sh-fallback", svc_f_sched1, "sh"},
    {"sh-port", svc_f_sched2, "sh"},
    {"mh-fallback", svc_f_sched1, "mh"},
    {"mh-port", svc_f_sched2, "mh"},
}};

const NamedFlag* find(std::string_view name) {
  for (const NamedFlag& f : kFlags)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace

const std::vector<std::string>& sched_flag_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const NamedFlag& f : kFlags) out.emplace_back(f.name);
    return out;
  }();
  return names;
}

std::optional<std::uint32_t> sched_flag_bit(std::string_view name) {
  const NamedFlag* f = find(name);
  if (f == nullptr) return std::nullopt;
  return f->bit;
}

std::string_view sched_flag_owner(std::string_view name) {
  const NamedFlag* f = find(name);
  return f == nullptr ? std::string_view{} : f->owner;
}

// ipvsadm.c print_sched_flags: sh and mh name their two flags and then flag-3; any other
// scheduler gets flag-1, flag-2, flag-3.
std::string sched_flags_text(std::uint32_t flags, std::string_view scheduler) {
  const std::string_view owner = scheduler == "sh" || scheduler == "mh" ? scheduler : std::string_view{};
  std::string out;
  const auto add = [&](const NamedFlag& f) {
    if ((flags & f.bit) != 0) out.append(out.empty() ? "" : ",").append(f.name);
  };
  for (const NamedFlag& f : kFlags)
    if (f.owner == owner && !(!owner.empty() && f.name == "flag-3")) add(f);
  if (!owner.empty()) add(*find("flag-3"));
  return out;
}

}  // namespace lvs
