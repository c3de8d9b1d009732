#include "run_banner.hpp"

#include <QAction>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QRegularExpression>
#include <QToolButton>

namespace lvs::gui {

namespace {

const QString kLessonMark = QStringLiteral("Lesson:");

// The first sentence of `text` (up to ". " or the end).
QString first_sentence(const QString& text) {
  const qsizetype end = text.indexOf(QStringLiteral(". "));
  return end < 0 ? text : text.left(end + 1);
}

QLabel* wrapped_label() {
  auto* label = new QLabel;
  label->setWordWrap(true);
  label->setTextFormat(Qt::RichText);
  label->setTextInteractionFlags(Qt::TextBrowserInteraction);
  label->hide();
  return label;
}

}  // namespace

QString lesson_of(const QString& scenario_text) {
  QStringList lines;
  for (const QString& raw : scenario_text.split(QLatin1Char('\n'))) {
    const QString line = raw.trimmed();
    if (!line.startsWith(QLatin1Char('#'))) break;  // the top comment ends
    QString words = line.mid(1).trimmed();
    if (lines.isEmpty() && !words.startsWith(kLessonMark)) return {};
    if (words.isEmpty()) break;  // the first paragraph ends
    lines << words;
  }
  return lines.join(QLatin1Char(' ')).mid(kLessonMark.size()).trimmed();
}

RunBanner::RunBanner(QAction* pin, QWidget* parent)
    : QWidget(parent), lesson_label_(wrapped_label()), warnings_label_(wrapped_label()),
      overlay_label_(wrapped_label()), pin_button_(new QToolButton) {
  pin_button_->setDefaultAction(pin);
  pin_button_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  warnings_label_->setStyleSheet(QStringLiteral("color: #92400e;"));  // amber: read, but not an error
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 2);
  layout->setSpacing(2);
  layout->addWidget(lesson_label_);
  layout->addWidget(warnings_label_);
  auto* overlay_row = new QHBoxLayout;
  overlay_row->addWidget(overlay_label_, 1);
  overlay_row->addWidget(pin_button_);
  layout->addLayout(overlay_row);
  connect(lesson_label_, &QLabel::linkActivated, this,
          [this](const QString& link) { show_lesson(link == QStringLiteral("more")); });
}

void RunBanner::set_lesson(const QString& scenario_text) {
  QString lesson = lesson_of(scenario_text);
  if (lesson == lesson_ && !lesson_label_->text().isEmpty()) return;  // keep "more" open across edits
  lesson_ = std::move(lesson);
  show_lesson(false);
}

// The lesson's first sentence with a "more" link, or all of it with "less".
void RunBanner::show_lesson(bool full) {
  lesson_label_->setVisible(!lesson_.isEmpty());
  if (lesson_.isEmpty()) return;
  const QString brief = first_sentence(lesson_);
  const bool more = brief != lesson_;
  QString html = QStringLiteral("<b>Lesson:</b> ") + (full ? lesson_ : brief).toHtmlEscaped();
  if (more)
    html += full ? QStringLiteral(" <a href=\"less\">less</a>") : QStringLiteral(" <a href=\"more\">more…</a>");
  lesson_label_->setText(html);
}

void RunBanner::set_warnings(const QStringList& warnings) {
  warnings_label_->setVisible(!warnings.isEmpty());
  if (warnings.isEmpty()) return;
  QString html = QStringLiteral("<b>validate warns:</b> ") + warnings.front().toHtmlEscaped();
  if (warnings.size() > 1)
    html += QStringLiteral(" (and %1 more: see the Scenario tab)").arg(warnings.size() - 1);
  warnings_label_->setText(html);
  warnings_label_->setToolTip(warnings.join(QLatin1Char('\n')));
}

void RunBanner::set_overlay(const QString& caption) {
  overlay_label_->setVisible(!caption.isEmpty());
  overlay_label_->setText(QStringLiteral("<b>Dashed lines:</b> ") + caption.toHtmlEscaped());
}

QString RunBanner::lesson_shown() const { return lesson_label_->isHidden() ? QString() : lesson_label_->text(); }
QString RunBanner::warnings_shown() const { return warnings_label_->isHidden() ? QString() : warnings_label_->text(); }
QString RunBanner::overlay_shown() const { return overlay_label_->isHidden() ? QString() : overlay_label_->text(); }

}  // namespace lvs::gui
