// MainWindow: closing asks before unsaved edits of the scenario text are lost.

#include <QCloseEvent>
#include <QMessageBox>

#include "main_window.hpp"
#include "scenario_editor.hpp"

namespace lvs::gui {

namespace {

QMessageBox::StandardButton ask_with_message_box(QWidget* parent) {
  return QMessageBox::question(parent, QStringLiteral("lvslab"),
                               QStringLiteral("The scenario has unsaved changes (edits in the text or the what-if "
                                              "controls). Save them first?"),
                               QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
}

}  // namespace

bool MainWindow::may_discard_edits() {
  if (!editor_->modified()) return true;
  const QMessageBox::StandardButton answer =
      unsaved_question_ ? unsaved_question_(this) : ask_with_message_box(this);
  if (answer == QMessageBox::Discard) return true;
  if (answer == QMessageBox::Save) return save();  // a failed save keeps the window (the error in the status)
  return false;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!may_discard_edits()) {
    event->ignore();
    return;
  }
  event->accept();
}

}  // namespace lvs::gui
