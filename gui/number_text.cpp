#include "number_text.hpp"

#include <cmath>

namespace lvs::gui {

QString number_text(double value, int decimals) {
  if (std::isnan(value)) return QStringLiteral("n/a");
  if (std::isinf(value)) return value > 0 ? QStringLiteral("∞") : QStringLiteral("-∞");
  const double step = std::pow(10.0, -decimals);  // the smallest value shown
  if (std::fabs(value) < step / 2) {
    // Rounds to zero: a positive value says it is there; zero and negative ones are "0".
    return value > 0 ? QStringLiteral("<") + QString::number(step, 'f', decimals) : QStringLiteral("0");
  }
  return QString::number(value, 'f', decimals);
}

QString percent_text(double fraction, int decimals) {
  const QString n = number_text(fraction * 100, decimals);
  return std::isnan(fraction) ? n : n + QLatin1Char('%');
}

}  // namespace lvs::gui
