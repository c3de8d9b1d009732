#pragma once
// The positions of the compared metrics in CompareMetrics::values and
// SchedulerComparison::metrics / ::paired, for the compare tests.

#include <cstddef>

#include "run/compare.hpp"

namespace lvs::test {

inline constexpr std::size_t kThroughput = static_cast<std::size_t>(run::CompareMetric::Throughput);
inline constexpr std::size_t kLatencyMean = static_cast<std::size_t>(run::CompareMetric::LatencyMean);
inline constexpr std::size_t kLatencyP99 = static_cast<std::size_t>(run::CompareMetric::LatencyP99);
inline constexpr std::size_t kFailed = static_cast<std::size_t>(run::CompareMetric::Failed);
inline constexpr std::size_t kImbalance = static_cast<std::size_t>(run::CompareMetric::Imbalance);
inline constexpr std::size_t kJain = static_cast<std::size_t>(run::CompareMetric::Jain);

}  // namespace lvs::test
