#include "scenario_editor.hpp"

#include <QFile>
#include <QFontDatabase>
#include <QLabel>
#include <QPaintEvent>
#include <QPainter>
#include <QPlainTextEdit>
#include <QResizeEvent>
#include <QSaveFile>
#include <QTextBlock>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>
#include <utility>

namespace lvs::gui {

/// A QPlainTextEdit with a gutter of line numbers (after Qt's "Code Editor" example).
class CodeEdit : public QPlainTextEdit {
 public:
  explicit CodeEdit(QWidget* parent);
  /// The gutter's width in pixels: room for the largest line number.
  int gutter_width() const;
  /// Paints the line numbers of the visible lines (the gutter's paintEvent).
  void paint_gutter(QPaintEvent* event);

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  QWidget* gutter_;
};

namespace {

// The line-number gutter: CodeEdit paints it.
class Gutter : public QWidget {
 public:
  explicit Gutter(CodeEdit* edit) : QWidget(edit), edit_(edit) {}
  QSize sizeHint() const override { return QSize(edit_->gutter_width(), 0); }

 protected:
  void paintEvent(QPaintEvent* event) override { edit_->paint_gutter(event); }

 private:
  CodeEdit* edit_;
};

// "LINE:COL: KEY.PATH: message", leaving out what is unknown.
// "FILE:LINE:COL: KEY.PATH: message", as lvslab prints it ("FILE: " alone without a position;
// nothing for a --set value, which has no place in the file).
QString located(const std::string& file, int line, int column, const std::string& path, const std::string& message) {
  QString out;
  if (!path.starts_with("--set ")) out += QString::fromStdString(file) + QStringLiteral(":");
  if (line > 0) out += QStringLiteral("%1:%2:").arg(line).arg(column);
  if (!out.isEmpty()) out += QLatin1Char(' ');
  if (!path.empty()) out += QString::fromStdString(path) + QStringLiteral(": ");
  return out + QString::fromStdString(message);
}

// Where the two texts start and stop differing: the lengths of their common prefix and suffix.
std::pair<qsizetype, qsizetype> common_ends(const QString& a, const QString& b) {
  const qsizetype shorter = std::min(a.size(), b.size());
  qsizetype prefix = 0;
  while (prefix < shorter && a[prefix] == b[prefix]) ++prefix;
  qsizetype suffix = 0;
  while (suffix < shorter - prefix && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) ++suffix;
  return {prefix, suffix};
}

}  // namespace

CodeEdit::CodeEdit(QWidget* parent) : QPlainTextEdit(parent), gutter_(new Gutter(this)) {
  setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  setLineWrapMode(QPlainTextEdit::NoWrap);
  const auto margin = [this] { setViewportMargins(gutter_width(), 0, 0, 0); };
  connect(this, &QPlainTextEdit::blockCountChanged, this, margin);
  connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect& rect, int dy) {
    if (dy != 0)
      gutter_->scroll(0, dy);
    else
      gutter_->update(0, rect.y(), gutter_->width(), rect.height());
  });
  margin();
}

int CodeEdit::gutter_width() const {
  int digits = 1;
  for (int n = std::max(1, blockCount()); n >= 10; n /= 10) ++digits;
  return 8 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * digits;
}

void CodeEdit::paint_gutter(QPaintEvent* event) {
  QPainter painter(gutter_);
  painter.fillRect(event->rect(), palette().color(QPalette::AlternateBase));
  painter.setPen(palette().color(QPalette::PlaceholderText));
  QTextBlock block = firstVisibleBlock();
  int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
  while (block.isValid() && top <= event->rect().bottom()) {
    const int height = qRound(blockBoundingRect(block).height());
    if (block.isVisible() && top + height >= event->rect().top())
      painter.drawText(0, top, gutter_->width() - 4, fontMetrics().height(), Qt::AlignRight,
                       QString::number(block.blockNumber() + 1));
    block = block.next();
    top += height;
  }
}

void CodeEdit::resizeEvent(QResizeEvent* event) {
  QPlainTextEdit::resizeEvent(event);
  const QRect r = contentsRect();
  gutter_->setGeometry(QRect(r.left(), r.top(), gutter_width(), r.height()));
}

ScenarioEditor::ScenarioEditor(QWidget* parent)
    : QWidget(parent), edit_(new CodeEdit(this)), error_(new QLabel(this)), warnings_label_(new QLabel(this)),
      debounce_(new QTimer(this)) {
  qRegisterMetaType<lvs::scenario::ScenarioSpec>("lvs::scenario::ScenarioSpec");
  error_->setStyleSheet(QStringLiteral("color: #c00000;"));
  warnings_label_->setStyleSheet(QStringLiteral("color: gray;"));
  for (QLabel* label : {error_, warnings_label_}) {
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setTextFormat(Qt::PlainText);
    label->hide();
  }
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(edit_, 1);
  layout->addWidget(error_);
  layout->addWidget(warnings_label_);
  debounce_->setSingleShot(true);
  debounce_->setInterval(kDebounceMs);
  connect(debounce_, &QTimer::timeout, this, &ScenarioEditor::check_now);
  connect(edit_->document(), &QTextDocument::contentsChanged, this, &ScenarioEditor::on_contents_changed);
}

QPlainTextEdit* ScenarioEditor::editor() const { return edit_; }

bool ScenarioEditor::load_file(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    show_error(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()), 0, 0);
    return false;
  }
  const QByteArray bytes = file.readAll();
  file_path_ = path;
  saved_text_ = QString::fromUtf8(bytes);
  edit_->setPlainText(saved_text_);  // contentsChanged: checked after the debounce
  saved_text_ = text();              // as the editor holds it, for modified()
  on_contents_changed();
  return true;
}

bool ScenarioEditor::save(const QString& path) {
  QSaveFile file(path);
  const QByteArray bytes = text().toUtf8();
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
    show_error(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()), 0, 0);
    return false;
  }
  const bool renamed = path != file_path_;
  file_path_ = path;
  saved_text_ = text();
  on_contents_changed();
  if (renamed) check_now();  // errors name the file
  return true;
}

bool ScenarioEditor::modified() const { return text() != saved_text_; }

QString ScenarioEditor::text() const {
  // toRawText keeps non-breaking spaces (toPlainText would make them spaces); lines are
  // separated by U+2029 there.
  QString raw = edit_->document()->toRawText();
  raw.replace(QChar::ParagraphSeparator, QLatin1Char('\n'));
  return raw;
}

void ScenarioEditor::set_text(const QString& text) { edit_->setPlainText(text); }

void ScenarioEditor::apply_text(const QString& new_text) {
  const QString old = text();
  if (old == new_text) return;
  const auto [prefix, suffix] = common_ends(old, new_text);
  QTextCursor cursor(edit_->document());
  cursor.beginEditBlock();
  cursor.setPosition(static_cast<int>(prefix));
  cursor.setPosition(static_cast<int>(old.size() - suffix), QTextCursor::KeepAnchor);
  cursor.insertText(new_text.mid(prefix, new_text.size() - prefix - suffix));
  cursor.endEditBlock();
  edit_->setTextCursor(cursor);  // shows the change
}

void ScenarioEditor::apply_text(const std::string& new_text) { apply_text(QString::fromStdString(new_text)); }

void ScenarioEditor::set_overrides(std::vector<std::string> overrides) {
  overrides_ = std::move(overrides);
  debounce_->start();
}

std::string ScenarioEditor::file_name() const {
  return file_path_.isEmpty() ? std::string("untitled.yaml") : file_path_.toStdString();
}

void ScenarioEditor::check_now() {
  debounce_->stop();
  try {
    scenario::ScenarioSpec spec = scenario::read_scenario_text(text().toStdString(), file_name(), overrides_);
    QStringList warnings;
    const std::vector<scenario::Finding> findings = scenario::validate(spec);
    const scenario::Finding* error = nullptr;
    for (const scenario::Finding& f : findings) {
      const QString line = located(file_name(), f.origin.at.line, f.origin.at.column, f.origin.path, f.message);
      if (f.severity == scenario::Finding::Severity::Warning) warnings << line;
      if (f.severity == scenario::Finding::Severity::Error && !error) error = &f;
    }
    show_warnings(warnings);
    if (error) {
      show_error(located(file_name(), error->origin.at.line, error->origin.at.column, error->origin.path,
                         error->message),
                 error->origin.at.line, error->origin.at.column);
    } else {
      show_error(QString(), 0, 0);
      emit spec_changed(std::move(spec));
    }
  } catch (const scenario::ScenarioError& e) {
    show_warnings({});
    const std::string where = e.setting().empty() ? e.key_path() : "--set " + e.setting();
    show_error(located(file_name(), e.line(), e.column(), where, e.message()), e.line(), e.column());
  } catch (const std::exception& e) {
    show_warnings({});
    show_error(QString::fromStdString(e.what()), 0, 0);
  }
  emit checked();
}

QString ScenarioEditor::error_text() const { return error_->text(); }

void ScenarioEditor::on_contents_changed() {
  debounce_->start();
  const bool now = modified();
  if (now == was_modified_) return;
  was_modified_ = now;
  emit modification_changed(now);
}

void ScenarioEditor::show_error(const QString& message, int line, int column) {
  error_->setText(message);
  error_->setVisible(!message.isEmpty());
  error_line_ = message.isEmpty() ? 0 : line;
  highlight(error_line_, column);
  if (!message.isEmpty()) emit spec_invalid(message);
}

void ScenarioEditor::show_warnings(const QStringList& warnings) {
  warnings_ = warnings;
  warnings_label_->setText(warnings.join(QLatin1Char('\n')));
  warnings_label_->setVisible(!warnings.isEmpty());
}

// Light red on the error's line, its column's character underlined; nothing when line is 0.
void ScenarioEditor::highlight(int line, int column) {
  QList<QTextEdit::ExtraSelection> selections;
  const QTextBlock block = edit_->document()->findBlockByNumber(line - 1);
  if (line > 0 && block.isValid()) {
    QTextEdit::ExtraSelection whole;
    whole.format.setBackground(QColor(255, 224, 224));
    whole.format.setProperty(QTextFormat::FullWidthSelection, true);
    whole.cursor = QTextCursor(block);
    selections << whole;
    QTextEdit::ExtraSelection at;
    at.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    at.format.setUnderlineColor(QColor(192, 0, 0));
    const int offset = std::clamp(column - 1, 0, std::max(0, block.length() - 2));
    at.cursor = QTextCursor(block);
    at.cursor.setPosition(block.position() + offset);
    at.cursor.movePosition(QTextCursor::NextCharacter, QTextCursor::KeepAnchor);
    selections << at;
  }
  edit_->setExtraSelections(selections);
}

}  // namespace lvs::gui
