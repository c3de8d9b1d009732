// Quit asks before unsaved edits are lost (the question answered by the test: no modal
// dialog offscreen); the Help menu holds the README's sections.

#include <catch2/catch.hpp>

#include <QAction>
#include <QComboBox>
#include <QDialog>
#include <QFile>
#include <QMenu>
#include <QMenuBar>
#include <QTemporaryDir>
#include <QTextBrowser>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gui_fixture.hpp"
#include "main_window.hpp"
#include "readme_help.hpp"
#include "scenario_editor.hpp"

namespace {

using lvs::gui::MainWindow;
using lvs::test::app;
using lvs::test::scenario_path;

std::string source_readme() {
  std::ifstream in(std::filesystem::path(LVSLAB_SOURCE_DIR) / "README.md", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A window over a copy of nat-basic.yaml (saving must not touch the bundled file), with the
// quit question answered `answer` and counted in `asked`.
struct Window {
  QTemporaryDir dir;
  QString path = dir.filePath(QStringLiteral("nat-basic.yaml"));
  std::unique_ptr<MainWindow> w;
  int asked = 0;

  explicit Window(QMessageBox::StandardButton answer) {
    QFile::copy(QString::fromStdString(scenario_path("nat-basic.yaml")), path);
    w = std::make_unique<MainWindow>(path.toStdString());
    w->set_unsaved_question([this, answer](QWidget*) {
      ++asked;
      return answer;
    });
    w->show();
  }
};

}  // namespace

TEST_CASE("quit: no question without edits, with edits Cancel keeps the window and Discard closes", "[gui][quit]") {
  app();
  {
    Window unedited(QMessageBox::Cancel);
    REQUIRE(unedited.w->loaded());
    CHECK(unedited.w->close());
    CHECK(unedited.asked == 0);
  }
  {
    Window cancel(QMessageBox::Cancel);
    cancel.w->scheduler_combo()->setCurrentText(QStringLiteral("wlc"));  // a what-if edit is an edit of the text
    REQUIRE(cancel.w->editor()->modified());
    CHECK_FALSE(cancel.w->close());
    CHECK(cancel.asked == 1);
    CHECK(cancel.w->isVisible());
    cancel.w->cancel();
  }
  {
    Window discard(QMessageBox::Discard);
    discard.w->scheduler_combo()->setCurrentText(QStringLiteral("wlc"));
    CHECK(discard.w->close());
    CHECK(discard.asked == 1);
    QFile file(discard.path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    CHECK_FALSE(file.readAll().contains("scheduler: wlc"));  // discarded: the file as it was
    discard.w->cancel();
  }
}

TEST_CASE("quit: Save writes the edits, then closes", "[gui][quit]") {
  app();
  Window save(QMessageBox::Save);
  save.w->scheduler_combo()->setCurrentText(QStringLiteral("wlc"));
  CHECK(save.w->close());
  CHECK(save.asked == 1);
  QFile file(save.path);
  REQUIRE(file.open(QIODevice::ReadOnly));
  CHECK(file.readAll().contains("scheduler: wlc"));
  CHECK_FALSE(save.w->editor()->modified());
  save.w->cancel();
}

TEST_CASE("help: the README built in is the source's, and the Help menu has each of its sections", "[gui][help]") {
  app();
  const QString readme = lvs::gui::built_in_readme();
  REQUIRE(readme.toStdString() == source_readme());
  // Every "## " and "### " heading outside code blocks, counted here line by line.
  int headings = 0;
  bool code = false;
  std::istringstream lines(source_readme());
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("```", 0) == 0) code = !code;
    if (!code && (line.rfind("## ", 0) == 0 || line.rfind("### ", 0) == 0)) ++headings;
  }
  const auto sections = lvs::gui::readme_sections(readme);
  REQUIRE(static_cast<int>(sections.size()) == headings);
  REQUIRE(headings > 5);
  CHECK(sections.front().level == 2);
  CHECK(sections.front().markdown.startsWith(QStringLiteral("## ") + sections.front().title + "\n"));
  for (const auto& s : sections) CHECK_FALSE(s.title.startsWith(QStringLiteral("include")));  // not "#include"

  MainWindow w;
  QMenu* help = nullptr;
  for (QAction* a : w.menuBar()->actions())
    if (a->text() == QStringLiteral("&Help")) help = a->menu();
  REQUIRE(help != nullptr);
  int items = 0;
  QAction* first_sub = nullptr;
  for (QAction* a : help->actions())
    if (a->menu() != nullptr) {
      items += static_cast<int>(a->menu()->actions().size());
      if (first_sub == nullptr) first_sub = a->menu()->actions().value(1);
    }
  CHECK(items == headings);
  REQUIRE(first_sub != nullptr);  // the first "### " section of the first "## " one
  first_sub->trigger();
  QDialog* dialog = w.findChild<QDialog*>();
  REQUIRE(dialog != nullptr);
  CHECK(dialog->windowTitle().endsWith(sections[1].title));
  CHECK(dialog->findChild<QTextBrowser*>()->toPlainText().contains(sections[1].title));
  dialog->close();
}
