// lvslab-gui: the Qt front end. `--screenshot FILE` renders the window to a PNG and exits.

#include <QApplication>
#include <QCommandLineParser>
#include <QScreen>

#include "lvs/version.hpp"
#include "theory_window.hpp"

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
  parser.process(app);

  lvs::gui::TheoryWindow window;
  if (parser.isSet(screenshot)) {
    const QString path = parser.value(screenshot);
    if (!window.grab().save(path)) {
      qCritical("lvslab-gui: cannot write %s", qPrintable(path));
      return 1;
    }
    return 0;
  }
  window.show();
  return QApplication::exec();
}
