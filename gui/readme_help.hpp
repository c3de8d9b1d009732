#pragma once
// The Help menu: the README's sections, read from a copy of README.md built into the program
// (Qt resources, so an installed lvslab-gui has it without the source tree; it is the README
// of the build). Each "## " heading is a submenu with its introduction and each of its "### "
// sections; an item opens the section's text in a window. Headings inside fenced code blocks
// ("#include" in a C++ example) are code, not sections.

#include <QString>

#include <vector>

class QDialog;
class QMenu;
class QMenuBar;
class QWidget;

namespace lvs::gui {

struct HelpSection {
  QString title;      ///< the heading's text, without the '#'s
  int level = 2;      ///< 2 for "## ", 3 for "### "
  QString markdown;   ///< the heading and its text up to the next heading of level 2 or 3
};

/// The "## " and "### " sections of `markdown` in order (what comes before the first is left out).
std::vector<HelpSection> readme_sections(const QString& markdown);
/// The README built into the program ("" if it is missing).
QString built_in_readme();

/// Adds Help (the README's sections, and About) to `bar`; windows open over `parent`.
QMenu* add_help_menu(QMenuBar* bar, QWidget* parent);
/// Opens `section` in a non-modal window over `parent` (deleted when closed) and returns it.
QDialog* show_help_section(QWidget* parent, const HelpSection& section);

}  // namespace lvs::gui
