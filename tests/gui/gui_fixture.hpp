#pragma once
// Shared by the widget tests: the one QApplication of the test executable, waiting for a
// signal on the event loop (never a sleep), bundled scenario paths, and chart series by name.

#include <QApplication>
#include <QChart>
#include <QEventLoop>
#include <QLineSeries>
#include <QTimer>

#include <string>

#include "support/source_tree.hpp"

namespace lvs::test {

/// Wall time a test waits for one signal; runs take far less.
inline constexpr int kTimeoutMs = 60000;

/// The executable's only QApplication (offscreen), created on first use (never during static
/// initialisation: ctest lists the tests by running the binary). Never destroyed: at exit
/// it would delete the input devices Qt made for synthetic events after Qt's device
/// registry is gone, and crash. Inline, so every test file shares the one instance.
inline QApplication& app() {
  static int argc = 1;
  static char name[] = "lvslab_gui_tests";
  static char* argv[] = {name, nullptr};
  static QApplication* instance = [] {
    // No display needed, and no warning about the runtime directory (unless set already).
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) qputenv("XDG_RUNTIME_DIR", LVSLAB_XDG_RUNTIME_DIR);
    auto* a = new QApplication(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("lvslab-tests"));
    return a;
  }();
  return *instance;
}

/// Runs the event loop until `sender` emits `signal` or `timeout_ms` pass; true if it emitted.
template <typename Sender, typename Signal>
bool wait_for(const Sender* sender, Signal signal, int timeout_ms = kTimeoutMs) {
  QEventLoop loop;
  bool fired = false;
  QObject::connect(sender, signal, &loop, [&] {
    fired = true;
    loop.quit();
  });
  QTimer::singleShot(timeout_ms, &loop, &QEventLoop::quit);
  loop.exec();
  return fired;
}

/// Runs the event loop for `ms` milliseconds (0: handles what is queued now).
inline void pump(int ms) {
  QEventLoop loop;
  QTimer::singleShot(ms, &loop, &QEventLoop::quit);
  loop.exec();
}

/// The line series of `chart` called `name`, or nullptr.
inline const QLineSeries* series_named(const QChart* chart, const QString& name) {
  for (QAbstractSeries* s : chart->series())
    if (s->name() == name) return static_cast<const QLineSeries*>(s);
  return nullptr;
}

}  // namespace lvs::test
