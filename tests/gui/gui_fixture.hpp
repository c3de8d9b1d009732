#pragma once
// Shared by the widget tests: the one QApplication of the test executable, and chart series
// by name.

#include <QApplication>
#include <QChart>
#include <QLineSeries>

namespace lvs::test {

/// The executable's only QApplication, created on first use (never during static
/// initialisation: ctest lists the tests by running the binary). Inline, so every test file
/// shares the one instance.
inline QApplication& app() {
  static int argc = 1;
  static char name[] = "lvslab_gui_tests";
  static char* argv[] = {name, nullptr};
  static QApplication instance(argc, argv);
  return instance;
}

/// The line series of `chart` called `name`, or nullptr.
inline const QLineSeries* series_named(const QChart* chart, const QString& name) {
  for (QAbstractSeries* s : chart->series())
    if (s->name() == name) return static_cast<const QLineSeries*>(s);
  return nullptr;
}

}  // namespace lvs::test
