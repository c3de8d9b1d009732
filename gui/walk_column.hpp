#pragma once
// One column of the packet walk panel: a forwarding mode's walk of the request. Its title
// (the mode and the file walked, with the note when the mode ran on a bundled example
// instead of the user's scenario), the comparison line (the TraceSummary numbers) and the
// hop list, one line per row of the trace, the current hop selected. Folded (the lesson),
// each run of consecutive ARP rows is one line, expandable to its rows.

#include <QFrame>
#include <QString>

#include <optional>
#include <string>
#include <vector>

#include "trace_worker.hpp"

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace lvs::gui {

class WalkColumn : public QFrame {
  Q_OBJECT

 public:
  /// An empty column for `mode` ("nat", "dr", ...).
  explicit WalkColumn(const QString& mode, QWidget* parent = nullptr);

  /// Shows `w`; `user_file` is the user's scenario file (a walk elsewhere shows its note);
  /// `fold`: each run of consecutive ARP rows one line, expandable.
  void set_walk(const ModeWalk& w, const std::string& user_file, bool fold = false);
  /// Back to "not traced", with `message` in place of the hops.
  void clear(const QString& message);
  /// Selects hop `i` (0-based; in a folded run, the run's line) and scrolls to it; -1 selects none.
  void set_current(int i);
  /// The rows the visible lines start at, top to bottom (a folded run: its first row only).
  std::vector<int> visible_rows() const;
  /// Lines in the hop list, folded runs counting one (their rows when expanded).
  int line_count() const;
  /// The line of run `k` of ARP rows (nullptr if none): expand it to see its rows.
  QTreeWidgetItem* arp_line(int k) const;
  /// Draws the column as the active one (or not).
  void set_active(bool active);
  /// Hops listed (every row, folded or not).
  int hop_count() const { return static_cast<int>(items_.size()); }

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
  bool noted_ = false;  // the note says how this column's scenario differs from the user's
  std::vector<QTreeWidgetItem*> items_;  // row -> its line (a folded run's rows: its children)
  std::vector<QTreeWidgetItem*> runs_;   // the folded runs' lines
};

}  // namespace lvs::gui
