#pragma once
// The what-if view of the M/M/c model: response-time mean, p50 and p99 against
// utilisation for a chosen number of real servers and mean service time.

#include <QMainWindow>

class QChart;
class QSpinBox;
class QDoubleSpinBox;
class QLabel;

namespace lvs::gui {

class TheoryWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit TheoryWindow(QWidget* parent = nullptr);
  /// Sets the what-if inputs and redraws.
  void set_inputs(int servers, double service_time_ms);
  /// The chart, for tests and export.
  const QChart* chart() const { return chart_; }

 private slots:
  void redraw();

 private:
  QSpinBox* servers_;
  QDoubleSpinBox* service_ms_;
  QChart* chart_;
  QLabel* status_;
};

}  // namespace lvs::gui
