// Distributions in a scenario file: one reader for durations and sizes alike.
//
//   service_time: 10ms                                      # constant
//   service_time: {distribution: exponential, mean: 10ms}
//   response_size: {distribution: pareto, scale: 1KB, shape: 1.5}
//
// Parameters carry the unit of the quantity (a duration or a byte size); the Distribution
// samples seconds or bytes. Pareto's shape is a plain number.

#include <stdexcept>

#include "scenario/scenario_reader_detail.hpp"

namespace lvs::scenario::reader {

namespace {

// The quantity in the unit its Distribution samples. Dividing the exact count by 1e9 gives
// the double nearest to the decimal value, so "1ms" is exactly the literal 0.001.
double in_unit(Time t) { return static_cast<double>(t.count()) / 1e9; }
double in_unit(ByteSize size) { return static_cast<double>(size.count()); }

template <class Unit>
double param(const Cursor& map, std::string_view key) {
  return in_unit(map.required<Unit>(key));
}

template <class Unit>
std::vector<double> samples(const Cursor& map) {
  std::vector<double> out;
  for (const Cursor& item : required_items(map, "samples", "sample")) out.push_back(in_unit(item.as<Unit>()));
  return out;
}

const std::vector<std::string> kFamilies{"constant",  "exponential", "uniform",  "normal",
                                         "lognormal", "pareto",      "empirical"};

// The distribution named `family` with its parameters from `map`; factories check the values.
template <class Unit>
Distribution from_map(const Cursor& map, const std::string& family) {
  if (family == "constant") {
    map.allow_keys({"distribution", "value"});
    return Distribution::constant(param<Unit>(map, "value"));
  }
  if (family == "exponential") {
    map.allow_keys({"distribution", "mean"});
    return Distribution::exponential(param<Unit>(map, "mean"));
  }
  if (family == "uniform") {
    map.allow_keys({"distribution", "min", "max"});
    return Distribution::uniform(param<Unit>(map, "min"), param<Unit>(map, "max"));
  }
  if (family == "normal" || family == "lognormal") {
    map.allow_keys({"distribution", "mean", "stddev"});
    const double mean = param<Unit>(map, "mean");
    const double stddev = param<Unit>(map, "stddev");
    return family == "normal" ? Distribution::normal(mean, stddev)
                              : Distribution::lognormal_from_mean_stddev(mean, stddev);
  }
  if (family == "pareto") {
    map.allow_keys({"distribution", "scale", "shape"});
    return Distribution::pareto(param<Unit>(map, "scale"), map.required<double>("shape"));
  }
  map.allow_keys({"distribution", "samples"});
  return Distribution::empirical_samples(samples<Unit>(map));
}

}  // namespace

template <class Unit>
Distribution read_distribution(const Cursor& c) {
  if (!c.is_map()) return Distribution::constant(in_unit(c.as<Unit>()));
  const std::string family = c.choice("distribution", kFamilies);
  try {
    return from_map<Unit>(c, family);
  } catch (const std::invalid_argument& e) {
    c.fail(e.what());
  }
}

template Distribution read_distribution<Time>(const Cursor&);
template Distribution read_distribution<ByteSize>(const Cursor&);

}  // namespace lvs::scenario::reader
