#pragma once
// The Timeline tab: the control plane of the last run as state lanes over simulated time
// (timeline_lanes.hpp: which director is VRRP master, each director, each real server up,
// down, removed or at weight 0, each storage host, each link that went down), a tick on its
// lane for every record of keepalived's log (hover: the record as the summary prints it),
// the failovers as vertical lines across the lanes (hover: the failover record), and below,
// the requests that failed in each sample interval by reason (Sample::failed_by_reason, the
// CSV's failed_* columns) with the same failover lines, on the same time axis: the lanes
// follow the chart's plot area.

#include <QGraphicsView>
#include <QWidget>

#include <cstddef>
#include <optional>
#include <vector>

#include "run/results.hpp"
#include "scenario/scenario_spec.hpp"
#include "timeline_lanes.hpp"

class QChart;
class QChartView;
class QLabel;

namespace lvs::gui {

/// The lanes drawn to the view's width (redrawn when it is resized).
class LanesView : public QGraphicsView {
 public:
  /// Item data keys: what an item is ("span", "mark", "failover") and its index (the span's
  /// lane, the mark's RunResult::timeline entry, the failover's RunResult::failovers index).
  static constexpr int kWhatKey = 0, kIndexKey = 1;

  explicit LanesView(QWidget* parent = nullptr);
  void set_lanes(std::vector<Lane> lanes, std::vector<run::FailoverResult> failovers, double end_s);
  /// Draws time 0 at `x0` and the run's end `width` pixels further (the chart's plot area
  /// below), instead of filling the view.
  void set_axis(double x0, double width);
  /// Pixels from the view's left edge to time 0.
  double time_origin() const;
  const std::vector<Lane>& lanes() const { return lanes_; }

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  void redraw();
  void draw_lane(std::size_t i, double top, double x0, double scale);
  void draw_marks(const Lane& lane, double top, double x0, double scale);
  void draw_axis(double top, double x0, double scale);
  void draw_failovers(double bottom, double x0, double scale);

  std::vector<Lane> lanes_;
  std::vector<run::FailoverResult> failovers_;
  double end_s_ = 0;
  double axis_x0_ = 0, axis_width_ = 0;  // 0 wide: fill the view
};

class TimelinePanel : public QWidget {
  Q_OBJECT

 public:
  explicit TimelinePanel(QWidget* parent = nullptr);

  /// Shows run `r` of `spec` (the spec the run was made from).
  void show_result(const run::RunResult& r, const scenario::ScenarioSpec& spec);
  /// Empties the tab (a new run is on its way).
  void clear();

  LanesView* lanes_view() const { return lanes_; }
  QChart* failures_chart() const { return failures_; }
  /// The sentence above the lanes: what the run's control plane did, or why there is nothing.
  QString summary_text() const;

 private:
  void draw_failures(const run::RunResult& r);

  QLabel* summary_ = nullptr;
  LanesView* lanes_ = nullptr;
  QChart* failures_ = nullptr;
  QChartView* failures_view_ = nullptr;
};

}  // namespace lvs::gui
