#pragma once
// A model string (UTF-8 std::string) as a QString, spelt short: labels build many of them.

#include <QString>

#include <string>

namespace lvs::gui {

inline QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace lvs::gui
