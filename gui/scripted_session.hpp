#pragma once
// lvslab-gui driven from its command line, for CI and for the README's screenshots: open a
// scenario, let the first run finish, make what-if changes through the controls exactly as
// a user would (each re-runs), trace a request and compare schedulers if asked, then save
// screenshots of the window's tabs and quit.
//
//   lvslab-gui SCENARIO --change scheduler=lc --screenshot window.png
//   lvslab-gui SCENARIO --change servers=6 --screenshots DIR     (one PNG per tab)

#include <QObject>
#include <QSize>
#include <QString>
#include <QStringList>

#include <functional>
#include <string>
#include <vector>

namespace lvs::gui {

class MainWindow;

/// One what-if change: a control and the value to give it.
struct WhatIfChange {
  QString control;  ///< scheduler, rate, method, servers, weight.N, persistent (seconds or off), netmask, failure
  QString value;
};

/// Parses "CONTROL=VALUE"; throws std::invalid_argument naming the option, the text and the
/// valid controls.
WhatIfChange parse_change(const QString& text);
/// Parses --size's "WIDTHxHEIGHT" (pixels, 640x480 up to 7680x4320); throws
/// std::invalid_argument naming the option, the text and what is expected.
QSize parse_window_size(const QString& text);
/// Sets the control of `window` the way a user would (the combo's text, the spin's value, the
/// slider's position); throws std::invalid_argument if the value is not one the control takes.
void apply_change(MainWindow& window, const WhatIfChange& change);

/// File names of the tab screenshots --screenshots writes: over-time.png, servers.png, ...
QStringList tab_screenshot_names();

class ScriptedSession : public QObject {
  Q_OBJECT

 public:
  struct Plan {
    std::vector<WhatIfChange> changes;
    QString screenshot;   ///< one PNG of the window (the current tab), or ""
    QString tab;          ///< the tab to show for `screenshot` ("" = over time)
    QString screenshots;  ///< a directory for one PNG per tab, or ""
  };

  ScriptedSession(MainWindow& window, Plan plan);
  /// Starts the first run; the session ends with QApplication::exit(status).
  void begin();

 private:
  void after_run();
  void next_step();
  void settle_then_capture();
  void capture();
  void finish(int status, const QString& error = {});

  MainWindow& window_;
  Plan plan_;
  std::size_t change_ = 0;
  std::vector<std::function<void()>> steps_;
};

}  // namespace lvs::gui
