#include "schedulers/registry.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <stdexcept>

namespace lvs {

namespace {

struct Entry {
  std::string description;
  SchedulerFactory factory;
};

using Table = std::map<std::string, Entry, std::less<>>;

// A function-local static, so that registrars in other translation units may run in any
// order (no static-initialisation-order problem). Written only by SchedulerRegistrar
// during static initialisation; read-only once main() runs.
Table& table() {
  static Table t;
  return t;
}

std::string valid_names() {
  std::string out;
  for (const auto& [name, entry] : table()) {
    if (!out.empty()) out += ", ";
    out += name + " (" + entry.description + ")";
  }
  return out;
}

// The schedulers of mainline Linux IPVS, one ip_vs_NAME.c each under net/netfilter/ipvs/:
// the ten of the 2003 merge, fo (3.18), ovf (4.1), mh (4.18) and twos (5.12); sorted.
// docs/ipvs-semantics.md section 2 gives the evidence for each.
constexpr std::array<std::string_view, 14> kKernelSchedulers{
    "dh", "fo", "lblc", "lblcr", "lc", "mh", "nq", "ovf", "rr", "sed", "sh", "twos", "wlc", "wrr"};

}  // namespace

bool is_kernel_scheduler(std::string_view name) {
  return std::binary_search(kKernelSchedulers.begin(), kKernelSchedulers.end(), name);
}

SchedulerRegistrar::SchedulerRegistrar(std::string_view name, std::string_view description,
                                       SchedulerFactory factory) {
  const auto [it, inserted] = table().try_emplace(std::string(name), Entry{std::string(description), factory});
  if (!inserted) throw std::logic_error("scheduler '" + it->first + "' registered twice");
}

std::unique_ptr<Scheduler> make_scheduler(std::string_view name) {
  const auto it = table().find(name);
  if (it == table().end())
    throw std::invalid_argument("unknown scheduler '" + std::string(name) + "'; valid: " + valid_names());
  return it->second.factory();
}

std::vector<std::string> scheduler_names() {
  std::vector<std::string> names;
  for (const auto& entry : table()) names.push_back(entry.first);
  return names;
}

std::vector<SchedulerInfo> scheduler_list() {
  std::vector<SchedulerInfo> list;
  for (const auto& [name, entry] : table()) list.push_back({name, entry.description, is_kernel_scheduler(name)});
  return list;
}

}  // namespace lvs
