#include "sweep_params.hpp"

#include <algorithm>
#include <cmath>

namespace lvs::gui {

namespace {

// Up to six significant digits, no exponent for the sizes a scenario uses ("1000", "2.5").
QString number(double v) { return QString::number(v, 'g', 6); }

// FROM:TO:STEP from half of `v` to `top` times it in quarters of `v`, in whole units when
// `whole` (workers, users: at least 1, step at least 1).
QString around(double v, double top, bool whole, const QString& unit = {}) {
  double from = v / 2, to = v * top, step = v / 4;
  if (whole) {
    from = std::max(1.0, std::round(from));
    to = std::max(from + 1, std::round(to));
    step = std::max(1.0, std::round(step));
  }
  return number(from) + unit + ':' + number(to) + unit + ':' + number(step) + unit;
}

}  // namespace

std::vector<SweepSuggestion> sweep_suggestions(const scenario::ScenarioSpec& spec) {
  std::vector<SweepSuggestion> out;
  if (!spec.workload.clients.empty()) {
    const scenario::ClientSpec& c = spec.workload.clients.front();
    const QString path = QString::fromStdString(c.origin.path.empty() ? "workload.clients[0]" : c.origin.path);
    if (c.rate.size() == 1 && c.rate.front().rate > 0)
      out.push_back({path + ".arrivals.rate", around(c.rate.front().rate, 2, false)});
    else if (c.users > 0)
      out.push_back({path + ".users", around(c.users, 2, true)});
  }
  if (!spec.servers.empty()) {
    const scenario::ServerAppSpec& s = spec.servers.front();
    // "servers[0]", or the group that declares the servers ("services[0].groups[0]").
    const QString path = QString::fromStdString(s.origin.path.empty() ? "servers[0]" : s.origin.path);
    out.push_back({path + ".workers", around(s.workers, 2, true)});
    if (s.service_time.mean() > 0)
      out.push_back({path + ".service_time.mean", around(s.service_time.mean() * 1e3, 2, false, QStringLiteral("ms"))});
  }
  if (!spec.services.empty()) {
    out.push_back({QStringLiteral("services[0].scheduler"), QStringLiteral("rr,wrr,lc,wlc,sed,nq")});
    if (!spec.services.front().groups.empty()) {
      const double count = static_cast<double>(spec.services.front().groups.front().count);
      out.push_back({QStringLiteral("services[0].groups[0].count"), around(count, 1.5, true)});
    }
  }
  return out;
}

}  // namespace lvs::gui
