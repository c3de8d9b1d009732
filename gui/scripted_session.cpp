#include "scripted_session.hpp"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QTimer>

#include <stdexcept>

#include "compare_panel.hpp"
#include "main_window.hpp"
#include "packet_walk_panel.hpp"
#include "sweep_panel.hpp"

namespace lvs::gui {

namespace {

const QStringList kControls{QStringLiteral("scheduler"), QStringLiteral("rate"),       QStringLiteral("method"),
                            QStringLiteral("servers"),   QStringLiteral("weight.N"),   QStringLiteral("persistent"),
                            QStringLiteral("netmask"),
                            QStringLiteral("failure")};  // "none" or "crash lvs1", "stop web1", "link-down lvs1/eth0"
// In MainWindow::Tab order: a tab's index is its position here.
const QStringList kTabs{QStringLiteral("over-time"), QStringLiteral("servers"),     QStringLiteral("ipvsadm"),
                        QStringLiteral("topology"),
                        QStringLiteral("compare"),   QStringLiteral("packet-walk"), QStringLiteral("scenario"),
                        QStringLiteral("theory"),    QStringLiteral("sweep"),       QStringLiteral("timeline")};

constexpr int kTimeoutMs = 600'000;  // wall time a whole scripted session may take
constexpr int kSettleMs = 250;        // for the posted layout events before a screenshot

[[noreturn]] void bad(const QString& message) { throw std::invalid_argument(message.toStdString()); }

double number(const WhatIfChange& c) {
  bool ok = false;
  const double v = c.value.toDouble(&ok);
  if (!ok) bad(QStringLiteral("--change %1=%2: expected a number").arg(c.control, c.value));
  return v;
}

// Picks `value` in `combo` as a user would, or fails listing what it offers.
void choose(QComboBox* combo, const WhatIfChange& c) {
  const int index = combo->findText(c.value);
  if (index < 0) {
    QStringList items;
    for (int i = 0; i < combo->count(); ++i) items << combo->itemText(i);
    bad(QStringLiteral("--change %1=%2: expected one of %3").arg(c.control, c.value, items.join(", ")));
  }
  combo->setCurrentIndex(index);
}

void set_weight(MainWindow& w, const WhatIfChange& c) {
  bool ok = false;
  const int i = c.control.mid(7).toInt(&ok);
  const int count = static_cast<int>(w.whatif()->weight_count());
  if (!ok || i < 0 || i >= count)
    bad(QStringLiteral("--change %1: expected weight.N with N in 0..%2 (the first service's destinations)")
            .arg(c.control)
            .arg(count - 1));
  QSlider* slider = w.whatif()->weight_slider(static_cast<std::size_t>(i));
  const int v = static_cast<int>(number(c));
  if (v < 0 || v > 65535) bad(QStringLiteral("--change %1=%2: expected a weight in 0..65535").arg(c.control, c.value));
  slider->setMaximum(std::max(slider->maximum(), v));
  slider->setValue(v);
}

}  // namespace

WhatIfChange parse_change(const QString& text) {
  const qsizetype eq = text.indexOf('=');
  if (eq <= 0) bad(QStringLiteral("--change %1: expected CONTROL=VALUE").arg(text));
  WhatIfChange c{text.left(eq).trimmed(), text.mid(eq + 1).trimmed()};
  const bool known = kControls.contains(c.control) || c.control.startsWith(QStringLiteral("weight."));
  if (!known) bad(QStringLiteral("--change %1: unknown control '%2'; expected one of %3")
                      .arg(text, c.control, kControls.join(", ")));
  return c;
}

QSize parse_window_size(const QString& text) {
  const QStringList parts = text.split('x');
  bool w_ok = false, h_ok = false;
  const int w = parts.size() == 2 ? parts[0].toInt(&w_ok) : 0, h = parts.size() == 2 ? parts[1].toInt(&h_ok) : 0;
  if (!w_ok || !h_ok || w < 640 || h < 480 || w > 7680 || h > 4320)
    bad(QStringLiteral("--size %1: expected WIDTHxHEIGHT in pixels, from 640x480 to 7680x4320").arg(text));
  return {w, h};
}

void apply_change(MainWindow& w, const WhatIfChange& c) {
  WhatIfPanel& p = *w.whatif();
  if (c.control == "scheduler") return choose(p.scheduler_combo(), c);
  if (c.control == "method") return choose(p.method_combo(), c);
  if (c.control == "netmask") return choose(p.netmask_combo(), c);
  if (c.control == "failure") return choose(p.failure_combo(), c);
  if (c.control == "rate") return p.rate_spin()->setValue(number(c));
  if (c.control == "servers") return p.servers_spin()->setValue(static_cast<int>(number(c)));
  if (c.control.startsWith(QStringLiteral("weight."))) return set_weight(w, c);
  if (c.value == "off") return p.persistent_check()->setChecked(false);
  p.persistent_spin()->setValue(static_cast<int>(number(c)));
  p.persistent_check()->setChecked(true);
}

QStringList tab_screenshot_names() {
  QStringList names;
  for (const QString& tab : kTabs) names << tab + ".png";
  return names;
}

ScriptedSession::ScriptedSession(MainWindow& window, Plan plan) : window_(window), plan_(std::move(plan)) {
  if (!plan_.tab.isEmpty() && !kTabs.contains(plan_.tab))
    bad(QStringLiteral("--tab %1: expected one of %2").arg(plan_.tab, kTabs.join(", ")));
}

void ScriptedSession::begin() {
  QTimer::singleShot(kTimeoutMs, this, [this] { finish(1, QStringLiteral("gave up after 10 minutes")); });
  connect(&window_, &MainWindow::redrawn, this, &ScriptedSession::after_run);
  connect(window_.worker(), &RunWorker::failed, this, [this](const QString& m) { finish(1, m); });
  if (!window_.loaded()) return finish(1, window_.status_text());
  window_.start();
}

// After each run: the next change (which re-runs), or the tracing, comparing and capturing.
void ScriptedSession::after_run() {
  if (change_ < plan_.changes.size()) {
    const WhatIfChange& c = plan_.changes[change_++];
    try {
      apply_change(window_, c);
    } catch (const std::exception& e) {
      return finish(2, QString::fromStdString(e.what()));
    }
    if (!window_.loaded())
      return finish(1, QStringLiteral("--change %1=%2: %3").arg(c.control, c.value, window_.status_text()));
    if (!window_.run_pending()) window_.start();  // the value it already had: run again anyway
    return;  // the change re-runs the scenario; redrawn() comes back here
  }
  disconnect(&window_, &MainWindow::redrawn, this, &ScriptedSession::after_run);
  if (plan_.screenshots.isEmpty()) return settle_then_capture();
  steps_ = {[this] { window_.packet_walk()->trace(); }, [this] { window_.compare()->start(); }};
  steps_.push_back([this] {  // the default grid, with an SLO line and its search
    window_.sweep()->slo_check()->setChecked(true);
    window_.sweep()->start();
    if (!window_.sweep()->running()) next_step();  // nothing to sweep: the tab shows why
  });
  // The walk's picture at its most telling hop: the director's first rewrite, all columns there.
  connect(window_.packet_walk(), &PacketWalkPanel::traced, window_.packet_walk(), &PacketWalkPanel::jump_to_director);
  connect(window_.packet_walk(), &PacketWalkPanel::traced, this, &ScriptedSession::next_step);
  connect(window_.compare(), &ComparePanel::compared, this, &ScriptedSession::next_step);
  connect(window_.sweep(), &SweepPanel::swept, this, &ScriptedSession::next_step);
  connect(window_.sweep()->worker(), &SweepWorker::failed, this, &ScriptedSession::next_step);
  next_step();
}

void ScriptedSession::next_step() {
  if (steps_.empty()) return settle_then_capture();
  const std::function<void()> step = steps_.front();
  steps_.erase(steps_.begin());
  step();
}

// Chart legends and layouts are laid out from posted events: let them run before a picture.
void ScriptedSession::settle_then_capture() { QTimer::singleShot(kSettleMs, this, &ScriptedSession::capture); }

void ScriptedSession::capture() {
  if (!plan_.screenshot.isEmpty()) {
    window_.show_tab(static_cast<MainWindow::Tab>(plan_.tab.isEmpty() ? 0 : kTabs.indexOf(plan_.tab)));
    if (!window_.grab().save(plan_.screenshot)) return finish(1, QStringLiteral("cannot write ") + plan_.screenshot);
  }
  if (!plan_.screenshots.isEmpty()) {
    if (!QDir().mkpath(plan_.screenshots)) return finish(1, QStringLiteral("cannot create ") + plan_.screenshots);
    const QStringList names = tab_screenshot_names();
    for (qsizetype t = 0; t < names.size(); ++t) {
      window_.show_tab(static_cast<MainWindow::Tab>(t));
      const QString path = QDir(plan_.screenshots).filePath(names[t]);
      if (!window_.grab().save(path)) return finish(1, QStringLiteral("cannot write ") + path);
    }
  }
  finish(0);
}

void ScriptedSession::finish(int status, const QString& error) {
  if (!error.isEmpty()) qCritical("lvslab-gui: %s", qPrintable(error));
  // Queued: begin() may end the session before the event loop has started.
  QMetaObject::invokeMethod(qApp, [status] { QApplication::exit(status); }, Qt::QueuedConnection);
}

}  // namespace lvs::gui
