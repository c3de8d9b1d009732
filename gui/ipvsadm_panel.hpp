#pragma once
// The "ipvsadm" tab: the last run's director tables as ipvsadm prints them, read-only, one
// view at a time (a combo of the views, and one of the directors when there are several).
// The texts are made by the run itself on the worker thread (run::RunOptions::ipvsadm, the
// writers of sim/lvs/ipvsadm_*), at the end of the run; the panel shows copies and never
// touches an engine object.

#include <QWidget>

#include <string>
#include <vector>

#include "run/results.hpp"

class QComboBox;
class QPlainTextEdit;

namespace lvs::gui {

/// The ipvsadm arguments of the views every GUI run asks for, in the combo's order.
const std::vector<std::string>& ipvsadm_panel_views();

class IpvsadmPanel : public QWidget {
  Q_OBJECT

 public:
  explicit IpvsadmPanel(QWidget* parent = nullptr);

  /// Shows the views of `r`, keeping the chosen view and director where they still exist.
  void show_result(const run::RunResult& r);
  QComboBox* view_combo() const { return view_; }
  QComboBox* director_combo() const { return director_; }
  /// The text shown: ipvsadm's output for the chosen view and director ("" before a run).
  QString text() const;

 private:
  void refresh();

  std::vector<run::IpvsadmSnapshot> views_;
  QComboBox* view_;
  QComboBox* director_;
  QPlainTextEdit* text_;
};

}  // namespace lvs::gui
