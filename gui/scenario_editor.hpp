#pragma once
// The scenario editor: the YAML text of a scenario in a monospace editor with line numbers,
// read and validated again 300 ms after each change (the same reader and checks as `lvslab
// run`), the first error highlighted on its line and spelled out under the text, warnings
// listed in grey. The what-if controls edit the scenario through apply_text(), which changes
// only the characters that differ, so the change is visible and Ctrl+Z undoes it.

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <string>
#include <vector>

#include "scenario/scenario_spec.hpp"

class QLabel;
class QPlainTextEdit;
class QTimer;

Q_DECLARE_METATYPE(lvs::scenario::ScenarioSpec)

namespace lvs::gui {

class CodeEdit;

class ScenarioEditor : public QWidget {
  Q_OBJECT

 public:
  explicit ScenarioEditor(QWidget* parent = nullptr);

  /// Reads the file at `path` into the editor (undo history cleared); false, with the reason
  /// shown as the error, if it cannot be read.
  bool load_file(const QString& path);
  /// Writes the text to `path` exactly (UTF-8, as text() gives it) and makes it the file;
  /// false, with the reason shown as the error, if it cannot be written.
  bool save(const QString& path);
  /// The file loaded or saved last; "" if none.
  const QString& file_path() const { return file_path_; }
  /// Whether the text differs from the last load or save.
  bool modified() const;

  /// The text as the editor holds it.
  QString text() const;
  /// Replaces the whole text (undo history cleared); it is checked after the debounce.
  void set_text(const QString& text);
  /// Replaces the text by editing only the range that differs (common prefix and suffix
  /// kept), as one undoable step.
  void apply_text(const QString& new_text);
  /// apply_text() for UTF-8 text.
  void apply_text(const std::string& new_text);

  /// The command line's --set KEY=VALUE list, applied whenever the text is read.
  void set_overrides(std::vector<std::string> overrides);
  /// Reads and validates the text now (otherwise done 300 ms after the last change).
  void check_now();

  /// The error shown under the editor, "LINE:COL: KEY.PATH: message"; "" if none.
  QString error_text() const;
  /// The 1-based line of the error; 0 if none or if it has no line (a --set, an unreadable file).
  int error_line() const { return error_line_; }
  /// The warnings listed under the editor, "LINE:COL: KEY.PATH: message" each.
  const QStringList& warnings() const { return warnings_; }
  /// The text editor itself.
  QPlainTextEdit* editor() const;
  /// Milliseconds from the last change to the check.
  static constexpr int kDebounceMs = 300;

 signals:
  /// The text was read and validated without error (warnings allowed).
  void spec_changed(lvs::scenario::ScenarioSpec spec);
  /// The text could not be read or has an error: `error` as error_text() gives it.
  void spec_invalid(const QString& error);
  /// modified() changed.
  void modification_changed(bool modified);
  /// A check finished, after spec_changed or spec_invalid.
  void checked();

 private:
  void on_contents_changed();
  void show_error(const QString& message, int line, int column);
  void show_warnings(const QStringList& warnings);
  void highlight(int line, int column);
  std::string file_name() const;

  CodeEdit* edit_ = nullptr;
  QLabel* error_ = nullptr;
  QLabel* warnings_label_ = nullptr;
  QTimer* debounce_ = nullptr;
  QString file_path_;
  QString saved_text_;  // the text at the last load or save
  bool was_modified_ = false;
  std::vector<std::string> overrides_;
  int error_line_ = 0;
  QStringList warnings_;
};

}  // namespace lvs::gui
