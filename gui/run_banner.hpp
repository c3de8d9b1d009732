#pragma once
// The strip at the top of the "Over time" page: what the user must know before reading the
// charts. The lesson of a bundled lesson file (its top comment, which otherwise shows only
// in the Scenario tab's text), validate's warnings (otherwise only under the editor), and
// what the dashed overlay is ("previous run: scheduler=rr") with the Pin as baseline button.
// Each line is hidden when it has nothing to say.

#include <QString>
#include <QStringList>
#include <QWidget>

class QAction;
class QLabel;
class QToolButton;

namespace lvs::gui {

/// The lesson of a scenario file's text: the first paragraph of its top comment when that
/// starts "# Lesson:", the '#'s and line breaks taken out; "" for a file that is no lesson.
QString lesson_of(const QString& scenario_text);

class RunBanner : public QWidget {
  Q_OBJECT

 public:
  /// `pin` is the window's Pin as baseline action, shown as a button beside the overlay line.
  explicit RunBanner(QAction* pin, QWidget* parent = nullptr);

  /// Shows lesson_of(`scenario_text`) (first sentence, the rest on "more").
  void set_lesson(const QString& scenario_text);
  /// Shows validate's warnings ("LINE:COL: KEY: message" each): the first, and how many more.
  void set_warnings(const QStringList& warnings);
  /// Shows what the overlay is ("" hides the line; the button stays while a run is pinned).
  void set_overlay(const QString& caption);

  const QString& lesson() const { return lesson_; }
  QString lesson_shown() const;
  QString warnings_shown() const;
  QString overlay_shown() const;

 private:
  void show_lesson(bool full);

  QString lesson_;
  QLabel* lesson_label_;
  QLabel* warnings_label_;
  QLabel* overlay_label_;
  QToolButton* pin_button_;
};

}  // namespace lvs::gui
