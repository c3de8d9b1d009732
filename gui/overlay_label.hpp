#pragma once
// What tells the overlay's run (the previous one, or a pinned baseline) from the run drawn
// over it, in the what-if panel's words: the settings a what-if control changes, plus the
// seed and duration (both edited in the text), compared as the runs' specs had them.

#include <QString>
#include <QStringList>

#include <utility>
#include <vector>

#include "scenario/scenario_spec.hpp"

namespace lvs::gui {

/// The compared settings of `spec`, in a fixed order, as (key, value): scheduler, method,
/// rate, servers, weights, persistent (seconds or "off"), netmask, seed, duration.
std::vector<std::pair<QString, QString>> whatif_settings(const scenario::ScenarioSpec& spec);

/// The settings of `overlay` that differ from `current`'s, "KEY=VALUE" with overlay's values
/// ("scheduler=rr"); at most `most`, then "…".
QStringList overlay_differences(const scenario::ScenarioSpec& overlay, const scenario::ScenarioSpec& current,
                                int most = 3);

/// The overlay's caption: "previous run (scheduler=rr)", "baseline, pinned (rate=500)",
/// or "previous run (same settings)" when nothing compared differs.
QString overlay_caption(bool baseline, const scenario::ScenarioSpec& overlay, const scenario::ScenarioSpec& current);

}  // namespace lvs::gui
