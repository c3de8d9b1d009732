#pragma once
// What each line of the "Over time" charts draws of a run's samples, and where it has no
// value. A Sample covers the interval (time_s - sample_interval, time_s]; the clients count
// only requests issued from the warm-up on (RequestStats), so:
//  - throughput and failures of an interval that ends at or before the warm-up were not
//    measured: a gap, not 0 (a 0 there draws a fake ramp up to the first measured interval);
//    after the warm-up a 0 is a measured 0 (an outage) and is drawn;
//  - latency of an interval in which no request completed does not exist: a gap (the
//    sampler leaves 0 in it, which timeseries.csv prints, as `warmup: auto` skips it too);
//  - director CPU and link utilisation are measured from the start: never a gap.

#include <QColor>
#include <QString>

#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "run/results.hpp"

namespace lvs::gui {

/// A line's value in one sample; nullopt: a gap.
using SampleValue = std::function<std::optional<double>(const run::Sample&)>;

/// Which chart of the "Over time" page a line is on.
enum class TimeChart { Throughput, Latency, DirectorCpu, LinkUtilization, Failures };

struct TimeLine {
  TimeChart chart;
  QString name;   ///< the legend entry (before any overlay prefix)
  QColor colour;
  SampleValue value;
};

/// Completed requests/s of `s`; a gap if its interval ended at or before `warmup_s`.
std::optional<double> measured_throughput(const run::Sample& s, double warmup_s);
/// Failed requests of reason `reason` in the interval; a gap as measured_throughput.
std::optional<double> measured_failures(const run::Sample& s, std::size_t reason, double warmup_s);
/// `latency_ms` of `s` (p50, p99 ...); a gap if no request completed in the interval.
std::optional<double> interval_latency(const run::Sample& s, double latency_ms);

/// The FailReasons that failed at least one request in `series` (by index), in the order
/// they first did (in one sample, in enum order): the order a live run adds their lines, so
/// the lines drawn live and from the result have one legend order.
std::vector<std::size_t> failure_reasons(const std::vector<run::Sample>& series);
/// The FailReason's name as the CLI summary and results.json print it ("timeout", "reset" ...).
QString failure_name(std::size_t reason);

/// Every line of a run of `layout` with warm-up `warmup_s`: throughput, p50 and p99, each
/// director's CPU, each link's utilisation, and failures of each of `reasons`.
std::vector<TimeLine> time_lines(const run::SeriesLayout& layout, double warmup_s,
                                 const std::vector<std::size_t>& reasons);
/// The failures line of `reason`, as time_lines makes it.
TimeLine failure_line(std::size_t reason, double warmup_s);

}  // namespace lvs::gui
