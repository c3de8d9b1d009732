#include <catch2/catch.hpp>

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QTextCursor>
#include <QTimer>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "gui_fixture.hpp"
#include "scenario/scenario_text.hpp"
#include "scenario_editor.hpp"

namespace {

using lvs::gui::ScenarioEditor;
using lvs::test::app;

constexpr int kTimeoutMs = 10000;  // wall time allowed for one check; a check takes milliseconds

QString nat_basic() { return QStringLiteral(LVSLAB_SOURCE_DIR "/scenarios/nat-basic.yaml"); }

QString file_text(const QString& path) {
  QFile file(path);
  REQUIRE(file.open(QIODevice::ReadOnly));
  return QString::fromUtf8(file.readAll());
}

// Runs the event loop until the editor's next check (its debounce timer) or the timeout; true if it checked.
bool wait_for_check(const ScenarioEditor& editor) {
  QEventLoop loop;
  bool fired = false;
  QObject::connect(&editor, &ScenarioEditor::checked, &loop, [&] {
    fired = true;
    loop.quit();
  });
  QTimer::singleShot(kTimeoutMs, &loop, &QEventLoop::quit);
  loop.exec();
  return fired;
}

// Replaces the first `from` after `after` in the editor, as typing would.
void type_over(ScenarioEditor& editor, const QString& after, const QString& from, const QString& to) {
  const QString text = editor.text();
  const qsizetype at = text.indexOf(from, text.indexOf(after));
  REQUIRE(at >= 0);
  QTextCursor cursor(editor.editor()->document());
  cursor.setPosition(static_cast<int>(at));
  cursor.setPosition(static_cast<int>(at + from.size()), QTextCursor::KeepAnchor);
  cursor.insertText(to);
}

int line_of(const QString& text, qsizetype pos) { return static_cast<int>(text.left(pos).count(QLatin1Char('\n'))) + 1; }

}  // namespace

TEST_CASE("scenario editor: every bundled scenario loads and reads as its spec", "[gui][editor]") {
  app();
  const std::string file = GENERATE(from_range(lvs::test::bundled_scenario_files()));
  CAPTURE(file);
  ScenarioEditor editor;
  std::vector<lvs::scenario::ScenarioSpec> specs;
  QObject::connect(&editor, &ScenarioEditor::spec_changed, [&](const lvs::scenario::ScenarioSpec& s) { specs.push_back(s); });
  REQUIRE(editor.load_file(QString::fromStdString(file)));
  CHECK(editor.text() == file_text(QString::fromStdString(file)));
  CHECK_FALSE(editor.modified());
  CHECK(editor.file_path() == QString::fromStdString(file));
  REQUIRE(wait_for_check(editor));  // after the debounce
  REQUIRE(specs.size() == 1);
  CHECK(specs[0].name == std::filesystem::path(file).stem().string());
  CHECK(editor.error_text().toStdString() == "");
  CHECK(editor.error_line() == 0);
  CHECK(editor.editor()->extraSelections().isEmpty());
  CHECK(editor.editor()->viewport()->geometry().left() > 0);  // right of the line-number gutter
}

TEST_CASE("scenario editor: an invalid value is shown on its line, and fixing it clears it", "[gui][editor]") {
  app();
  ScenarioEditor editor;
  REQUIRE(editor.load_file(nat_basic()));
  editor.check_now();
  int specs = 0;
  QStringList invalid;
  QObject::connect(&editor, &ScenarioEditor::spec_changed, [&] { ++specs; });
  QObject::connect(&editor, &ScenarioEditor::spec_invalid, [&](const QString& e) { invalid << e; });

  type_over(editor, QStringLiteral("services:"), QStringLiteral("port: 80"), QStringLiteral("port: 99999"));
  CHECK(editor.modified());
  REQUIRE(wait_for_check(editor));
  const QString text = editor.text();
  const qsizetype value = text.indexOf(QStringLiteral("99999"));
  const int line = line_of(text, value);
  const QString expected =
      QStringLiteral("%1:%2:11: services[0].port: expected an integer in 1..65535, got '99999'").arg(nat_basic()).arg(line);
  CHECK(editor.error_text().toStdString() == expected.toStdString());
  CHECK(invalid == QStringList{expected});
  CHECK(editor.error_line() == line);
  CHECK(specs == 0);
  const QList<QTextEdit::ExtraSelection> marks = editor.editor()->extraSelections();
  REQUIRE(marks.size() == 2);
  CHECK(marks[0].cursor.blockNumber() == line - 1);
  CHECK(marks[0].format.background().color() == QColor(255, 224, 224));
  CHECK(marks[1].cursor.selectionStart() == value);  // column 11: the value's first digit
  CHECK(marks[1].cursor.selectedText() == QStringLiteral("9"));

  type_over(editor, QStringLiteral("services:"), QStringLiteral("port: 99999"), QStringLiteral("port: 80"));
  REQUIRE(wait_for_check(editor));
  CHECK(editor.error_text().toStdString() == "");
  CHECK(editor.error_line() == 0);
  CHECK(editor.editor()->extraSelections().isEmpty());
  CHECK(specs == 1);
}

TEST_CASE("scenario editor: a validation error, a --set error and warnings", "[gui][editor]") {
  app();
  ScenarioEditor editor;
  REQUIRE(editor.load_file(nat_basic()));
  type_over(editor, QStringLiteral("destinations:"), QStringLiteral("server: rs1"), QStringLiteral("server: client"));
  editor.check_now();
  const QString text = editor.text();
  const qsizetype value = text.indexOf(QStringLiteral("client"), text.indexOf(QStringLiteral("server: client")));
  const int line = line_of(text, value);
  const int column = static_cast<int>(value - text.lastIndexOf(QLatin1Char('\n'), value));
  CHECK(editor.error_text().toStdString() ==
        QStringLiteral("%1:%2:%3: services[0].destinations[0].server: client client is not of kind server; "
                       "destinations are real servers")
            .arg(nat_basic())
            .arg(line)
            .arg(column)
            .toStdString());
  CHECK(editor.error_line() == line);

  editor.set_text(file_text(nat_basic()));
  editor.set_overrides({"services[0].port=0"});
  editor.check_now();
  CHECK(editor.error_text().toStdString() == "--set services[0].port: expected an integer in 1..65535, got '0'");
  CHECK(editor.error_line() == 0);

  editor.set_overrides({"topology.hosts[2].gateway=192.168.10.1"});  // a NAT server that replies past the director
  editor.check_now();
  CHECK(editor.error_text().toStdString() == "");
  REQUIRE(editor.warnings().size() >= 1);
  CHECK(editor.warnings()[0].contains(QStringLiteral("services[0].destinations[0]: replies from real server rs1")));
}

TEST_CASE("scenario editor: apply_text edits only the changed range, and undo restores the text", "[gui][editor]") {
  app();
  ScenarioEditor editor;
  REQUIRE(editor.load_file(nat_basic()));
  const QString original = editor.text();
  lvs::scenario::ScenarioText text(original.toStdString(), "nat-basic.yaml");
  text.set("services[0].scheduler", "lc");
  lvs::scenario::set_server_count(text, 0, 3);
  editor.apply_text(text.text());
  CHECK(editor.text() == QString::fromStdString(text.text()));
  CHECK(editor.modified());
  editor.check_now();
  CHECK(editor.error_text().toStdString() == "");
  editor.editor()->undo();  // Ctrl+Z: one step
  CHECK(editor.text() == original);
  CHECK_FALSE(editor.modified());
  editor.editor()->redo();
  CHECK(editor.text() == QString::fromStdString(text.text()));
}

TEST_CASE("scenario editor: save writes the text's bytes and clears modified", "[gui][editor]") {
  app();
  QTemporaryDir dir;
  REQUIRE(dir.isValid());
  ScenarioEditor editor;
  REQUIRE(editor.load_file(nat_basic()));
  type_over(editor, QStringLiteral("services:"), QStringLiteral("scheduler: rr"), QStringLiteral("scheduler: sh  # é"));
  std::vector<bool> changes;
  QObject::connect(&editor, &ScenarioEditor::modification_changed, [&](bool m) { changes.push_back(m); });
  const QString path = dir.filePath(QStringLiteral("copy.yaml"));
  REQUIRE(editor.save(path));
  QFile saved(path);
  REQUIRE(saved.open(QIODevice::ReadOnly));
  CHECK(saved.readAll() == editor.text().toUtf8());
  CHECK(editor.file_path() == path);
  CHECK_FALSE(editor.modified());
  CHECK(changes == std::vector<bool>{false});

  CHECK_FALSE(editor.save(dir.filePath(QStringLiteral("no/such/dir/x.yaml"))));
  CHECK(editor.error_text().startsWith(QStringLiteral("cannot write ")));
  CHECK_FALSE(editor.load_file(dir.filePath(QStringLiteral("missing.yaml"))));
  CHECK(editor.error_text().startsWith(QStringLiteral("cannot read ")));
  CHECK(editor.file_path() == path);  // a failed load keeps the file
}
