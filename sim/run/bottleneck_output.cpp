#include "run/bottleneck_output.hpp"

#include "run/bottleneck.hpp"
#include "run/number_text.hpp"
#include "run/warmup_auto.hpp"

namespace lvs::run {

void print_auto_warmup(std::ostream& os, const RunResult& r) {
  if (!r.auto_warmup) return;
  const AutoWarmup& a = *r.auto_warmup;
  os << "warm-up: MSER-5 truncated at " << fixed(a.truncated_at_s, 3) << " s (" << a.truncated_batches * kMserBatch
     << " of " << a.observations << " interval mean latencies, " << a.truncated_batches << " of " << a.batches
     << " batches of " << kMserBatch << ")";
  if (a.batches < 2) os << ": too few intervals to truncate";
  if (a.at_limit && a.batches >= 2) os << ": at the half-run limit, the run may be too short to settle";
  os << "\n";
}

void print_bottleneck(std::ostream& os, const RunResult& r) {
  os << "bottleneck: " << bottleneck_text(find_bottleneck(r)) << "\n";
}

namespace {

nlohmann::ordered_json candidate_json(const BottleneckCandidate& c) {
  return {{"resource", c.resource},
          {"component", c.component},
          {"utilization", c.utilization},
          {"saturated", c.saturated},
          {"why", c.why},
          {"detail", c.detail},
          {"first_saturated_s", c.first_saturated_s ? nlohmann::ordered_json(*c.first_saturated_s) : nullptr}};
}

}  // namespace

void add_bottleneck_json(nlohmann::ordered_json& j, const RunResult& r) {
  const Bottleneck b = find_bottleneck(r);
  nlohmann::ordered_json out = b.candidates.empty() ? candidate_json({}) : candidate_json(b.candidates.front());
  out["text"] = bottleneck_text(b);
  out["candidates"] = nlohmann::ordered_json::array();
  for (const BottleneckCandidate& c : b.candidates) out["candidates"].push_back(candidate_json(c));
  j["bottleneck"] = out;
  if (!r.auto_warmup) return;
  const AutoWarmup& a = *r.auto_warmup;
  j["auto_warmup"] = {{"method", "MSER-5"},
                      {"observations", a.observations},
                      {"batch_size", kMserBatch},
                      {"batches", a.batches},
                      {"truncated_batches", a.truncated_batches},
                      {"truncated_at_s", a.truncated_at_s},
                      {"statistic_ms2", a.statistic},
                      {"at_limit", a.at_limit}};
}

}  // namespace lvs::run
