#include "compare_panel.hpp"

#include <QChart>
#include <QChartView>
#include <QFont>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <set>
#include <utility>

#include "chart_export.hpp"
#include "compare_chart.hpp"
#include "schedulers/registry.hpp"

namespace lvs::gui {

namespace {

constexpr int kChartColumns = 3;
constexpr int kNameRole = Qt::UserRole;

// A cell with the library's text (as `lvslab compare` prints it) and the full numbers as
// its tooltip, which says why a difference with no spread is not starred.
QTableWidgetItem* cell(const std::string& text, const ConfidenceInterval& ci) {
  auto* item = new QTableWidgetItem(QString::fromStdString(text));
  QString tip = QStringLiteral("mean %1, 95% half-width %2, n = %3")
                    .arg(ci.mean, 0, 'g', 17)
                    .arg(ci.half_width, 0, 'g', 17)
                    .arg(ci.n);
  if (run::no_spread(ci))
    tip += QStringLiteral("\nno spread: every replication gave the same value, so no interval can be estimated");
  item->setToolTip(tip);
  return item;
}

QString seeds_text(const run::CompareResult& r) {
  if (r.seeds.size() == 1) return QStringLiteral("seed %1").arg(r.seeds.front());
  return QStringLiteral("seeds %1..%2").arg(r.seeds.front()).arg(r.seeds.back());
}

// Every registered scheduler, checkable, unchecked, its description as tooltip.
QListWidget* make_scheduler_list() {
  auto* list = new QListWidget;
  for (const SchedulerInfo& info : scheduler_list()) {
    auto* item = new QListWidgetItem(QString::fromStdString(info.name), list);
    item->setData(kNameRole, QString::fromStdString(info.name));
    item->setToolTip(QString::fromStdString(info.description));
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Unchecked);
  }
  return list;
}

}  // namespace

ComparePanel::ComparePanel(QWidget* parent) : QWidget(parent), worker_(new CompareWorker(this)) {
  build_ui();
  connect(worker_, &CompareWorker::progress, this, &ComparePanel::on_progress);
  connect(worker_, &CompareWorker::finished, this, &ComparePanel::on_finished);
  connect(worker_, &CompareWorker::cancelled, this, &ComparePanel::on_cancelled);
  connect(worker_, &CompareWorker::failed, this, &ComparePanel::on_failed);
}

void ComparePanel::build_ui() {
  auto* splitter = new QSplitter(Qt::Vertical);
  splitter->addWidget(build_charts());
  table_ = new QTableWidget;
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  splitter->addWidget(table_);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 1);
  auto* layout = new QHBoxLayout(this);
  layout->addWidget(build_controls());
  layout->addWidget(splitter, 1);
  check_defaults();
  status_->setText(QStringLiteral("no scenario yet"));
}

QWidget* ComparePanel::build_controls() {
  schedulers_ = make_scheduler_list();
  selection_error_ = new QLabel;
  selection_error_->setWordWrap(true);
  selection_error_->setStyleSheet(QStringLiteral("color: #b00020"));
  replications_ = new QSpinBox;
  replications_->setRange(1, 100);
  replications_->setValue(5);
  replications_->setToolTip(QStringLiteral("runs per scheduler, seeds s, s+1, … shared by every scheduler"));
  jobs_ = new QSpinBox;
  jobs_->setRange(1, 256);
  jobs_->setValue(2);
  jobs_->setToolTip(QStringLiteral("runs at once, each on a thread of its own"));
  run_button_ = new QPushButton(QStringLiteral("Run"));
  progress_ = new QProgressBar;
  status_ = new QLabel;
  status_->setWordWrap(true);

  auto* controls = new QWidget;
  controls->setFixedWidth(230);
  auto* form = new QFormLayout(controls);
  form->setContentsMargins(0, 0, 0, 0);
  form->addRow(new QLabel(QStringLiteral("Schedulers (first = baseline)")));
  form->addRow(schedulers_);
  form->addRow(selection_error_);
  form->addRow(QStringLiteral("Replications"), replications_);
  form->addRow(QStringLiteral("Threads"), jobs_);
  form->addRow(run_button_);
  form->addRow(progress_);
  form->addRow(status_);
  connect(schedulers_, &QListWidget::itemChanged, this, &ComparePanel::on_item_changed);
  connect(run_button_, &QPushButton::clicked, this, [this] { running() ? cancel() : start(); });
  return controls;
}

QWidget* ComparePanel::build_charts() {
  auto* charts = new QWidget;
  auto* grid = new QGridLayout(charts);
  grid->setContentsMargins(0, 0, 0, 0);
  for (std::size_t m = 0; m < run::kCompareMetrics; ++m) {
    charts_[m] = make_compare_chart(static_cast<run::CompareMetric>(m));
    auto* view = new QChartView(charts_[m]);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(240, 180);
    add_export_actions(view);
    grid->addWidget(view, static_cast<int>(m) / kChartColumns, static_cast<int>(m) % kChartColumns);
  }
  return charts;
}

void ComparePanel::set_spec(const scenario::ScenarioSpec& spec) {
  spec_ = spec;
  if (!user_choice_) check_defaults();
  const QString own = spec.services.empty() ? QString() : QString::fromStdString(spec.services.front().scheduler);
  const QSignalBlocker block(schedulers_);
  for (int i = 0; i < schedulers_->count(); ++i) {
    QListWidgetItem* item = schedulers_->item(i);
    QFont font = item->font();
    font.setBold(item->data(kNameRole).toString() == own);
    item->setFont(font);
  }
  if (!running()) status_->setText(QStringLiteral("%1: ready").arg(QString::fromStdString(spec.name)));
}

// Checks the scenario's own scheduler and rr, wlc, sh; unchecks the rest.
void ComparePanel::check_defaults() {
  std::set<QString> wanted{QStringLiteral("rr"), QStringLiteral("wlc"), QStringLiteral("sh")};
  if (spec_ && !spec_->services.empty()) wanted.insert(QString::fromStdString(spec_->services.front().scheduler));
  const QSignalBlocker block(schedulers_);
  for (int i = 0; i < schedulers_->count(); ++i) {
    QListWidgetItem* item = schedulers_->item(i);
    item->setCheckState(wanted.contains(item->data(kNameRole).toString()) ? Qt::Checked : Qt::Unchecked);
  }
}

std::vector<std::string> ComparePanel::selected_schedulers() const {
  const std::string own = spec_ && !spec_->services.empty() ? spec_->services.front().scheduler : std::string();
  std::vector<std::string> names;
  for (int i = 0; i < schedulers_->count(); ++i) {
    const QListWidgetItem* item = schedulers_->item(i);
    if (item->checkState() != Qt::Checked) continue;
    const std::string name = item->data(kNameRole).toString().toStdString();
    if (name == own) names.insert(names.begin(), name);
    else names.push_back(name);
  }
  return names;
}

QString ComparePanel::status_text() const { return status_->text(); }
QString ComparePanel::selection_error() const { return selection_error_->text(); }

void ComparePanel::on_item_changed(QListWidgetItem*) {
  user_choice_ = true;
  if (!selected_schedulers().empty()) selection_error_->clear();
}

void ComparePanel::start() {
  const std::vector<std::string> names = selected_schedulers();
  const QString error = !spec_ ? QStringLiteral("no scenario to compare")
                        : names.empty() ? QStringLiteral("select at least one scheduler")
                                        : QString();
  selection_error_->setText(error);
  if (!error.isEmpty()) {
    status_->setText(QStringLiteral("not run: %1").arg(error));
    return;
  }
  const int replications = replications_->value();
  worker_->start(*spec_, names, replications, jobs_->value());
  progress_->setRange(0, static_cast<int>(names.size()) * replications);
  progress_->setValue(0);
  status_->setText(QStringLiteral("running %1 scheduler(s) × %2 replication(s)…").arg(names.size()).arg(replications));
  set_running_ui(true);
}

void ComparePanel::cancel() { worker_->cancel(); }

void ComparePanel::set_running_ui(bool running) {
  run_button_->setText(running ? QStringLiteral("Cancel") : QStringLiteral("Run"));
}

void ComparePanel::on_progress(int done, int total) {
  progress_->setRange(0, total);
  progress_->setValue(done);
}

void ComparePanel::on_finished(lvs::run::CompareResult result) {
  result_ = std::move(result);
  progress_->setValue(progress_->maximum());
  set_running_ui(false);
  status_->setText(QStringLiteral("%1: %2 (common random numbers), %3 replication(s) per scheduler, "
                                  "%4 s simulated (warm-up %5 s)")
                       .arg(QString::fromStdString(result_->scenario), seeds_text(*result_))
                       .arg(result_->replications)
                       .arg(result_->sim_time_s, 0, 'f', 1)
                       .arg(result_->warmup_s, 0, 'f', 1));
  for (std::size_t m = 0; m < run::kCompareMetrics; ++m)
    fill_compare_chart(*charts_[m], static_cast<run::CompareMetric>(m), *result_);
  fill_table();
  emit compared();
}

void ComparePanel::on_cancelled() {
  set_running_ui(false);
  status_->setText(QStringLiteral("cancelled"));
}

void ComparePanel::on_failed(const QString& message) {
  set_running_ui(false);
  status_->setText(QStringLiteral("compare failed: %1").arg(message));
}

// A row per metric; per scheduler a column of mean ± half-width and, after the first, one
// of the paired difference against the first (* when its 95% interval excludes 0,
// "(no spread)" when every replication gave the same difference).
void ComparePanel::fill_table() {
  const run::CompareResult& r = *result_;
  if (r.schedulers.empty()) return;
  const QString base = QString::fromStdString(r.schedulers.front().scheduler);
  QStringList columns, rows;
  for (const run::SchedulerComparison& s : r.schedulers) {
    columns.append(QString::fromStdString(s.scheduler));
    if (s.paired) columns.append(QStringLiteral("%1 − %2").arg(columns.back(), base));
  }
  for (std::size_t m = 0; m < run::kCompareMetrics; ++m)
    rows.append(QString::fromLatin1(run::metric_info(static_cast<run::CompareMetric>(m)).heading));
  table_->clear();
  table_->setRowCount(static_cast<int>(rows.size()));
  table_->setColumnCount(static_cast<int>(columns.size()));
  table_->setHorizontalHeaderLabels(columns);
  table_->setVerticalHeaderLabels(rows);
  for (std::size_t m = 0; m < run::kCompareMetrics; ++m) {
    const int digits = run::metric_info(static_cast<run::CompareMetric>(m)).decimals;
    int column = 0;
    for (const run::SchedulerComparison& s : r.schedulers) {
      table_->setItem(static_cast<int>(m), column++, cell(run::interval_text(s.metrics[m], digits), s.metrics[m]));
      if (!s.paired) continue;
      const ConfidenceInterval& d = (*s.paired)[m];
      table_->setItem(static_cast<int>(m), column++, cell(run::difference_text(d, digits), d));
    }
  }
  table_->resizeColumnsToContents();
  // Every metric's row in view; the charts give up the height.
  table_->setMinimumHeight(table_->horizontalHeader()->sizeHint().height() + table_->verticalHeader()->length() +
                           2 * table_->frameWidth());
}

}  // namespace lvs::gui
