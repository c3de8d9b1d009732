#include "failover_marks.hpp"

#include <QChart>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QPen>
#include <QValueAxis>

#include <optional>

#include "run/number_text.hpp"

namespace lvs::gui {

namespace {

constexpr double kHitWidth = 7;   // px either side of a line the tooltip answers to
constexpr double kMarksZ = 20;    // above the series
const QString kObjectName = QStringLiteral("failover-marks");  // how a chart's marks are found again

std::string time_or_dash(const std::optional<double>& t) { return t ? run::fixed(*t, 3) + " s" : "-"; }

// The marks of one chart: a QObject child of the chart (found again by type), owning the
// line items it placed on the chart and moving them when the axis or the plot area changes.
class ChartMarks : public QObject {
 public:
  ChartMarks(QChart* chart, std::vector<FailoverMark> marks, const std::vector<run::FailoverResult>& failovers)
      : QObject(chart), chart_(chart), marks_(std::move(marks)) {
    setObjectName(kObjectName);
    for (const FailoverMark& m : marks_) {
      auto* hit = new QGraphicsRectItem(chart);
      hit->setPen(Qt::NoPen);
      hit->setBrush(Qt::transparent);
      hit->setZValue(kMarksZ);
      const run::FailoverResult& f = failovers[m.failover];
      hit->setToolTip(QStringLiteral("%1 at %2 s\n\n%3")
                          .arg(mark_kind_name(m.kind))
                          .arg(m.time_s, 0, 'f', 3)
                          .arg(QString::fromStdString(failover_record_text(f))));
      auto* line = new QGraphicsLineItem(hit);
      QPen pen(failover_mark_colour(m.kind), 1.5, m.kind == FailoverMark::Kind::Failure ? Qt::SolidLine : Qt::DashLine);
      line->setPen(pen);
      items_.push_back(hit);
    }
    connect(chart, &QChart::plotAreaChanged, this, [this] { place(); });
    if (QValueAxis* x = axis()) connect(x, &QValueAxis::rangeChanged, this, [this] { place(); });
    place();
  }
  // Not in the destructor: a chart being destroyed has deleted its child items already.
  void delete_items() {
    for (QGraphicsRectItem* item : items_) delete item;
    items_.clear();
  }
  const std::vector<FailoverMark>& marks() const { return marks_; }

 private:
  QValueAxis* axis() const {
    const auto axes = chart_->axes(Qt::Horizontal);
    return axes.isEmpty() ? nullptr : qobject_cast<QValueAxis*>(axes.front());
  }

  void place() {
    const QValueAxis* x = axis();
    const QRectF plot = chart_->plotArea();
    for (std::size_t i = 0; i < items_.size(); ++i) {
      const double t = marks_[i].time_s;
      const bool shown = x != nullptr && x->max() > x->min() && t >= x->min() && t <= x->max();
      items_[i]->setVisible(shown);
      if (!shown) continue;
      const double px = plot.left() + (t - x->min()) / (x->max() - x->min()) * plot.width();
      items_[i]->setRect(px - kHitWidth, plot.top(), 2 * kHitWidth, plot.height());
      static_cast<QGraphicsLineItem*>(items_[i]->childItems().front())->setLine(px, plot.top(), px, plot.bottom());
    }
  }

  QChart* chart_;
  std::vector<FailoverMark> marks_;
  std::vector<QGraphicsRectItem*> items_;
};

// (No Q_OBJECT, so no qobject_cast: found by name, and only a ChartMarks bears it.)
ChartMarks* marks_of(const QChart* chart) {
  return static_cast<ChartMarks*>(chart->findChild<QObject*>(kObjectName, Qt::FindDirectChildrenOnly));
}

}  // namespace

const char* mark_kind_name(FailoverMark::Kind kind) {
  switch (kind) {
    case FailoverMark::Kind::Failure: return "failure";
    case FailoverMark::Kind::Detection: return "detection";
    case FailoverMark::Kind::Takeover: return "takeover";
    case FailoverMark::Kind::Recovery: return "recovery";
  }
  return "";
}

QColor failover_mark_colour(FailoverMark::Kind kind) {
  switch (kind) {
    case FailoverMark::Kind::Failure: return QColor(0xd6, 0x27, 0x28);
    case FailoverMark::Kind::Detection: return QColor(0xff, 0x7f, 0x0e);
    case FailoverMark::Kind::Takeover: return QColor(0x1f, 0x77, 0xb4);
    case FailoverMark::Kind::Recovery: return QColor(0x2c, 0xa0, 0x2c);
  }
  return Qt::black;
}

std::vector<FailoverMark> failover_marks(const std::vector<run::FailoverResult>& failovers) {
  std::vector<FailoverMark> out;
  for (std::size_t i = 0; i < failovers.size(); ++i) {
    const run::FailoverResult& f = failovers[i];
    out.push_back({FailoverMark::Kind::Failure, f.at_s, i});
    if (f.detected_s) out.push_back({FailoverMark::Kind::Detection, *f.detected_s, i});
    if (f.traffic_moved_s) out.push_back({FailoverMark::Kind::Takeover, *f.traffic_moved_s, i});
    if (f.recovered_s) out.push_back({FailoverMark::Kind::Recovery, *f.recovered_s, i});
  }
  return out;
}

std::string failover_record_text(const run::FailoverResult& f) {
  std::string text = f.cause + " of " + f.component + " at " + run::fixed(f.at_s, 3) + " s\n";
  text += "detected " + time_or_dash(f.detected_s);
  if (!f.detected_by.empty()) text += " (" + f.detected_by + ")";
  text += "\ntraffic moved " + time_or_dash(f.traffic_moved_s) + "\nrecovered " + time_or_dash(f.recovered_s) + "\n";
  text += std::to_string(f.requests_failed) + " requests failed, " + std::to_string(f.requests_delayed) +
          " delayed (issued from the failure until traffic moved; delayed: completed in more than " +
          run::fixed(run::kDelayedRequest_s, 0) + " s)";
  return text;
}

void mark_failovers(QChart* chart, const run::RunResult& r) {
  clear_failover_marks(chart);
  if (!r.failovers.empty()) new ChartMarks(chart, failover_marks(r.failovers), r.failovers);
}

void clear_failover_marks(QChart* chart) {
  ChartMarks* marks = marks_of(chart);
  if (marks == nullptr) return;
  marks->delete_items();
  delete marks;
}

std::vector<FailoverMark> marks_on(const QChart* chart) {
  const ChartMarks* marks = marks_of(chart);
  return marks == nullptr ? std::vector<FailoverMark>{} : marks->marks();
}

}  // namespace lvs::gui
