#include "timeline_panel.hpp"

#include <QChart>
#include <QChartView>
#include <QFontMetricsF>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QLabel>
#include <QLineSeries>
#include <QPen>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "chart_kit.hpp"
#include "failover_marks.hpp"
#include "run/number_text.hpp"
#include "run_lines.hpp"

namespace lvs::gui {

namespace {

constexpr double kLabelWidth = 130;  // px: the lane titles' column
constexpr double kLaneHeight = 20, kLaneGap = 6, kMarkHeight = 6, kMarkHit = 3, kMargin = 8, kAxisHeight = 24;
constexpr int kMinLanesHeight = 120, kMaxLanesHeight = 420;  // px

QString qs(const std::string& s) { return QString::fromStdString(s); }

// One colour per state; a master lane's director in the palette colour the charts give it.
QColor state_colour(const Lane& lane, const std::string& state, const std::vector<std::string>& directors) {
  if (state == "up") return QColor(0xa6, 0xd8, 0xa0);
  if (state == "down" || state == "FAULT" || state == "none") return QColor(0xe1, 0x57, 0x59);
  if (state == "stopped") return QColor(0xf2, 0x8e, 0x2b);
  if (state == "removed") return QColor(0xba, 0xb0, 0xac);
  if (state == "weight 0") return QColor(0xed, 0xc9, 0x48);
  if (state == "MASTER") return QColor(0x4e, 0x79, 0xa7);
  if (state == "BACKUP") return QColor(0xa0, 0xcb, 0xe8);
  if (lane.kind == Lane::Kind::Master) {
    const auto it = std::find(directors.begin(), directors.end(), state);
    if (it != directors.end()) return palette_colour(static_cast<std::size_t>(it - directors.begin()));
    return QColor(0xb0, 0x7a, 0xa1);  // two masters: split brain
  }
  return QColor(0xd3, 0xd3, 0xd3);
}

std::vector<std::string> director_names(const std::vector<Lane>& lanes) {
  std::vector<std::string> out;
  for (const Lane& l : lanes)
    if (l.kind == Lane::Kind::Director) out.push_back(l.name);
  return out;
}

}  // namespace

LanesView::LanesView(QWidget* parent) : QGraphicsView(parent) {
  setScene(new QGraphicsScene(this));
  setRenderHint(QPainter::Antialiasing);
  setAlignment(Qt::AlignLeft | Qt::AlignTop);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setFixedHeight(kMinLanesHeight);
}

void LanesView::set_lanes(std::vector<Lane> lanes, std::vector<run::FailoverResult> failovers, double end_s) {
  lanes_ = std::move(lanes);
  failovers_ = std::move(failovers);
  end_s_ = end_s;
  // As tall as its lanes and axis (the chart below takes the rest), scrolling past a dozen.
  const int lanes_height = static_cast<int>(lanes_.size() * (kLaneHeight + kLaneGap) + 2 * kMargin + kAxisHeight);
  setFixedHeight(std::clamp(lanes_height + 2 * frameWidth(), kMinLanesHeight, kMaxLanesHeight));
  redraw();
}

void LanesView::resizeEvent(QResizeEvent* event) {
  QGraphicsView::resizeEvent(event);
  redraw();
}

// Everything at the view's width: x0 is where time 0 is, `scale` pixels per second.
void LanesView::redraw() {
  scene()->clear();
  if (lanes_.empty() || end_s_ <= 0) return;
  const double x0 = time_origin();
  const double width = axis_width_ > 0 ? axis_width_ : std::max(200.0, viewport()->width() - kLabelWidth - 2 * kMargin);
  const double scale = width / end_s_;
  double top = kMargin;
  for (std::size_t i = 0; i < lanes_.size(); ++i, top += kLaneHeight + kLaneGap) draw_lane(i, top, x0, scale);
  draw_failovers(top, x0, scale);
  draw_axis(top, x0, scale);
  // From the view's left edge, so that x0 is where the chart's plot area starts below.
  const QRectF drawn = scene()->itemsBoundingRect();
  scene()->setSceneRect(QRectF(0, 0, std::max<double>(drawn.right(), viewport()->width()), drawn.bottom() + kMargin));
}

void LanesView::set_axis(double x0, double width) {
  if (x0 == axis_x0_ && width == axis_width_) return;
  axis_x0_ = x0;
  axis_width_ = width;
  redraw();
}

double LanesView::time_origin() const { return axis_width_ > 0 ? axis_x0_ : kLabelWidth + kMargin; }

void LanesView::draw_lane(std::size_t i, double top, double x0, double scale) {
  const Lane& lane = lanes_[i];
  auto* title = scene()->addSimpleText(qs(lane.title));
  const QFontMetricsF metrics(title->font());
  title->setPos(kMargin, top + (kLaneHeight - metrics.height()) / 2);
  title->setToolTip(qs(lane.title));
  const std::vector<std::string> directors = director_names(lanes_);
  for (const LaneSpan& s : lane.spans) {
    if (lane.kind == Lane::Kind::Other) break;  // no state: only its records' ticks
    const QRectF box(x0 + s.from_s * scale, top, std::max(1.0, (s.to_s - s.from_s) * scale), kLaneHeight);
    auto* rect = scene()->addRect(box, Qt::NoPen, state_colour(lane, s.state, directors));
    rect->setData(kWhatKey, QStringLiteral("span"));
    rect->setData(kIndexKey, static_cast<qulonglong>(i));
    rect->setToolTip(QStringLiteral("%1: %2 from %3 s to %4 s%5")
                         .arg(qs(lane.name), qs(s.state))
                         .arg(s.from_s, 0, 'f', 3)
                         .arg(s.to_s, 0, 'f', 3)
                         .arg(s.why.empty() ? QString() : QStringLiteral("\n") + qs(s.why)));
    const QString label = qs(s.state);
    if (metrics.horizontalAdvance(label) + 6 < box.width()) {
      auto* text = new QGraphicsSimpleTextItem(label, rect);  // the span's tooltip answers over it too
      text->setBrush(s.state == "MASTER" || lane.kind == Lane::Kind::Master ? Qt::white : Qt::black);
      text->setPos(box.left() + 3, top + (kLaneHeight - metrics.height()) / 2);
    }
  }
  draw_marks(lane, top, x0, scale);
}

// A tick at the lane's top edge for each of its records, the record on hover.
void LanesView::draw_marks(const Lane& lane, double top, double x0, double scale) {
  for (const LaneMark& m : lane.marks) {
    const double x = x0 + m.time_s * scale;
    auto* hit = scene()->addRect(QRectF(x - kMarkHit, top - 1, 2 * kMarkHit, kMarkHeight + 2), Qt::NoPen, Qt::NoBrush);
    hit->setData(kWhatKey, QStringLiteral("mark"));
    hit->setData(kIndexKey, static_cast<qulonglong>(m.entry));
    hit->setZValue(2);
    hit->setToolTip(qs(m.text));
    auto* tick = new QGraphicsLineItem(x, top - 1, x, top + kMarkHeight, hit);
    tick->setPen(QPen(QColor(0x33, 0x33, 0x33), 1));
  }
}

// Each failover's moments as lines across every lane, the record on hover.
void LanesView::draw_failovers(double bottom, double x0, double scale) {
  for (const FailoverMark& m : failover_marks(failovers_)) {
    const double x = x0 + m.time_s * scale;
    auto* hit = scene()->addRect(QRectF(x - kMarkHit, kMargin, 2 * kMarkHit, bottom - kMargin), Qt::NoPen, Qt::NoBrush);
    hit->setData(kWhatKey, QStringLiteral("failover"));
    hit->setData(kIndexKey, static_cast<qulonglong>(m.failover));
    hit->setZValue(1);
    hit->setToolTip(QStringLiteral("%1 at %2 s\n\n%3")
                        .arg(mark_kind_name(m.kind))
                        .arg(m.time_s, 0, 'f', 3)
                        .arg(qs(failover_record_text(failovers_[m.failover]))));
    auto* line = new QGraphicsLineItem(x, kMargin - 2, x, bottom - kLaneGap + 2, hit);
    line->setPen(QPen(failover_mark_colour(m.kind), 1.5, m.kind == FailoverMark::Kind::Failure ? Qt::SolidLine : Qt::DashLine));
  }
}

// A time axis under the lanes: round ticks (chart_kit's nice_top) from 0 to the run's end.
void LanesView::draw_axis(double top, double x0, double scale) {
  scene()->addLine(x0, top, x0 + end_s_ * scale, top, QPen(Qt::gray));
  const auto [nice, ticks] = nice_top(end_s_);
  const double step = nice / (ticks - 1);  // `ticks` counts both ends
  for (int k = 0; k * step <= end_s_ + 1e-9; ++k) {
    const double x = x0 + k * step * scale;
    scene()->addLine(x, top, x, top + 4, QPen(Qt::gray));
    auto* label = scene()->addSimpleText(QString::number(k * step, 'g', 6));
    label->setPos(x - label->boundingRect().width() / 2, top + 5);
  }
  auto* title = scene()->addSimpleText(QStringLiteral("simulated time (s)"));
  title->setPos(kMargin, top + 5);
}

TimelinePanel::TimelinePanel(QWidget* parent) : QWidget(parent) {
  summary_ = new QLabel;
  summary_->setWordWrap(true);
  lanes_ = new LanesView;
  failures_ = make_chart(QStringLiteral("Failed requests by reason (per sample interval)"),
                         QStringLiteral("simulated time (s)"), QStringLiteral("requests failed"));
  failures_->legend()->setAlignment(Qt::AlignRight);
  failures_view_ = make_view(failures_, 200);
  // The lanes' time axis is the chart's: its plot area, moved right past the lane titles.
  connect(failures_, &QChart::plotAreaChanged, this, [this](const QRectF& plot) {
    const double need = kLabelWidth + kMargin;
    if (plot.left() + 0.5 < need) {
      QMargins m = failures_->margins();
      m.setLeft(m.left() + static_cast<int>(std::ceil(need - plot.left())));
      failures_->setMargins(m);  // lays the chart out again: plotAreaChanged comes back
      return;
    }
    lanes_->set_axis(plot.left(), plot.width());
  });
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(summary_);
  layout->addWidget(lanes_);
  layout->addWidget(failures_view_, 1);
  clear();
}

void TimelinePanel::clear() {
  summary_->setText(QStringLiteral("The timeline of the last run appears here when it ends."));
  lanes_->set_lanes({}, {}, 0);
  failures_->removeAllSeries();
  clear_failover_marks(failures_);
}

QString TimelinePanel::summary_text() const { return summary_->text(); }

void TimelinePanel::show_result(const run::RunResult& r, const scenario::ScenarioSpec& spec) {
  std::vector<Lane> lanes = timeline_lanes(r, spec);
  summary_->setText(
      r.control_plane
          ? QStringLiteral("keepalived's log: %1 records (a tick each on its lane); failovers: %2 (vertical lines: "
                           "failure red, detection orange, takeover blue, recovery green). Hover for the record.")
                .arg(r.timeline.size())
                .arg(r.failovers.size())
          : QStringLiteral("No control plane in this scenario (no failures, health checks or VRRP): every component "
                           "stays up. Inject a failure from the what-if panel to see one."));
  lanes_->set_lanes(std::move(lanes), r.failovers, r.sim_time_s);
  draw_failures(r);
}

// One line per reason that failed a request anywhere in the run, as the Over time page's
// failures chart draws it (run_lines: the same names, colours and warm-up gap).
void TimelinePanel::draw_failures(const run::RunResult& r) {
  failures_->removeAllSeries();
  double max_y = 0;
  std::vector<std::pair<TimeLine, QList<QPointF>>> lines;
  for (std::size_t k : failure_reasons(r.series)) {
    auto& [line, points] = lines.emplace_back(failure_line(k, r.warmup_s), QList<QPointF>{});
    for (const run::Sample& s : r.series)
      if (const std::optional<double> y = line.value(s)) {
        points.append(QPointF(s.time_s, *y));
        max_y = std::max(max_y, *y);
      }
  }
  failures_->setTitle(max_y > 0 ? QStringLiteral("Failed requests by reason (per sample interval)")
                                : QStringLiteral("Failed requests by reason (per sample interval): none failed"));
  // The axes first: a range change lays out every point of the chart's series again (a 2 h
  // run's three lines of 7 200 points: 14 ms).
  fit_ranges(failures_, r.sim_time_s, max_y);
  for (const auto& [line, points] : lines) add_line(failures_, line.name, line.colour)->replace(points);
  mark_failovers(failures_, r);
}

}  // namespace lvs::gui
