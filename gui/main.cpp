// lvslab-gui: the Qt front end. `lvslab-gui [SCENARIO]` opens the window (on the scenario
// file, which it runs at once). With --change, --screenshot or --screenshots it is driven
// from the command line (ScriptedSession) and exits when done.

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lvs/version.hpp"
#include "main_window.hpp"
#include "scripted_session.hpp"

namespace {

struct Options {
  QCommandLineOption set{QStringLiteral("set"), QStringLiteral("Override a scenario key (KEY=VALUE), as lvslab run."),
                         QStringLiteral("assignment")};
  QCommandLineOption change{QStringLiteral("change"),
                            QStringLiteral("After the first run, set a what-if control as a user would and re-run: "
                                           "scheduler=NAME, rate=N, method=nat|dr|tun|fullnat, servers=N, "
                                           "weight.I=N, persistent=SECONDS|off, netmask=MASK, failure=\"crash lvs1\". Repeatable."),
                            QStringLiteral("control=value")};
  QCommandLineOption screenshot{QStringLiteral("screenshot"),
                                QStringLiteral("When the runs are done, save the window (the --tab tab) to a PNG "
                                               "file and exit."),
                                QStringLiteral("file")};
  QCommandLineOption tab{QStringLiteral("tab"),
                         QStringLiteral("The tab for --screenshot: over-time, servers, ipvsadm, topology, "
                                        "compare, packet-walk, scenario, theory, sweep, timeline."),
                         QStringLiteral("name")};
  QCommandLineOption size{QStringLiteral("size"),
                          QStringLiteral("The window's size in pixels, WIDTHxHEIGHT (default 1334x800, or what the "
                                         "screen allows)."),
                          QStringLiteral("WxH")};
  QCommandLineOption screenshots{QStringLiteral("screenshots"),
                                 QStringLiteral("When the runs are done, trace a request, compare schedulers, run the "
                                                "default sweep with its SLO search, save one PNG per tab into the "
                                                "directory and exit."),
                                 QStringLiteral("dir")};
};

int fail(const QString& message) {
  std::fprintf(stderr, "lvslab-gui: %s\n", qPrintable(message));
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("lvslab"));
  QApplication::setApplicationName(QStringLiteral("lvslab-gui"));
  QApplication::setApplicationVersion(QString::fromLatin1(lvs::kVersion));
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Qt front end of lvslab: what-if runs, charts, topology, "
                                                  "scheduler comparison and the packet walk"));
  parser.addHelpOption();
  parser.addVersionOption();
  const Options o;
  parser.addOptions({o.set, o.change, o.screenshot, o.tab, o.size, o.screenshots});
  parser.addPositionalArgument(QStringLiteral("scenario"), QStringLiteral("Scenario file to open and run."),
                               QStringLiteral("[scenario]"));
  parser.process(app);

  std::optional<QSize> size;
  try {
    if (parser.isSet(o.size)) size = lvs::gui::parse_window_size(parser.value(o.size));
  } catch (const std::exception& e) {
    return fail(QString::fromStdString(e.what()));
  }
  const QStringList positional = parser.positionalArguments();
  if (positional.size() > 1) return fail(QStringLiteral("expected at most one scenario file"));
  const bool scripted = parser.isSet(o.change) || parser.isSet(o.screenshot) || parser.isSet(o.screenshots);
  if (positional.isEmpty()) {
    if (scripted) return fail(QStringLiteral("--change, --screenshot and --screenshots need a scenario file"));
    lvs::gui::MainWindow window;
    if (size) window.resize(*size);
    window.show();
    return QApplication::exec();
  }
  if (!QFileInfo::exists(positional.front()))
    return fail(QStringLiteral("%1: no such file").arg(positional.front()));

  std::vector<std::string> overrides;
  for (const QString& s : parser.values(o.set)) overrides.push_back(s.toStdString());
  lvs::gui::MainWindow window(positional.front().toStdString(), overrides);
  if (size) window.resize(*size);
  window.show();
  if (!scripted) {
    window.start();
    return QApplication::exec();
  }
  std::unique_ptr<lvs::gui::ScriptedSession> session;
  try {
    lvs::gui::ScriptedSession::Plan plan;
    for (const QString& c : parser.values(o.change)) plan.changes.push_back(lvs::gui::parse_change(c));
    plan.screenshot = parser.value(o.screenshot);
    plan.tab = parser.value(o.tab);
    plan.screenshots = parser.value(o.screenshots);
    session = std::make_unique<lvs::gui::ScriptedSession>(window, std::move(plan));
  } catch (const std::exception& e) {
    return fail(QString::fromStdString(e.what()));
  }
  QTimer::singleShot(0, session.get(), &lvs::gui::ScriptedSession::begin);
  return QApplication::exec();
}
