#include "sweep_chart.hpp"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QValueAxis>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "chart_kit.hpp"
#include "scenario/units.hpp"

namespace lvs::gui {

namespace {

constexpr double kMargin = 0.04;  // of the x span, either side, so the end markers show whole
constexpr int kTicks = 6;
const QColor kMeanColour(31, 119, 180);
const QColor kSloColour(214, 39, 40);
const QColor kAnswerColour(44, 160, 44);

const run::CompareMetricInfo& info(run::RunMetric m) { return run::run_metric_info(m); }

// "5ms" -> 5 and "ms"; nullopt when it does not start with a number.
std::optional<std::pair<double, std::string>> number_and_unit(const std::string& text) {
  std::size_t end = 0;
  while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.' ||
                               (end == 0 && (text[end] == '-' || text[end] == '+'))))
    ++end;
  const std::optional<double> v = scenario::parse_number(std::string_view(text).substr(0, end));
  if (!v || !std::isfinite(*v)) return std::nullopt;
  return std::pair{*v, text.substr(end)};
}

// The axes are made once and kept (Qt 6.4 leaves a deleted axis's labels painted): a value
// axis and a category axis at the bottom, one of them shown.
QValueAxis* value_x(const QChart& chart) {
  for (QAbstractAxis* a : chart.axes(Qt::Horizontal))
    if (a->type() == QAbstractAxis::AxisTypeValue) return static_cast<QValueAxis*>(a);
  return nullptr;
}
QCategoryAxis* category_x(const QChart& chart) {
  for (QAbstractAxis* a : chart.axes(Qt::Horizontal))
    if (a->type() == QAbstractAxis::AxisTypeCategory) return static_cast<QCategoryAxis*>(a);
  return nullptr;
}
// The vertical axes: a linear one and a log one, one of them shown.
QValueAxis* y_axis(const QChart& chart) {
  for (QAbstractAxis* a : chart.axes(Qt::Vertical))
    if (a->type() == QAbstractAxis::AxisTypeValue) return static_cast<QValueAxis*>(a);
  return nullptr;
}
QLogValueAxis* log_y_axis(const QChart& chart) {
  for (QAbstractAxis* a : chart.axes(Qt::Vertical))
    if (a->type() == QAbstractAxis::AxisTypeLogValue) return static_cast<QLogValueAxis*>(a);
  return nullptr;
}

// Whether a y can be drawn: finite, and above 0 on a log axis.
bool drawable(double y, bool log) { return std::isfinite(y) && (!log || y > 0); }

QLineSeries* line(const QString& name, QColor colour, Qt::PenStyle style = Qt::SolidLine) {
  auto* s = new QLineSeries;
  s->setName(name);
  QPen pen(colour);
  pen.setWidthF(2.0);
  pen.setStyle(style);
  s->setPen(pen);
  return s;
}

// The band between the intervals' ends, over the points that have one (on a log axis,
// whose lower end is above 0).
QAreaSeries* band(const run::SweepResult& r, std::size_t m, const std::vector<double>& x, bool log) {
  // QAreaSeries does not own its edges; parented to it, they go when the chart removes it.
  auto* area = new QAreaSeries;
  auto* upper = new QLineSeries(area);
  auto* lower = new QLineSeries(area);
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const ConfidenceInterval& ci = r.points[i].metrics[m];
    if (!r.points[i].complete || !std::isfinite(ci.mean) || !std::isfinite(ci.half_width) || !drawable(ci.lower(), log))
      continue;
    upper->append(x[i], ci.upper());
    lower->append(x[i], ci.lower());
  }
  area->setUpperSeries(upper);
  area->setLowerSeries(lower);
  area->setName(sweep_band_name());
  QColor fill = kMeanColour;
  fill.setAlpha(60);
  area->setBrush(fill);
  area->setPen(Qt::NoPen);
  return area;
}

// The lowest and highest y the chart must show, the SLO's bound included; on a log axis
// the lowest above 0.
std::pair<double, double> y_span(const QChart& chart, const std::optional<double>& bound, bool log) {
  double low = log ? std::numeric_limits<double>::infinity() : 0, high = bound.value_or(0);
  if (log && bound) low = *bound;
  const auto take = [&](const QXYSeries* xy) {
    for (const QPointF& p : xy->points()) {
      low = std::min(low, p.y());
      high = std::max(high, p.y());
    }
  };
  for (QAbstractSeries* s : chart.series()) {
    if (const auto* area = qobject_cast<const QAreaSeries*>(s)) {
      take(area->upperSeries());
      take(area->lowerSeries());
    } else if (const auto* xy = qobject_cast<const QXYSeries*>(s)) {
      take(xy);
    }
  }
  if (log && !std::isfinite(low)) return {1, 10};  // nothing above 0 to draw
  return {low, high > low ? high : (log ? low * 10 : low + 1)};
}

// Shows the linear or the log y axis over [low, high] (low > 0 on a log axis).
QAbstractAxis* set_y(QChart& chart, double low, double high, bool log, const QString& title) {
  QValueAxis* linear = y_axis(chart);
  QLogValueAxis* logarithmic = log_y_axis(chart);
  linear->setVisible(!log);
  logarithmic->setVisible(log);
  linear->setTitleText(title);
  logarithmic->setTitleText(title + QStringLiteral(" (log scale)"));
  if (log) {
    logarithmic->setRange(std::pow(10.0, std::floor(std::log10(low))), std::pow(10.0, std::ceil(std::log10(high))));
    return logarithmic;
  }
  linear->setRange(low, high * 1.05);
  linear->setTickCount(kTicks);
  linear->applyNiceNumbers();
  return linear;
}

void set_x(QChart& chart, const SweepAxis& axis, const QString& title, QAbstractAxis* y) {
  QValueAxis* numbers = value_x(chart);
  QCategoryAxis* names = category_x(chart);
  const bool numeric = axis.labels.isEmpty();
  numbers->setVisible(numeric);
  names->setVisible(!numeric);
  QValueAxis* shown = numeric ? numbers : names;
  shown->setTitleText(title);
  for (const QString& label : names->categoriesLabels()) names->remove(label);
  double lo = 0, hi = 1;
  if (!axis.x.empty()) {
    lo = *std::min_element(axis.x.begin(), axis.x.end());
    hi = *std::max_element(axis.x.begin(), axis.x.end());
  }
  if (numeric) {
    const double pad = hi > lo ? kMargin * (hi - lo) : 1;
    numbers->setRange(lo - pad, hi + pad);
    numbers->setTickCount(kTicks);
    numbers->applyNiceNumbers();  // round labels; the range only grows
  } else {
    for (qsizetype i = 0; i < axis.labels.size(); ++i) names->append(axis.labels[i], static_cast<double>(i) + 0.5);
    names->setStartValue(-0.5);
    names->setRange(-0.5, static_cast<double>(axis.labels.size()) - 0.5);
  }
  for (QAbstractSeries* s : chart.series()) {
    for (QAbstractAxis* a : s->attachedAxes()) s->detachAxis(a);
    s->attachAxis(shown);
    s->attachAxis(y);
  }
}

// The legend draws its labels as rich text: "p99<100ms" would lose all from '<' on.
void escape_legend(QChart& chart) {
  for (QLegendMarker* marker : chart.legend()->markers()) marker->setLabel(marker->label().toHtmlEscaped());
}

}  // namespace

SweepAxis sweep_axis(const std::vector<std::string>& values) {
  SweepAxis axis;
  bool numeric = !values.empty();
  for (std::size_t i = 0; i < values.size() && numeric; ++i) {
    const auto parsed = number_and_unit(values[i]);
    if (!parsed || (i > 0 && QString::fromStdString(parsed->second) != axis.unit)) numeric = false;
    else {
      axis.unit = QString::fromStdString(parsed->second);
      axis.x.push_back(parsed->first);
    }
  }
  if (numeric) return axis;
  axis = {};
  for (std::size_t i = 0; i < values.size(); ++i) {
    axis.x.push_back(static_cast<double>(i));
    axis.labels.append(QString::fromStdString(values[i]));
  }
  return axis;
}

QString sweep_mean_name(run::RunMetric m) { return QStringLiteral("mean %1").arg(QString::fromLatin1(info(m).heading)); }

QString slo_line_name(const run::Slo& slo) { return QStringLiteral("SLO %1").arg(QString::fromStdString(slo.text)); }

QString slo_answer_name(const run::SloSearchResult& r) {
  const QString value = r.last_passing ? QString::fromStdString(r.candidates[*r.last_passing]) : QStringLiteral("none");
  return QStringLiteral("answer: %1 (%2 meeting %3)")
      .arg(value, r.seek == run::Seek::Max ? QStringLiteral("highest") : QStringLiteral("lowest"),
           QString::fromStdString(r.slo.text));
}

QChart* make_sweep_chart() {
  QChart* chart = make_chart(QStringLiteral("Sweep"), QString(), QString());
  chart->addAxis(new QCategoryAxis, Qt::AlignBottom);
  category_x(*chart)->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
  category_x(*chart)->setVisible(false);
  auto* log = new QLogValueAxis;
  log->setBase(10);
  log->setLabelFormat(QStringLiteral("%g"));
  log->setMinorTickCount(-1);  // 2, 3, ... 9 between the powers of ten
  chart->addAxis(log, Qt::AlignLeft);
  log->setVisible(false);
  return chart;
}

void fill_sweep_chart(QChart& chart, const run::SweepResult& sweep, run::RunMetric m, const std::optional<run::Slo>& slo,
                      const run::SloSearchResult* search, bool log_y) {
  chart.removeAllSeries();
  const auto mi = static_cast<std::size_t>(m);
  const QString key = sweep.keys.empty() ? QString() : QString::fromStdString(sweep.keys.front());
  std::vector<std::string> values;
  for (const run::SweepPoint& p : sweep.points) values.push_back(p.values.empty() ? std::string() : p.values.front());
  const SweepAxis axis = sweep_axis(values);
  chart.setTitle(QStringLiteral("%1 against %2 (mean and 95% CI over %3 replications)")
                     .arg(QString::fromLatin1(info(m).heading), key)
                     .arg(sweep.replications));
  chart.addSeries(band(sweep, mi, axis.x, log_y));
  QLineSeries* mean = line(sweep_mean_name(m), kMeanColour);
  mean->setPointsVisible(true);
  for (std::size_t i = 0; i < sweep.points.size(); ++i) {
    const double v = sweep.points[i].metrics[mi].mean;
    if (sweep.points[i].complete && drawable(v, log_y)) mean->append(axis.x[i], v);
  }
  chart.addSeries(mean);
  const bool slo_here = slo && slo->metric == m;
  if (slo_here) {
    // Across the points (and the half category either side of named ones).
    const double pad = axis.labels.isEmpty() ? 0 : 0.5;
    QLineSeries* bound = line(slo_line_name(*slo), kSloColour, Qt::DashLine);
    bound->append({{*std::min_element(axis.x.begin(), axis.x.end()) - pad, slo->bound},
                   {*std::max_element(axis.x.begin(), axis.x.end()) + pad, slo->bound}});
    chart.addSeries(bound);
  }
  const auto [low, high] = y_span(chart, slo_here ? std::optional<double>(slo->bound) : std::nullopt, log_y);
  QAbstractAxis* y = set_y(chart, low, high, log_y, QString::fromLatin1(info(m).heading));
  if (slo_here && search && search->last_passing && search->slo.metric == m) {
    const double x = axis.x[*search->last_passing];
    QLineSeries* answer = line(slo_answer_name(*search), kAnswerColour, Qt::DotLine);
    const auto [bottom, top] = log_y ? std::pair{log_y_axis(chart)->min(), log_y_axis(chart)->max()}
                                     : std::pair{y_axis(chart)->min(), y_axis(chart)->max()};
    answer->append({{x, bottom}, {x, top}});
    chart.addSeries(answer);
  }
  set_x(chart, axis, axis.unit.isEmpty() ? key : QStringLiteral("%1 (%2)").arg(key, axis.unit), y);
  escape_legend(chart);
}

}  // namespace lvs::gui
