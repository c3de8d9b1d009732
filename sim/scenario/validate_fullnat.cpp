// Checks of FULLNAT services (docs/fullnat.md): local addresses that are the director's and
// listed once, one FULLNAT implementation per director, and Alibaba's port sysctls only where
// Alibaba's kernel runs.

#include <set>

#include "scenario/validate_detail.hpp"

namespace lvs::scenario::checks {

namespace {

void check_local_addresses(const SpecIndex& index, const ServiceSpec& s, Findings& out) {
  const HostSpec* director = index.host(s.director);
  if (director != nullptr && director->kind != HostKind::Director) director = nullptr;
  if (s.local_addresses.empty())
    out.error(s.origin, "service " + s.name +
                            " has fullnat destinations but no local_addresses: FULLNAT needs director addresses "
                            "to use as the source of the packets it sends to the real servers");
  std::set<std::uint32_t> seen;
  for (std::size_t k = 0; k < s.local_addresses.size(); ++k) {
    const Origin at = index.key(s.origin, "local_addresses[" + std::to_string(k) + "]");
    const Ipv4Address a = s.local_addresses[k];
    if (director != nullptr && !has_address(*director, a))
      out.error(at, "local address " + a.str() + " is not an address of " + label(*director) +
                        ": the real servers' replies to it would never reach the director");
    if (!seen.insert(a.value()).second)
      out.warning(at, "local address " + a.str() + " is listed twice: the director refuses the second (EEXIST), "
                                                   "so it adds no ports");
  }
}

// One director runs one implementation: the flavour of its first FULLNAT service is the one.
// Alibaba's fullnat_lport_* sysctls do not exist in DPVS, whose ports are fixed.
void check_flavours(const SpecIndex& index, Findings& out) {
  std::map<std::string, const ServiceSpec*> first;  // director -> its first FULLNAT service
  for (const ServiceSpec& s : index.spec().services) {
    if (!has_fullnat(s)) continue;
    const auto [it, inserted] = first.emplace(s.director, &s);
    if (!inserted && it->second->flavour != s.flavour)
      out.error(index.key(s.origin, "flavour"),
                "director " + s.director + " already runs " + flavour_name(it->second->flavour) + " FULLNAT (" +
                    it->second->origin.path + "); one director runs one implementation, not " +
                    flavour_name(s.flavour) + " as well");
  }
  for (const auto& [name, s] : first) {
    const HostSpec* director = index.host(name);
    if (director == nullptr || s->flavour != FullNatFlavour::Dpvs) continue;
    const SysctlSpec& sysctl = director->sysctl;
    for (const auto& [key, set] : {std::pair{"fullnat_lport_min", sysctl.fullnat_lport_min.has_value()},
                                   std::pair{"fullnat_lport_max", sysctl.fullnat_lport_max.has_value()},
                                   std::pair{"fullnat_lport_tries", sysctl.fullnat_lport_tries.has_value()}})
      if (set)
        out.error(index.key(director->origin, std::string("sysctl.") + key),
                  std::string(key) + " is a sysctl of Alibaba's LVS kernel, but " + label(*director) +
                      " runs DPVS (" + s->origin.path + "), whose local ports are fixed at 1025..65535");
  }
}

}  // namespace

void check_fullnat(const SpecIndex& index, Findings& out) {
  for (const ServiceSpec& s : index.spec().services)
    if (has_fullnat(s)) check_local_addresses(index, s, out);
  check_flavours(index, out);
}

}  // namespace lvs::scenario::checks
