#include "main_window.hpp"

#include <QApplication>

#include <algorithm>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "compare_panel.hpp"
#include "ipvsadm_panel.hpp"
#include "lvs/version.hpp"
#include "packet_walk_panel.hpp"
#include "readme_help.hpp"
#include "run_banner.hpp"
#include "run_charts.hpp"
#include "scenario_editor.hpp"
#include "sweep_panel.hpp"
#include "theory_window.hpp"
#include "timeline_panel.hpp"
#include "topology_view.hpp"

namespace lvs::gui {

namespace {

constexpr int kDebounceMs = 200;
constexpr int kRecentFiles = 8;
const QString kRecentKey = QStringLiteral("recent_files");
constexpr int kSidePanelWidth = 340;

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      worker_(new RunWorker(this)),
      debounce_(new QTimer(this)),
      draw_timer_(new QTimer(this)),
      charts_(new RunCharts(this)) {
  debounce_->setSingleShot(true);
  debounce_->setInterval(kDebounceMs);
  draw_timer_->setSingleShot(true);
  connect(draw_timer_, &QTimer::timeout, this, &MainWindow::draw_pending_samples);
  build_ui();
  build_menus();
  connect(debounce_, &QTimer::timeout, this, &MainWindow::start);
  connect(worker_, &RunWorker::started, this, &MainWindow::on_started);
  connect(worker_, &RunWorker::sampled, this, &MainWindow::on_sample);
  connect(worker_, &RunWorker::progress, this, &MainWindow::on_progress);
  connect(worker_, &RunWorker::finished, this, &MainWindow::on_finished);
  connect(worker_, &RunWorker::cancelled, this, &MainWindow::on_cancelled);
  connect(worker_, &RunWorker::failed, this, &MainWindow::on_failed);
  connect(editor_, &ScenarioEditor::spec_changed, this, &MainWindow::on_spec_changed);
  connect(editor_, &ScenarioEditor::spec_invalid, this, &MainWindow::scenario_invalid);
  connect(editor_, &ScenarioEditor::modification_changed, this, &MainWindow::update_title);
  connect(editor_, &ScenarioEditor::checked, this, &MainWindow::on_checked);
  connect(pin_, &QAction::toggled, this, &MainWindow::pin_baseline);
  connect_whatif();
  connect(tabs_, &QTabWidget::currentChanged, this, &MainWindow::trace_if_shown);
  run_button_->setEnabled(false);
  status_->setText(QStringLiteral("File > Open a scenario (scenarios/*.yaml)"));
  show_tab(Tab::Theory);
  update_title();
}

MainWindow::MainWindow(const std::string& path, const std::vector<std::string>& overrides, QWidget* parent)
    : MainWindow(parent) {
  overrides_ = overrides;
  editor_->set_overrides(overrides);
  open(QString::fromStdString(path));
}

MainWindow::~MainWindow() = default;

void MainWindow::build_ui() {
  tabs_ = new QTabWidget;
  pin_ = new QAction(QStringLiteral("Pin as baseline"), this);
  pin_->setCheckable(true);
  pin_->setEnabled(false);
  pin_->setToolTip(QStringLiteral("Keep the last run as the dashed overlay of every later run, until unpinned"));
  banner_ = new RunBanner(pin_);
  auto* over_time = new QWidget;
  auto* over_time_layout = new QVBoxLayout(over_time);
  over_time_layout->setContentsMargins(0, 0, 0, 0);
  over_time_layout->addWidget(banner_);
  over_time_layout->addWidget(charts_->make_time_page(), 1);
  tabs_->addTab(over_time, QStringLiteral("Over time"));
  tabs_->addTab(charts_->make_server_page(), QStringLiteral("Servers && latency"));
  ipvsadm_ = new IpvsadmPanel;
  tabs_->addTab(ipvsadm_, QStringLiteral("ipvsadm"));
  topology_ = new TopologyView;
  tabs_->addTab(topology_, QStringLiteral("Topology"));
  compare_ = new ComparePanel;
  tabs_->addTab(compare_, QStringLiteral("Compare"));
  walk_ = new PacketWalkPanel;
  tabs_->addTab(walk_, QStringLiteral("Packet walk"));
  editor_ = new ScenarioEditor;
  tabs_->addTab(editor_, QStringLiteral("Scenario"));
  theory_ = new TheoryWindow;
  theory_->setWindowFlags(Qt::Widget);
  tabs_->addTab(theory_, QStringLiteral("Theory (M/M/c)"));
  sweep_ = new SweepPanel;
  tabs_->addTab(sweep_, QStringLiteral("Sweep"));
  timeline_ = new TimelinePanel;
  tabs_->addTab(timeline_, QStringLiteral("Timeline"));

  auto* splitter = new QSplitter;
  splitter->addWidget(build_side_panel());
  splitter->addWidget(tabs_);
  splitter->setStretchFactor(1, 1);
  splitter->setCollapsible(0, false);
  setCentralWidget(splitter);
  resize(1280, 800);
  const int side = splitter->widget(0)->minimumWidth();
  splitter->setSizes({side, 1280 - side});
}

// The what-if controls above the run button, progress and status, scrolling if tall.
QWidget* MainWindow::build_side_panel() {
  whatif_ = new WhatIfPanel;
  run_button_ = new QPushButton(QStringLiteral("Run"));
  progress_ = new QProgressBar;
  progress_->setRange(0, kProgressSteps);
  status_ = new QLabel;
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* panel = new QWidget;
  auto* layout = new QVBoxLayout(panel);
  layout->addWidget(whatif_);
  layout->addWidget(run_button_);
  layout->addWidget(progress_);
  layout->addWidget(status_);
  layout->addStretch();
  auto* scroll = new QScrollArea;
  scroll->setWidget(panel);
  scroll->setWidgetResizable(true);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  // As wide as the controls need (nothing cut off on the right), a vertical scroll bar beside.
  const int scroll_bar = scroll->style()->pixelMetric(QStyle::PM_ScrollBarExtent);
  scroll->setMinimumWidth(std::max(kSidePanelWidth, panel->minimumSizeHint().width() + scroll_bar));
  scroll->setFrameShape(QFrame::NoFrame);
  connect(run_button_, &QPushButton::clicked, this, [this] { running() ? cancel() : start(); });
  return scroll;
}

void MainWindow::build_menus() {
  QMenu* file = menuBar()->addMenu(QStringLiteral("&File"));
  file->addAction(QStringLiteral("&Open…"), QKeySequence::Open, this, [this] {
    if (!may_discard_edits()) return;
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Open scenario"), QString(),
                                                      QStringLiteral("Scenarios (*.yaml *.yml);;All files (*)"));
    if (!path.isEmpty()) open(path);
  });
  recent_menu_ = file->addMenu(QStringLiteral("Open &recent"));
  fill_recent_menu();
  file->addAction(QStringLiteral("&Save"), QKeySequence::Save, this, [this] {
    if (!save()) QMessageBox::warning(this, QStringLiteral("lvslab"), status_text());
  });
  file->addAction(QStringLiteral("Save &as…"), QKeySequence::SaveAs, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Save scenario"), editor_->file_path(),
                                                      QStringLiteral("Scenarios (*.yaml *.yml)"));
    if (!path.isEmpty() && !save(path)) QMessageBox::warning(this, QStringLiteral("lvslab"), status_text());
  });
  file->addSeparator();
  file->addAction(QStringLiteral("&Export run (charts, JSON, CSV)…"), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, QStringLiteral("Export the run to"));
    if (!dir.isEmpty() && !export_run(dir)) QMessageBox::warning(this, QStringLiteral("lvslab"), status_text());
  });
  file->addSeparator();
  file->addAction(QStringLiteral("&Quit"), QKeySequence::Quit, this, &QWidget::close);
  QMenu* run = menuBar()->addMenu(QStringLiteral("&Run"));
  run->addAction(QStringLiteral("&Run now"), QKeySequence(Qt::Key_F5), this, &MainWindow::start);
  run->addAction(QStringLiteral("&Cancel"), QKeySequence(Qt::Key_Escape), this, &MainWindow::cancel);
  run->addSeparator();
  run->addAction(pin_);
  add_help_menu(menuBar(), this);
}

bool MainWindow::open(const QString& path) {
  cancel();
  pin_->setChecked(false);
  pin_->setEnabled(false);
  last_.reset();
  previous_.reset();
  valid_ = false;
  if (!editor_->load_file(path)) {
    scenario_invalid(QStringLiteral("cannot load: %1").arg(editor_->error_text()));
    return false;
  }
  remember_recent(path);
  editor_->check_now();
  update_title();
  if (valid_) show_tab(Tab::OverTime);
  return true;
}

bool MainWindow::save(const QString& path) {
  const QString target = path.isEmpty() ? editor_->file_path() : path;
  if (!editor_->save(target)) {
    status_->setText(editor_->error_text());
    return false;
  }
  remember_recent(target);
  update_title();
  return true;
}

QStringList MainWindow::recent_files() const { return QSettings().value(kRecentKey).toStringList(); }

void MainWindow::remember_recent(const QString& path) {
  QStringList files = recent_files();
  const QString absolute = QFileInfo(path).absoluteFilePath();
  files.removeAll(absolute);
  files.prepend(absolute);
  while (files.size() > kRecentFiles) files.removeLast();
  QSettings().setValue(kRecentKey, files);
  fill_recent_menu();
}

void MainWindow::fill_recent_menu() {
  recent_menu_->clear();
  for (const QString& path : recent_files())
    recent_menu_->addAction(path, this, [this, path] { open(path); });
  recent_menu_->setEnabled(!recent_menu_->isEmpty());
}

void MainWindow::update_title() {
  const QString file = editor_->file_path().isEmpty() ? QStringLiteral("no scenario")
                                                       : QFileInfo(editor_->file_path()).fileName();
  setWindowTitle(QStringLiteral("lvslab %1 — %2%3").arg(kVersion, file, editor_->modified() ? "*" : ""));
}

void MainWindow::show_tab(Tab tab) { tabs_->setCurrentIndex(static_cast<int>(tab)); }

QString MainWindow::status_text() const { return status_->text(); }
QChart* MainWindow::throughput_chart() const { return charts_->chart(RunChart::Throughput); }
QChart* MainWindow::latency_chart() const { return charts_->chart(RunChart::Latency); }
QComboBox* MainWindow::scheduler_combo() const { return whatif_->scheduler_combo(); }
QComboBox* MainWindow::method_combo() const { return whatif_->method_combo(); }
QDoubleSpinBox* MainWindow::rate_spin() const { return whatif_->rate_spin(); }

}  // namespace lvs::gui
