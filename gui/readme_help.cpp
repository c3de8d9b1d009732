#include "readme_help.hpp"

#include <QDialog>
#include <QFile>
#include <QMenu>
#include <QMenuBar>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace lvs::gui {

namespace {

constexpr int kHelpWidth = 760, kHelpHeight = 560;  // fits the default 1334x800 window

// The level of a "## " or "### " heading line; 0 for anything else.
int heading_level(const QString& line) {
  if (line.startsWith(QStringLiteral("### "))) return 3;
  if (line.startsWith(QStringLiteral("## "))) return 2;
  return 0;
}

}  // namespace

std::vector<HelpSection> readme_sections(const QString& markdown) {
  std::vector<HelpSection> out;
  bool in_code = false;
  for (const QString& line : markdown.split(QLatin1Char('\n'))) {
    if (line.trimmed().startsWith(QStringLiteral("```"))) in_code = !in_code;
    const int level = in_code ? 0 : heading_level(line);
    if (level > 0) out.push_back({line.mid(level + 1).trimmed(), level, QString()});
    if (!out.empty()) out.back().markdown += line + QLatin1Char('\n');
  }
  return out;
}

QString built_in_readme() {
  QFile file(QStringLiteral(":/lvslab/README.md"));
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(file.readAll());
}

QDialog* show_help_section(QWidget* parent, const HelpSection& section) {
  auto* dialog = new QDialog(parent);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowTitle(QStringLiteral("lvslab — ") + section.title);
  auto* text = new QTextBrowser;
  text->setOpenExternalLinks(true);
  text->setMarkdown(section.markdown);
  auto* layout = new QVBoxLayout(dialog);
  layout->addWidget(text);
  dialog->resize(kHelpWidth, kHelpHeight);
  dialog->show();
  return dialog;
}

// One submenu per "## " section: its introduction, then its "### " sections.
QMenu* add_help_menu(QMenuBar* bar, QWidget* parent) {
  QMenu* help = bar->addMenu(QStringLiteral("&Help"));
  QMenu* current = nullptr;
  for (const HelpSection& s : readme_sections(built_in_readme())) {
    if (s.level == 2) current = help->addMenu(s.title);
    QMenu* menu = current != nullptr ? current : help;
    menu->addAction(s.level == 2 ? QStringLiteral("Introduction") : s.title, parent,
                    [parent, s] { show_help_section(parent, s); });
  }
  if (help->isEmpty()) help->addAction(QStringLiteral("(README.md was not built in)"))->setEnabled(false);
  return help;
}

}  // namespace lvs::gui
