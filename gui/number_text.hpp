#pragma once
// Numbers as the GUI shows them, so that none misleads: a value that rounds to zero is "0"
// (never "-0", as printf's rounding of -0.0004 gives), a positive value too small to show at
// the precision asked is "<0.1" rather than a 0 that hides it, and a value that does not
// exist (NaN: no sample, nothing completed) is "n/a", never "nan". Infinity is "∞".

#include <QString>

namespace lvs::gui {

/// `value` with `decimals` decimals ("12.35", "0", "<0.01", "-3.5", "n/a", "∞", "-∞").
QString number_text(double value, int decimals);
/// `fraction` (1 = 100%) as a percentage with `decimals` decimals: "42%", "0%", "<1%", "n/a".
QString percent_text(double fraction, int decimals = 0);

}  // namespace lvs::gui
