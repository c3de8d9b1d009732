#pragma once
// What the workload asks of a service, estimated from the spec alone as a capacity planner
// would (means of the distributions), and the number formats of the capacity warnings:
// shared by validate_capacity.cpp and validate_director.cpp.

#include <string>

#include "scenario/validate_detail.hpp"

namespace lvs::scenario::checks {

/// Whether client `c` sends to service `s` (its VIP, port and protocol).
bool uses(const ClientSpec& c, const ServiceSpec& s);
/// The host called `name` if it is of `kind`, else nullptr.
const HostSpec* of_kind(const SpecIndex& index, const std::string& name, HostKind kind);
/// The application serving destination `d` of `s`, or nullptr.
const ServerAppSpec* app_of(const SpecIndex& index, const ServiceSpec& s, const DestinationSpec& d);

/// What the servers of a service do, on average over its destinations in use (weight > 0).
struct Serving {
  double service_s = 0;  ///< mean service time of a request, s
  double response = 0;   ///< mean response bytes
  double response_segments = 1;  ///< mean packets of a response (director_capacity.hpp segments())
  double capacity = 0;   ///< requests/s all of them can serve (workers / service time)
};
Serving serving(const SpecIndex& index, const ServiceSpec& s);

/// A client population as a load: sessions per second at its peak and in all.
struct Load {
  double session_s = 0;  ///< mean session duration (its requests' service times), s
  double rate = 0;       ///< sessions/s at the peak
  double sessions = 0;   ///< sessions over the run
};
Load load_of(const ScenarioSpec& spec, const ClientSpec& c, const Serving& srv);

/// `v` to one decimal, without a trailing ".0": "11", "6.5".
std::string tenths(double v);
/// `v` rounded: "12"; "more than 1000000000000000" beyond 1e15 (or for inf).
std::string count(double v);
/// An estimate to 3 significant digits: "~80000", "~2400000", "~4800".
std::string rough(double v);
/// "1 core", "2 cores", "2 local addresses".
std::string plural(long long n, const std::string& word);
/// "at least 3 local addresses"; "more than 1000000 local addresses" when `n` exceeds `limit`.
std::string at_least(double n, long long limit, const std::string& word);

/// Directors whose cores cannot forward every packet of the workload, in any mode
/// (validate_director.cpp).
void warn_director_cpu(const SpecIndex& index, const HostSpec& director, Findings& out);
/// Links and segments whose rate is below the bytes/s the workload puts on them.
void warn_links(const SpecIndex& index, Findings& out);

}  // namespace lvs::scenario::checks
