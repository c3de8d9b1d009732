// The names the scenario's enums are written with, beside the enums (scenario_spec.hpp),
// and the small questions asked of a spec.

#include "scenario/scenario_spec.hpp"

#include <algorithm>

namespace lvs::scenario {

std::string method_name(Method method) {
  switch (method) {
    case Method::Nat:
      return "nat";
    case Method::Tun:
      return "tun";
    case Method::FullNat:
      return "fullnat";
    case Method::Dr:
      break;
  }
  return "dr";
}

std::string kind_name(HostKind kind) {
  switch (kind) {
    case HostKind::Router:
      return "router";
    case HostKind::Client:
      return "client";
    case HostKind::Server:
      return "server";
    case HostKind::Director:
      return "director";
    case HostKind::Host:
      break;
  }
  return "host";
}

Method method_named(std::string_view name) {
  if (name == "nat") return Method::Nat;
  if (name == "tun") return Method::Tun;
  if (name == "fullnat") return Method::FullNat;
  return Method::Dr;
}

std::string sample_count_problem(Time end, Time interval) {
  const std::int64_t samples = end / interval;
  if (samples <= kMaxSamples) return "";
  // The smallest interval giving at most kMaxSamples samples: ceil(end / kMaxSamples).
  const Time least = Time::ns((end.count() + kMaxSamples - 1) / kMaxSamples);
  return "sample_interval " + to_string(interval) + " over " + to_string(end) + " makes " + std::to_string(samples) +
         " samples of the time series; at most " + std::to_string(kMaxSamples) +
         " are kept (each holds a figure per server, link and director): use a sample_interval of at least " +
         to_string(least);
}

bool has_fullnat(const ServiceSpec& s) {
  return std::any_of(s.destinations.begin(), s.destinations.end(),
                     [](const DestinationSpec& d) { return d.method == Method::FullNat; });
}

std::string flavour_name(FullNatFlavour flavour) { return flavour == FullNatFlavour::Dpvs ? "dpvs" : "alibaba"; }

}  // namespace lvs::scenario
