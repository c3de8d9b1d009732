#include "sweep_table.hpp"

#include <QColor>
#include <QHeaderView>
#include <QTableWidget>

#include <cstdlib>

#include "run/compare.hpp"

namespace lvs::gui {

namespace {

// A key path on two lines, split at the dot nearest its middle: a narrower column.
QString wrapped_key(const QString& key) {
  qsizetype best = -1;
  for (qsizetype i = key.indexOf('.'); i >= 0; i = key.indexOf('.', i + 1))
    if (best < 0 || std::abs(i - key.size() / 2) < std::abs(best - key.size() / 2)) best = i;
  return best < 0 ? key : key.left(best + 1) + '\n' + key.mid(best + 1);
}

// "2: holds, 4 runs" for probe `k`, in the words `lvslab sweep --find` prints; "2: fails (no
// steady state)" for one the search did not run, its reason in the tooltip.
QTableWidgetItem* probe_item(const run::SloProbe& p, std::size_t k) {
  if (!p.no_steady_state.empty()) {
    auto* item = new QTableWidgetItem(QStringLiteral("%1: fails (no steady state)").arg(k + 1));
    item->setToolTip(QStringLiteral("not run: %1").arg(QString::fromStdString(p.no_steady_state)));
    return item;
  }
  const QString v = p.holds ? QStringLiteral("holds") : QStringLiteral("fails");
  const QString verdict = p.by_mean ? v + QStringLiteral(" (undecided at the cap; by the mean)") : v;
  return new QTableWidgetItem(QStringLiteral("%1: %2, %3 runs").arg(k + 1).arg(verdict).arg(p.replications));
}

// The probe of point `i`, or an empty cell when the search did not probe it.
QTableWidgetItem* probe_cell(const run::SloSearchResult& search, std::size_t i) {
  for (std::size_t k = 0; k < search.probes.size(); ++k)
    if (search.probes[k].index == i) return probe_item(search.probes[k], k);
  return new QTableWidgetItem;
}

QTableWidgetItem* item(const std::string& text) { return new QTableWidgetItem(QString::fromStdString(text)); }

}  // namespace

void fill_sweep_table(QTableWidget& table, const SweepOutcome& o, run::RunMetric m) {
  const run::SweepResult& r = o.sweep;
  const run::CompareMetricInfo& info = run::run_metric_info(m);
  const auto k = static_cast<std::size_t>(m);
  QStringList columns{wrapped_key(QString::fromStdString(r.keys.front())),
                      QStringLiteral("%1\n(mean ± 95% CI)").arg(QString::fromLatin1(info.heading)),
                      QStringLiteral("bottleneck")};
  if (o.search) columns << QStringLiteral("SLO probe");
  table.clear();
  table.setRowCount(static_cast<int>(r.points.size()));
  table.setColumnCount(static_cast<int>(columns.size()));
  table.setHorizontalHeaderLabels(columns);
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const run::SweepPoint& p = r.points[i];
    const auto row = static_cast<int>(i);
    table.setItem(row, 0, item(p.values.front()));
    table.setItem(row, 1, item(p.complete ? run::interval_text(p.metrics[k], info.decimals) : "(incomplete)"));
    table.setItem(row, 2, item(p.complete ? run::point_bottleneck_text(p.bottleneck, r.replications) : "(incomplete)"));
    if (!o.search) continue;
    table.setItem(row, 3, probe_cell(*o.search, i));
    if (o.search->last_passing == i)
      for (int c = 0; c < table.columnCount(); ++c) table.item(row, c)->setBackground(QColor(QRgb(kAnswerRowRgb)));
  }
  table.resizeColumnsToContents();
  table.horizontalHeader()->setStretchLastSection(true);
}

}  // namespace lvs::gui
