#pragma once
// Schedulers by their ipvsadm name, as `register_ip_vs_scheduler` / `ip_vs_scheduler_get`
// keep them in the kernel. Each algorithm's .cpp registers itself with a namespace-scope
// `SchedulerRegistrar`, so adding one touches no other file. The table is filled during
// static initialisation and only read afterwards.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "schedulers/scheduler.hpp"

namespace lvs {

/// Makes a fresh, unbound instance of one algorithm.
using SchedulerFactory = std::unique_ptr<Scheduler> (*)();

/// A registered scheduler: its ipvsadm name and a one-line description.
struct SchedulerInfo {
  /// The ipvsadm name, e.g. "wrr".
  std::string name;
  /// One line for `lvslab schedulers`, e.g. "weighted round robin".
  std::string description;
  /// True for the schedulers mainline Linux IPVS has (net/netfilter/ipvs/ip_vs_NAME.c);
  /// false for lvslab's own (ring, p2c, jiq, ...), which ipvsadm -s cannot set on a kernel.
  bool in_kernel = false;
  /// Equal name, description and origin.
  friend bool operator==(const SchedulerInfo&, const SchedulerInfo&) = default;
};

/// Registers a scheduler when constructed; define one at namespace scope in the algorithm's
/// .cpp, never elsewhere. A duplicate name throws std::logic_error (fatal at static init).
class SchedulerRegistrar {
 public:
  /// Registers `factory` under `name` with `description`.
  SchedulerRegistrar(std::string_view name, std::string_view description, SchedulerFactory factory);
};

/// A new instance of the scheduler called `name`; call its init_service before use.
/// Throws std::invalid_argument naming every valid scheduler if `name` is unknown.
std::unique_ptr<Scheduler> make_scheduler(std::string_view name);

/// The registered names, sorted.
std::vector<std::string> scheduler_names();

/// True if `name` is one of mainline IPVS's schedulers (docs/ipvs-semantics.md, section 2).
bool is_kernel_scheduler(std::string_view name);

/// The registered schedulers with their descriptions, sorted by name.
std::vector<SchedulerInfo> scheduler_list();

}  // namespace lvs
