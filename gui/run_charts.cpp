#include "run_charts.hpp"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>
#include <QWidget>

#include <algorithm>
#include <cmath>
#include <functional>
#include <utility>

#include "chart_export.hpp"
#include "chart_kit.hpp"

namespace lvs::gui {

namespace {

constexpr double kSmallestLatencyS = 1e-9;  // the CDF's log axis starts above the zero bucket
const QString kFailuresTitle = QStringLiteral("Failed requests by reason");

QString qs(const std::string& s) { return QString::fromStdString(s); }

// The points of `r`'s samples on a line, gaps included.
std::vector<GapPoint> gap_points(const run::RunResult& r, const SampleValue& value) {
  std::vector<GapPoint> out;
  out.reserve(r.series.size());
  for (const run::Sample& s : r.series) out.push_back({s.time_s, value(s)});
  return out;
}

QChart* make_bar_chart(const QString& title, const QString& y_title) {
  auto* chart = new QChart;
  chart->setTitle(title);
  chart->legend()->setAlignment(Qt::AlignBottom);
  auto* series = new QBarSeries;
  chart->addSeries(series);
  auto* x = new QBarCategoryAxis;
  x->setTitleText(QStringLiteral("real server"));
  auto* y = new QValueAxis;
  y->setTitleText(y_title);
  y->setLabelFormat(QStringLiteral("%g"));
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  series->attachAxis(x);
  series->attachAxis(y);
  return chart;
}

QChart* make_cdf_chart() {
  auto* chart = new QChart;
  chart->setTitle(QStringLiteral("Latency CDF (requests after the warm-up)"));
  chart->legend()->setAlignment(Qt::AlignBottom);
  auto* x = new QLogValueAxis;
  x->setTitleText(QStringLiteral("latency (ms, log scale)"));
  x->setLabelFormat(QStringLiteral("%g"));
  x->setBase(2);  // latencies span a decade or two: ticks at 1, 2, 4, 8 ... ms
  x->setMinorTickCount(1);
  auto* y = new QValueAxis;
  y->setTitleText(QStringLiteral("fraction of requests"));
  y->setRange(0, 1);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  return chart;
}

QBarSeries* bar_series(const QChart* chart) { return static_cast<QBarSeries*>(chart->series().front()); }

// The bar set `name` of `values`, faint for the previous run.
QBarSet* bar_set(const QString& name, const std::vector<double>& values, QColor colour, bool faint) {
  auto* set = new QBarSet(name);
  if (faint) colour.setAlpha(kOverlayAlpha);
  set->setColor(colour);
  set->setBorderColor(colour);
  for (double v : values) set->append(v);
  return set;
}

// `overlay`'s values for `servers` by name (0 for a server it did not have).
std::vector<double> by_name(const run::RunResult& overlay, const std::vector<double>& values,
                            const std::vector<std::string>& servers) {
  std::vector<double> out(servers.size(), 0.0);
  for (std::size_t i = 0; i < servers.size(); ++i)
    for (std::size_t j = 0; j < overlay.servers.size(); ++j)
      if (overlay.servers[j].name == servers[i]) out[i] = values[j];
  return out;
}

double mean_of(const run::RunResult& r, const std::function<double(const run::Sample&)>& f) {
  if (r.series.empty()) return 0;
  double sum = 0;
  for (const run::Sample& s : r.series) sum += f(s);
  return sum / static_cast<double>(r.series.size());
}

using BarValues = std::vector<double> (*)(const run::RunResult&);
constexpr std::array<BarValues, 3> kBarValues{server_requests, mean_activeconns, server_utilization_percent};
const std::array<QString, 3> kBarNames{QStringLiteral("requests"), QStringLiteral("mean activeconns"),
                                       QStringLiteral("utilisation %")};

run::SeriesLayout layout_of(const run::RunResult& r) {
  run::SeriesLayout l;
  for (const run::ServerResult& s : r.servers) l.servers.push_back(s.name);
  for (const run::DirectorResult& d : r.directors) l.directors.push_back(d.name);
  for (const run::LinkResult& k : r.links) l.links.push_back(k.name);
  return l;
}

}  // namespace

std::vector<double> server_requests(const run::RunResult& r) {
  std::vector<double> out;
  for (const run::ServerResult& s : r.servers) out.push_back(static_cast<double>(s.requests));
  return out;
}

std::vector<double> mean_activeconns(const run::RunResult& r) {
  std::vector<double> out;
  for (std::size_t i = 0; i < r.servers.size(); ++i)
    out.push_back(mean_of(r, [i](const run::Sample& s) {
      return i < s.server_activeconns.size() ? static_cast<double>(s.server_activeconns[i]) : 0.0;
    }));
  return out;
}

std::vector<double> server_utilization_percent(const run::RunResult& r) {
  std::vector<double> out;
  for (const run::ServerResult& s : r.servers) out.push_back(s.utilization * 100);
  return out;
}

RunCharts::RunCharts(QObject* parent) : QObject(parent) {
  const QString time = QStringLiteral("simulated time (s)");
  charts_[0] = make_chart(QStringLiteral("Throughput"), time, QStringLiteral("completed requests/s"));
  charts_[1] = make_chart(QStringLiteral("Latency percentiles"), time, QStringLiteral("ms"));
  charts_[2] = make_chart(QStringLiteral("Director CPU"), time, QStringLiteral("busy % of all cores"));
  charts_[3] = make_chart(QStringLiteral("Link utilisation (busiest direction)"), time, QStringLiteral("%"));
  charts_[4] = make_cdf_chart();
  charts_[5] = make_bar_chart(QStringLiteral("Requests per real server"), QStringLiteral("requests"));
  charts_[6] = make_bar_chart(QStringLiteral("activeconns per real server (mean of samples)"),
                              QStringLiteral("activeconns"));
  charts_[7] = make_bar_chart(QStringLiteral("Utilisation per real server"), QStringLiteral("busy workers %"));
  charts_[8] = make_chart(kFailuresTitle, time, QStringLiteral("failed per interval"));
  for (std::size_t i = 0; i < kRunCharts; ++i) {
    views_[i] = make_view(charts_[i]);
    add_export_actions(views_[i]);
  }
  for (QChart* c : time_charts()) connect(c, &QChart::plotAreaChanged, this, [this, c] { fit_x_steps(c); });
  reset_lines({}, nullptr, kPreviousRun);
}

// The x one pixel column of `chart`'s plot area spans (0 before it is laid out).
double RunCharts::x_step(const QChart* chart) {
  const auto* x = qobject_cast<const QValueAxis*>(chart->axes(Qt::Horizontal).value(0));
  const double width = chart->plotArea().width();
  return x != nullptr && width >= 1 ? (x->max() - x->min()) / width : 0;
}

// Each line of `chart` drawn at most four points per pixel column (GapLine::set_x_step()).
void RunCharts::fit_x_steps(const QChart* chart) {
  const double step = x_step(chart);
  for (std::vector<Drawn>* lines : {&lines_, &overlay_lines_})
    for (Drawn& d : *lines)
      if (time_chart(d.chart) == chart) d.line.set_x_step(step);
}

namespace {
QWidget* grid_page(const std::array<QChartView*, kRunCharts>& views, std::size_t first) {
  auto* page = new QWidget;
  auto* grid = new QGridLayout(page);
  grid->setContentsMargins(0, 0, 0, 0);
  for (std::size_t i = 0; i < 4; ++i) grid->addWidget(views[first + i], static_cast<int>(i / 2), static_cast<int>(i % 2));
  return page;
}
}  // namespace

// Three columns: throughput, latency and failures side by side (one story: what completed,
// how fast, what failed), director CPU and the links (often many, a long legend) below.
QWidget* RunCharts::make_time_page() {
  auto* page = new QWidget;
  auto* grid = new QGridLayout(page);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->addWidget(views_[0], 0, 0);
  grid->addWidget(views_[1], 0, 1);
  grid->addWidget(views_[static_cast<std::size_t>(RunChart::Failures)], 0, 2);
  grid->addWidget(views_[2], 1, 0);
  grid->addWidget(views_[3], 1, 1, 1, 2);
  for (int c = 0; c < 3; ++c) grid->setColumnStretch(c, 1);
  return page;
}
QWidget* RunCharts::make_server_page() { return grid_page(views_, 4); }

void RunCharts::begin_run(const run::SeriesLayout& layout, double end_s, double warmup_s,
                          const run::RunResult* overlay, const QString& overlay_label) {
  live_.clear();
  streaming_ = true;
  servers_ = layout.servers;
  warmup_s_ = warmup_s;
  reset_lines(layout, overlay, overlay_label);
  reset_bars(layout.servers, overlay, overlay_label);
  draw_cdf(nullptr, overlay, overlay_label);
  fit_all(end_s);
}

QChart* RunCharts::time_chart(TimeChart c) const {
  return c == TimeChart::Failures ? chart(RunChart::Failures) : charts_[static_cast<std::size_t>(c)];
}

RunCharts::Drawn& RunCharts::add_drawn(std::vector<Drawn>& to, const TimeLine& l, const QString& prefix, bool overlay) {
  GapLine line(time_chart(l.chart), prefix + l.name, line_pen(l.colour, overlay));
  line.set_x_step(x_step(time_chart(l.chart)));
  Drawn& d = to.emplace_back(Drawn{l.chart, std::move(line), l.value});
  // The overlay's lines are dashed and the strip over the charts says what they are: out of
  // the legends, which are too narrow for both runs' names.
  if (overlay) d.line.hide_from_legend();
  return d;
}

// Current lines empty (failure lines come with the first failure of each reason), the
// overlay's filled and added after them, so drawn over them.
void RunCharts::reset_lines(const run::SeriesLayout& layout, const run::RunResult* overlay,
                            const QString& overlay_label) {
  for (const TimeChart c : {TimeChart::Throughput, TimeChart::Latency, TimeChart::DirectorCpu,
                            TimeChart::LinkUtilization, TimeChart::Failures})
    time_chart(c)->removeAllSeries();
  lines_.clear();
  overlay_lines_.clear();
  reason_drawn_.fill(false);
  for (const TimeLine& l : time_lines(layout, warmup_s_, {})) add_drawn(lines_, l, QString(), false);
  chart(RunChart::Failures)->setTitle(kFailuresTitle);
  if (overlay == nullptr) return;
  for (const TimeLine& l : time_lines(layout_of(*overlay), overlay->warmup_s, failure_reasons(overlay->series)))
    add_drawn(overlay_lines_, l, overlay_label + QLatin1Char(' '), true).line.replace(gap_points(*overlay, l.value));
}

// The line of each failure reason, from the first sample that has one: the samples before
// it had none of that reason (0, or a gap in the warm-up).
void RunCharts::add_failure_lines(const run::Sample& s) {
  for (std::size_t k = 0; k < kFailReasons; ++k) {
    if (reason_drawn_[k] || s.failed_by_reason[k] == 0) continue;
    reason_drawn_[k] = true;
    add_drawn(lines_, failure_line(k, warmup_s_), QString(), false);  // filled from the first sample
  }
}

const GapLine* RunCharts::line(RunChart c, const QString& name) const {
  for (const std::vector<Drawn>* lines : {&lines_, &overlay_lines_})
    for (const Drawn& d : *lines)
      if (time_chart(d.chart) == chart(c) && d.line.name() == name) return &d.line;
  return nullptr;
}

// Current bar sets of zeros for `servers`, the overlay's values beside them.
void RunCharts::reset_bars(const std::vector<std::string>& servers, const run::RunResult* overlay,
                           const QString& overlay_label) {
  QStringList categories;
  for (const std::string& s : servers) categories << qs(s);
  for (std::size_t b = 0; b < bars_.size(); ++b) {
    QChart* chart = charts_[5 + b];
    QBarSeries* series = bar_series(chart);
    series->clear();
    bars_[b] = bar_set(kBarNames[b], std::vector<double>(servers.size(), 0.0), palette_colour(b), false);
    series->append(bars_[b]);
    if (overlay != nullptr)
      series->append(bar_set(overlay_label + QLatin1Char(' ') + kBarNames[b],
                             by_name(*overlay, kBarValues[b](*overlay), servers), palette_colour(b), true));
    auto* axis = static_cast<QBarCategoryAxis*>(chart->axes(Qt::Horizontal).front());
    axis->setCategories(categories);
  }
}

void RunCharts::draw_cdf(const run::RunResult* current, const run::RunResult* overlay, const QString& overlay_label) {
  QChart* chart = charts_[4];
  chart->removeAllSeries();
  double lo = 1e300, hi = 0;
  const auto add = [&](const run::RunResult& r, const QString& name, bool faint) {
    QList<QPointF> points;
    for (const Histogram::CdfPoint& p : r.requests.latency.cdf()) {
      if (p.value < kSmallestLatencyS) continue;
      points.append(QPointF(p.value * 1e3, p.fraction));
      lo = std::min(lo, p.value * 1e3);
      hi = std::max(hi, p.value * 1e3);
    }
    add_line(chart, name, palette_colour(4), faint)->replace(points);  // one layout, not one per point
  };
  if (current != nullptr) add(*current, QStringLiteral("latency CDF"), false);
  if (overlay != nullptr) add(*overlay, overlay_label + QStringLiteral(" latency CDF"), true);
  if (hi > 0) chart->axes(Qt::Horizontal).front()->setRange(lo / 1.5, hi * 1.5);
}

void RunCharts::add_sample(const run::Sample& s) { add_samples({s}); }

// Every line gets the samples it lacks in one append_all, so a batch costs one layout of
// each series however many samples it holds (a 2 h run's 7 200 samples appended one by one
// laid out lines of thousands of points thousands of times). The value axes are fitted
// before the points go in: a range change lays out every point of the chart's series again.
void RunCharts::add_samples(const std::vector<run::Sample>& batch) {
  if (batch.empty()) return;
  for (const run::Sample& s : batch) {
    live_.push_back(s);
    add_failure_lines(s);
  }
  std::vector<std::vector<GapPoint>> points(lines_.size());
  std::array<double, 5> top{};
  for (std::size_t c = 0; c < top.size(); ++c) top[c] = series_maxima(time_charts()[c]).y();
  for (std::size_t k = 0; k < lines_.size(); ++k) {
    const Drawn& d = lines_[k];
    for (std::size_t i = d.drawn; i < live_.size(); ++i) {
      const GapPoint p{live_[i].time_s, d.value(live_[i])};
      points[k].push_back(p);
      if (p.y) top[static_cast<std::size_t>(d.chart)] = std::max(top[static_cast<std::size_t>(d.chart)], *p.y);
    }
  }
  for (std::size_t c = 0; c < top.size(); ++c) fit_y(time_charts()[c], top[c]);
  for (std::size_t k = 0; k < lines_.size(); ++k) {
    lines_[k].line.append_all(points[k]);
    lines_[k].drawn = live_.size();
  }
  update_live_bars();
}

// Whether the live lines hold a prefix of `current`'s samples (the failure lines then come
// in failure_reasons()'s order, as show() draws them).
bool RunCharts::streamed(const run::RunResult& current) const {
  if (!streaming_ || live_.size() > current.series.size() || servers_ != layout_of(current).servers ||
      warmup_s_ != current.warmup_s)
    return false;
  for (std::size_t i = 0; i < live_.size(); ++i)
    if (live_[i].time_s != current.series[i].time_s) return false;
  return true;
}

void RunCharts::finish_run(const run::RunResult& current, const run::RunResult* overlay,
                           const QString& overlay_label) {
  if (!streamed(current)) return show(current, overlay, overlay_label);
  add_samples(std::vector<run::Sample>(current.series.begin() + static_cast<std::ptrdiff_t>(live_.size()),
                                       current.series.end()));
  streaming_ = false;
  if (failure_reasons(current.series).empty())
    chart(RunChart::Failures)->setTitle(kFailuresTitle + QStringLiteral(" (none failed)"));
  draw_result_bars(current);
  draw_cdf(&current, overlay, overlay_label);
  fit_all(current.sim_time_s);
}

// The bars of the run so far: requests summed, activeconns and utilisation averaged.
void RunCharts::update_live_bars() {
  const double n = static_cast<double>(live_.size());
  std::array<QList<qreal>, 3> values;
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    double requests = 0, active = 0, busy = 0;
    for (const run::Sample& s : live_) {
      if (i >= s.server_requests.size()) continue;
      requests += static_cast<double>(s.server_requests[i]);
      active += static_cast<double>(s.server_activeconns[i]);
      busy += s.server_utilization[i];
    }
    values[0].append(requests);
    values[1].append(active / n);
    values[2].append(busy / n * 100);
  }
  for (std::size_t b = 0; b < bars_.size(); ++b) set_bars(b, values[b]);
  fit_bars();
}

// The current run's bars of chart `b` (one layout of the chart, not one per value).
void RunCharts::set_bars(std::size_t b, const QList<qreal>& values) {
  bars_[b]->remove(0, bars_[b]->count());
  bars_[b]->append(values);
}

void RunCharts::fit_bars() {
  for (std::size_t b = 0; b < bars_.size(); ++b) {
    double max_y = 0;
    for (QBarSet* set : bar_series(charts_[5 + b])->barSets())
      for (qsizetype i = 0; i < set->count(); ++i) max_y = std::max(max_y, set->at(i));
    fit_y(charts_[5 + b], max_y);
  }
}

// The whole run in one go: each series filled once (appending sample by sample would lay
// the charts out again for every point).
void RunCharts::show(const run::RunResult& current, const run::RunResult* overlay, const QString& overlay_label) {
  streaming_ = false;
  const run::SeriesLayout layout = layout_of(current);
  live_ = current.series;
  servers_ = layout.servers;
  warmup_s_ = current.warmup_s;
  reset_lines(layout, overlay, overlay_label);
  const std::vector<std::size_t> reasons = failure_reasons(current.series);
  for (std::size_t k : reasons) {
    reason_drawn_[k] = true;
    add_drawn(lines_, failure_line(k, warmup_s_), QString(), false);
  }
  for (Drawn& d : lines_) d.line.replace(gap_points(current, d.value));
  if (reasons.empty()) chart(RunChart::Failures)->setTitle(kFailuresTitle + QStringLiteral(" (none failed)"));
  reset_bars(layout.servers, overlay, overlay_label);
  draw_result_bars(current);
  draw_cdf(&current, overlay, overlay_label);
  fit_all(current.sim_time_s);
}

// The current run's bars from its result (the whole run, not the samples' sums).
void RunCharts::draw_result_bars(const run::RunResult& current) {
  for (std::size_t b = 0; b < bars_.size(); ++b) {
    const std::vector<double> values = kBarValues[b](current);
    set_bars(b, QList<qreal>(values.begin(), values.end()));
  }
  fit_bars();
}

std::array<QChart*, 5> RunCharts::time_charts() const {
  return {charts_[0], charts_[1], charts_[2], charts_[3], chart(RunChart::Failures)};
}

void RunCharts::fit_all(double end_s) {
  for (QChart* c : time_charts()) {
    fit_ranges(c, end_s, series_maxima(c).y());
    fit_x_steps(c);
  }
}

}  // namespace lvs::gui
