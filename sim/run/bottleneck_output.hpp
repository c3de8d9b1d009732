#pragma once
// The bottleneck and the automatic warm-up in the summary and the JSON document.

#include <nlohmann/json.hpp>
#include <ostream>

#include "run/results.hpp"

namespace lvs::run {

/// "warm-up: MSER-5 truncated at 2.350 s (10 of 200 interval means, 2 of 40 batches of 5)\n"
/// with `warmup: auto`; nothing otherwise.
void print_auto_warmup(std::ostream& os, const RunResult& r);
/// "bottleneck: director cpu 97% (lvs1, NAT, lvs-nat-pentium profile)\n".
void print_bottleneck(std::ostream& os, const RunResult& r);
/// Adds "bottleneck" (and "auto_warmup" with `warmup: auto`) to `j`.
void add_bottleneck_json(nlohmann::ordered_json& j, const RunResult& r);

}  // namespace lvs::run
