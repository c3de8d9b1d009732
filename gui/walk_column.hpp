#pragma once
// One column of the packet walk panel: a forwarding mode's walk of the request. Its title
// (the mode and the file walked, with the note when the mode ran on a bundled example
// instead of the user's scenario), the comparison line (the TraceSummary numbers) and the
// hop list, one line per row of the trace, the current hop selected.

#include <QFrame>
#include <QString>

#include <optional>
#include <string>

#include "trace_worker.hpp"

class QLabel;
class QTreeWidget;

namespace lvs::gui {

class WalkColumn : public QFrame {
  Q_OBJECT

 public:
  /// An empty column for `mode` ("nat", "dr", ...).
  explicit WalkColumn(const QString& mode, QWidget* parent = nullptr);

  /// Shows `w`; `user_file` is the user's scenario file (a walk elsewhere shows its note).
  void set_walk(const ModeWalk& w, const std::string& user_file);
  /// Back to "not traced", with `message` in place of the hops.
  void clear(const QString& message);
  /// Selects hop `i` (0-based) and scrolls to it; -1 selects none.
  void set_current(int i);
  /// Draws the column as the active one (or not).
  void set_active(bool active);
  /// Hops listed.
  int hop_count() const;

  /// The hop list (keys reach the panel through an event filter).
  QTreeWidget* hops() const { return hops_; }
  /// The comparison line shown.
  QString summary_text() const;
  /// The title, and the note when it is shown.
  QString title_text() const;

 signals:
  /// The user clicked the column or one of its hops.
  void activated();
  /// The user picked hop `i` in the list (click or arrow keys).
  void hop_picked(int i);

 protected:
  void mousePressEvent(QMouseEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QString mode_;
  QLabel* title_;
  QLabel* note_;
  QLabel* summary_;
  QTreeWidget* hops_;
};

}  // namespace lvs::gui
