#include "run_lines.hpp"

#include "chart_kit.hpp"
#include "nodes/client.hpp"

namespace lvs::gui {

namespace {
// Colours of the failure reasons: far from the throughput/latency palette entries 0, 2, 3.
constexpr std::array<std::size_t, kFailReasons> kReasonColour{3, 1, 4, 5, 6, 7, 8, 9};
}  // namespace

std::optional<double> measured_throughput(const run::Sample& s, double warmup_s) {
  if (s.time_s <= warmup_s) return std::nullopt;
  return s.throughput_rps;
}

std::optional<double> measured_failures(const run::Sample& s, std::size_t reason, double warmup_s) {
  if (s.time_s <= warmup_s) return std::nullopt;
  return static_cast<double>(s.failed_by_reason[reason]);
}

std::optional<double> interval_latency(const run::Sample& s, double latency_ms) {
  if (s.completed == 0) return std::nullopt;
  return latency_ms;
}

std::vector<std::size_t> failure_reasons(const std::vector<run::Sample>& series) {
  std::vector<std::size_t> out;
  std::array<bool, kFailReasons> seen{};
  for (const run::Sample& s : series)
    for (std::size_t k = 0; k < kFailReasons; ++k)
      if (!seen[k] && s.failed_by_reason[k] > 0) {
        seen[k] = true;
        out.push_back(k);
      }
  return out;
}

QString failure_name(std::size_t reason) {
  return QString::fromLatin1(fail_reason_name(static_cast<FailReason>(reason)));
}

TimeLine failure_line(std::size_t reason, double warmup_s) {
  return {TimeChart::Failures, failure_name(reason), palette_colour(kReasonColour[reason % kFailReasons]),
          [reason, warmup_s](const run::Sample& s) { return measured_failures(s, reason, warmup_s); }};
}

std::vector<TimeLine> time_lines(const run::SeriesLayout& layout, double warmup_s,
                                 const std::vector<std::size_t>& reasons) {
  std::vector<TimeLine> out;
  out.push_back({TimeChart::Throughput, QStringLiteral("throughput"), palette_colour(0),
                 [warmup_s](const run::Sample& s) { return measured_throughput(s, warmup_s); }});
  out.push_back({TimeChart::Latency, QStringLiteral("p50"), palette_colour(2),
                 [](const run::Sample& s) { return interval_latency(s, s.latency_p50_ms); }});
  out.push_back({TimeChart::Latency, QStringLiteral("p99"), palette_colour(3),
                 [](const run::Sample& s) { return interval_latency(s, s.latency_p99_ms); }});
  for (std::size_t i = 0; i < layout.directors.size(); ++i)
    out.push_back({TimeChart::DirectorCpu, QString::fromStdString(layout.directors[i]), palette_colour(i),
                   [i](const run::Sample& s) -> std::optional<double> {
                     return i < s.director_cpu.size() ? s.director_cpu[i] * 100 : 0.0;
                   }});
  for (std::size_t i = 0; i < layout.links.size(); ++i)
    out.push_back({TimeChart::LinkUtilization, QString::fromStdString(layout.links[i]), palette_colour(i),
                   [i](const run::Sample& s) -> std::optional<double> {
                     return i < s.link_utilization.size() ? s.link_utilization[i] * 100 : 0.0;
                   }});
  for (std::size_t k : reasons) out.push_back(failure_line(k, warmup_s));
  return out;
}

}  // namespace lvs::gui
