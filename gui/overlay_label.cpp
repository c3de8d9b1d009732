#include "overlay_label.hpp"

#include "number_text.hpp"
#include "qt_string.hpp"

namespace lvs::gui {

namespace {

// The forwarding method of every destination, or "mixed".
QString methods(const scenario::ScenarioSpec& spec) {
  QString method;
  for (const scenario::ServiceSpec& s : spec.services)
    for (const scenario::DestinationSpec& d : s.destinations) {
      const QString m = q(scenario::method_name(d.method));
      if (!method.isEmpty() && m != method) return QStringLiteral("mixed");
      method = m;
    }
  return method;
}

}  // namespace

std::vector<std::pair<QString, QString>> whatif_settings(const scenario::ScenarioSpec& spec) {
  std::vector<std::pair<QString, QString>> out;
  const scenario::ServiceSpec* service = spec.services.empty() ? nullptr : &spec.services.front();
  if (service != nullptr) out.emplace_back(QStringLiteral("scheduler"), q(service->scheduler));
  out.emplace_back(QStringLiteral("method"), methods(spec));
  if (!spec.workload.clients.empty() && !spec.workload.clients.front().rate.empty())
    out.emplace_back(QStringLiteral("rate"), QString::number(spec.workload.clients.front().rate.front().rate, 'g', 6));
  if (service != nullptr) {
    out.emplace_back(QStringLiteral("servers"), QString::number(service->destinations.size()));
    QStringList weights;
    for (const scenario::DestinationSpec& d : service->destinations) weights << QString::number(d.weight);
    out.emplace_back(QStringLiteral("weights"), weights.join(QLatin1Char(':')));
    out.emplace_back(QStringLiteral("persistent"), service->persistent
                                                       ? number_text(service->persistent->seconds(), 0) + "s"
                                                       : QStringLiteral("off"));
    if (service->persistent) out.emplace_back(QStringLiteral("netmask"), q(service->netmask.str()));
  }
  out.emplace_back(QStringLiteral("seed"), QString::number(spec.seed));
  out.emplace_back(QStringLiteral("duration"), number_text(spec.duration.seconds(), 3) + "s");
  return out;
}

QStringList overlay_differences(const scenario::ScenarioSpec& overlay, const scenario::ScenarioSpec& current,
                                int most) {
  const auto then = whatif_settings(overlay), now = whatif_settings(current);
  QStringList out;
  for (const auto& [key, value] : then) {
    bool same = false;
    for (const auto& [k, v] : now) same = same || (k == key && v == value);
    if (same) continue;
    if (out.size() == most) {
      out << QStringLiteral("…");
      break;
    }
    out << key + QLatin1Char('=') + value;
  }
  return out;
}

QString overlay_caption(bool baseline, const scenario::ScenarioSpec& overlay, const scenario::ScenarioSpec& current) {
  const QString who = baseline ? QStringLiteral("baseline, pinned") : QStringLiteral("previous run");
  const QStringList differences = overlay_differences(overlay, current);
  const QString what = differences.isEmpty() ? QStringLiteral("same settings") : differences.join(", ");
  return who + QStringLiteral(" (%1)").arg(what);
}

}  // namespace lvs::gui
