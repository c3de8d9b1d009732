#include "compare_chart.hpp"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QFont>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "chart_export.hpp"
#include "schedulers/registry.hpp"

namespace lvs::gui {

namespace {

constexpr double kCap = 0.12;  // half the width of a whisker's caps, in category units
constexpr double kMargin = 0.2;     // beyond the intervals on each side, share of their span
constexpr double kHeadroom = 0.08;  // above a value all schedulers share, share of it
constexpr int kTicks = 5;

struct ChartText {
  const char* title;
  const char* y_title;
};
// Indexed by CompareMetric.
constexpr std::array<ChartText, run::kCompareMetrics> kText{{
    {"Throughput", "requests/s"},
    {"Mean latency", "ms"},
    {"p99 latency", "ms"},
    {"Failed requests", "per run"},
    {"Imbalance per weight", "max / mean"},
    {"Jain's index per weight", "1 = fair"},
}};

const ChartText& text(run::CompareMetric m) { return kText[static_cast<std::size_t>(m)]; }

// Where a metric can lie. A 95% interval is mean ± t·s/√R, which can reach past a bound
// the metric cannot (Jain's index is at most 1, reached when every server's requests per
// unit weight are equal; imbalance, max over mean, is at least 1: docs/statistics.md); the
// whisker and the axis stop at the bound.
AxisRange possible(run::CompareMetric m) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  switch (m) {
    case run::CompareMetric::Jain: return {0, 1};
    case run::CompareMetric::Imbalance: return {1, inf};
    default: return {0, inf};
  }
}

double clip(double v, AxisRange r) { return std::clamp(v, r.low, r.high); }

// The whisker of bar `i` over [low, high]: top cap, the vertical line, bottom cap.
QLineSeries* whisker(const QString& name, double i, double low, double high) {
  auto* s = new QLineSeries;
  s->setName(whisker_name(name));
  s->setProperty(kNoExportProperty, false);  // the CSV gives the half-width with the bar
  s->append({{i - kCap, high}, {i + kCap, high}, {i, high}, {i, low}, {i - kCap, low}, {i + kCap, low}});
  QPen pen(Qt::black);
  pen.setWidthF(1.5);
  s->setPen(pen);
  return s;
}

// The chart's axes are made once and kept: Qt 6.4 leaves a deleted axis's labels painted.
void set_axes(QChart& chart, const QStringList& categories, AxisRange range) {
  auto* x = static_cast<QBarCategoryAxis*>(chart.axes(Qt::Horizontal).front());
  auto* y = static_cast<QValueAxis*>(chart.axes(Qt::Vertical).front());
  x->setCategories(categories);
  y->setRange(range.low, range.high);
  y->setTickCount(kTicks);  // applyNiceNumbers() picks its step from, and changes, the count
  y->applyNiceNumbers();
  for (QAbstractSeries* s : chart.series()) {
    s->attachAxis(x);
    s->attachAxis(y);
  }
}

}  // namespace

QString whisker_name(const QString& scheduler) { return QStringLiteral("95% CI ") + scheduler; }

QString scheduler_label(const std::string& scheduler) {
  const QString name = QString::fromStdString(scheduler);
  return is_kernel_scheduler(scheduler) ? name : name + QStringLiteral("†");
}

AxisRange value_axis_range(double lowest, double highest) {
  if (!std::isfinite(lowest) || !std::isfinite(highest) || highest < lowest) return {};
  const double span = highest - lowest;
  if (span == 0) {
    if (lowest == 0) return {};
    return lowest > 0 ? AxisRange{0, lowest * (1 + kHeadroom)} : AxisRange{lowest * (1 + kHeadroom), 0};
  }
  AxisRange r{lowest - kMargin * span, highest + kMargin * span};
  if (lowest >= 0) r.low = std::max(r.low, 0.0);
  return r;
}

QChart* make_compare_chart(run::CompareMetric m) {
  auto* chart = new QChart;
  chart->setTitle(QString::fromLatin1(text(m).title));
  chart->legend()->hide();
  auto* x = new QBarCategoryAxis;
  x->setTitleText(QStringLiteral("whiskers: 95% CI"));  // the categories are the schedulers
  QFont font = x->titleFont();
  font.setBold(false);  // a bold title is cut off ("whiskers: 95…") in a 250-pixel chart
  x->setTitleFont(font);
  auto* y = new QValueAxis;
  y->setTitleText(QString::fromLatin1(text(m).y_title));
  y->setTitleFont(font);
  if (m == run::CompareMetric::Throughput) y->setLabelFormat(QStringLiteral("%.0f"));  // "2960", not "2960.0"
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  set_axes(*chart, {}, AxisRange{});
  return chart;
}

void fill_compare_chart(QChart& chart, run::CompareMetric m, const run::CompareResult& r) {
  chart.removeAllSeries();
  auto* set = new QBarSet(QString::fromLatin1(run::metric_info(m).heading));
  set->setColor(QColor(31, 119, 180));
  QList<qreal> half_widths;
  QStringList categories;
  QList<QLineSeries*> whiskers;
  double low = std::numeric_limits<double>::infinity(), high = -low;
  const AxisRange bounds = possible(m);
  for (const run::SchedulerComparison& s : r.schedulers) {
    ConfidenceInterval ci = s.metrics[static_cast<std::size_t>(m)];
    const QString name = scheduler_label(s.scheduler);
    // A QBarSet drops NaN (shifting the later bars): no mean is a zero bar marked n/a.
    categories.append(std::isfinite(ci.mean) ? name : name + QStringLiteral(" (n/a)"));
    set->append(std::isfinite(ci.mean) ? ci.mean : 0.0);
    half_widths.append(ci.half_width);
    const bool drawn = std::isfinite(ci.mean) && std::isfinite(ci.half_width);
    if (drawn)
      whiskers.append(whisker(QString::fromStdString(s.scheduler), categories.size() - 1, clip(ci.lower(), bounds),
                              clip(ci.upper(), bounds)));
    for (double v : {ci.mean, drawn ? clip(ci.lower(), bounds) : ci.mean, drawn ? clip(ci.upper(), bounds) : ci.mean})
      if (std::isfinite(v)) {
        low = std::min(low, v);
        high = std::max(high, v);
      }
  }
  set->setProperty(kHalfWidthProperty, QVariant::fromValue(half_widths));
  auto* bars = new QBarSeries;
  bars->append(set);
  chart.addSeries(bars);
  for (QLineSeries* w : whiskers) chart.addSeries(w);
  AxisRange range = value_axis_range(low, high);
  range.high = std::min(range.high, bounds.high);  // the drawn values are within bounds already
  set_axes(chart, categories, range);
}

}  // namespace lvs::gui
