// lvslab-gui: the Qt front end. `lvslab-gui SCENARIO` opens the what-if window on a scenario
// file and runs it; with no scenario, the M/M/c theory window. `--screenshot FILE` renders
// the window to a PNG and exits (for a scenario, after its first run).

#include <QApplication>
#include <QCommandLineParser>
#include <QScreen>
#include <QWidget>

#include <memory>
#include <string>
#include <vector>

#include "lvs/version.hpp"
#include "theory_window.hpp"
#include "whatif_window.hpp"

namespace {

// Saves `window` to `path`; the exit status.
int save_screenshot(QWidget& window, const QString& path) {
  if (!window.grab().save(path)) {
    qCritical("lvslab-gui: cannot write %s", qPrintable(path));
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("lvslab-gui"));
  QApplication::setApplicationVersion(QString::fromLatin1(lvs::kVersion));
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Qt front end of lvslab"));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                      QStringLiteral("Render the window to a PNG file and exit."),
                                      QStringLiteral("file"));
  parser.addOption(screenshot);
  const QCommandLineOption set(QStringLiteral("set"), QStringLiteral("Override a scenario key (KEY=VALUE)."),
                               QStringLiteral("assignment"));
  parser.addOption(set);
  parser.addPositionalArgument(QStringLiteral("scenario"),
                               QStringLiteral("Scenario file for the what-if window (none: the M/M/c view)."),
                               QStringLiteral("[scenario]"));
  parser.process(app);

  const QStringList positional = parser.positionalArguments();
  if (positional.size() > 1) parser.showHelp(2);
  if (positional.isEmpty()) {
    lvs::gui::TheoryWindow window;
    if (parser.isSet(screenshot)) return save_screenshot(window, parser.value(screenshot));
    window.show();
    return QApplication::exec();
  }

  std::vector<std::string> overrides;
  for (const QString& s : parser.values(set)) overrides.push_back(s.toStdString());
  lvs::gui::WhatIfWindow window(positional.front().toStdString(), overrides);
  if (parser.isSet(screenshot)) {
    // Wait for the first run (on the worker thread) so that the picture shows its charts.
    if (!window.loaded()) return save_screenshot(window, parser.value(screenshot));
    const QString path = parser.value(screenshot);
    int status = 0;
    auto done = [&] {
      status = save_screenshot(window, path);
      QApplication::quit();
    };
    QObject::connect(&window, &lvs::gui::WhatIfWindow::redrawn, &app, done);
    QObject::connect(window.worker(), &lvs::gui::RunWorker::failed, &app, done);
    window.resize(1100, 700);
    window.start();
    QApplication::exec();
    return status;
  }
  window.show();
  window.start();
  return QApplication::exec();
}
