// MainWindow: the overlay (the previous run, or a baseline the user pinned) and the strip
// over the charts that names it, with the scenario's lesson and validate's warnings.

#include <QAction>

#include "main_window.hpp"
#include "overlay_label.hpp"
#include "run_banner.hpp"
#include "run_charts.hpp"

namespace lvs::gui {

const run::RunResult* MainWindow::overlay_result() const {
  if (baseline_) return &*baseline_;
  return previous_ ? &*previous_ : nullptr;
}

QString MainWindow::overlay_series_label() const {
  return baseline_ ? QStringLiteral("baseline") : kPreviousRun;
}

// Pinning takes the last completed run; the charts redraw at once with the new overlay
// (pinned: the last run over itself, until the next run).
void MainWindow::pin_baseline(bool on) {
  if (on && !last_) {
    pin_->setChecked(false);
    return;
  }
  if (on) {
    baseline_ = last_;
    baseline_spec_ = last_spec_;
  } else {
    baseline_.reset();
  }
  if (pin_->isChecked() != on) pin_->setChecked(on);
  if (!last_ || running()) return;
  charts_->show(*last_, overlay_result(), overlay_series_label());
  show_overlay_caption(overlay_result(), baseline_ ? baseline_spec_ : previous_spec_, last_spec_);
}

void MainWindow::show_overlay_caption(const run::RunResult* overlay, const scenario::ScenarioSpec& overlay_spec,
                                      const scenario::ScenarioSpec& current) {
  banner_->set_overlay(overlay == nullptr ? QString() : overlay_caption(baseline_.has_value(), overlay_spec, current));
}

// Each check of the text: its warnings, and the lesson of its top comment.
void MainWindow::on_checked() {
  banner_->set_warnings(editor_->warnings());
  banner_->set_lesson(editor_->text());
}

}  // namespace lvs::gui
