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
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <set>
#include <utility>

#include "chart_export.hpp"
#include "compare_chart.hpp"
#include "schedulers/registry.hpp"

namespace lvs::gui {

namespace {

constexpr int kChartColumns = 3;
constexpr int kNameRole = Qt::UserRole;

// The full numbers of an interval, and why one with no spread is not starred.
QString interval_tip(const ConfidenceInterval& ci) {
  QString tip = QStringLiteral("mean %1, 95% half-width %2, n = %3")
                    .arg(ci.mean, 0, 'g', 17)
                    .arg(ci.half_width, 0, 'g', 17)
                    .arg(ci.n);
  if (run::no_spread(ci))
    tip += QStringLiteral("\nno spread: every replication gave the same value, so no interval can be estimated");
  return tip;
}

// Metric `m` of scheduler `s` with the library's texts (as `lvslab compare` prints them):
// its mean ± half-width, and under it "Δ " and its difference from the baseline (absent for
// the baseline itself); the tooltip has the intervals in full.
QTableWidgetItem* table_cell(const run::SchedulerComparison& s, std::size_t m, int digits) {
  QString text = QString::fromStdString(run::interval_text(s.metrics[m], digits));
  QString tip = interval_tip(s.metrics[m]);
  if (s.paired) {
    const ConfidenceInterval& d = (*s.paired)[m];
    text += QStringLiteral("\nΔ ") + QString::fromStdString(run::difference_text(d, digits));
    tip += QStringLiteral("\ndifference from the baseline: ") + interval_tip(d);
  }
  auto* item = new QTableWidgetItem(text);
  item->setToolTip(tip);
  return item;
}

QString seeds_text(const run::CompareResult& r) {
  if (r.seeds.size() == 1) return QStringLiteral("seed %1").arg(r.seeds.front());
  return QStringLiteral("seeds %1..%2").arg(r.seeds.front()).arg(r.seeds.back());
}

// Every registered scheduler, checkable, unchecked, its description as tooltip; lvslab's
// own (not in the kernel) in italics and marked, so nobody plans a cluster on one.
QListWidget* make_scheduler_list() {
  auto* list = new QListWidget;
  for (const SchedulerInfo& info : scheduler_list()) {
    const QString name = QString::fromStdString(info.name);
    auto* item = new QListWidgetItem(info.in_kernel ? name : name + QStringLiteral("†  not in the kernel"), list);
    item->setData(kNameRole, name);
    QString tip = QString::fromStdString(info.description);
    if (!info.in_kernel) {
      tip += QStringLiteral("\nlvslab's own: not a scheduler of Linux IPVS (ipvsadm -s cannot set it)");
      QFont font = item->font();
      font.setItalic(true);
      item->setFont(font);
    }
    item->setToolTip(tip);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Unchecked);
  }
  return list;
}

// What the table's and the charts' marks mean, under the table.
QString legend_text() {
  return QStringLiteral(
      "± and whiskers: 95% confidence interval of the mean.  Δ: minus the baseline, paired by seed; "
      "* its 95% interval excludes 0; (no spread): the same in every replication, never starred.  "
      "Imbalance, Jain: requests per unit weight (1 = the weighted share).  "
      "† not in the Linux kernel (lvslab's own).  Value axes span the intervals, not from 0.");
}

}  // namespace

ComparePanel::ComparePanel(QWidget* parent) : QWidget(parent), worker_(new CompareWorker(this)) {
  build_ui();
  connect(worker_, &CompareWorker::progress, this, &ComparePanel::on_progress);
  connect(worker_, &CompareWorker::finished, this, &ComparePanel::on_finished);
  connect(worker_, &CompareWorker::cancelled, this, &ComparePanel::on_cancelled);
  connect(worker_, &CompareWorker::failed, this, &ComparePanel::on_failed);
}

// The controls in a column on the left; on the right the charts take what the table (as
// tall as its rows, set by fill_table()) and the legend line leave.
void ComparePanel::build_ui() {
  table_ = new QTableWidget;
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setFixedHeight(table_->horizontalHeader()->sizeHint().height() + 2 * table_->frameWidth());
  legend_ = new QLabel(legend_text());
  legend_->setWordWrap(true);
  auto* right = new QVBoxLayout;
  right->addWidget(build_charts(), 1);
  right->addWidget(table_);
  right->addWidget(legend_);
  auto* layout = new QHBoxLayout(this);
  layout->addWidget(build_controls());
  layout->addLayout(right, 1);
  check_defaults();
  status_->setText(QStringLiteral("no scenario yet"));
}

QWidget* ComparePanel::build_controls() {
  schedulers_ = make_scheduler_list();
  schedulers_->setMinimumHeight(120);
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
  auto* heading = new QLabel(QStringLiteral("Schedulers (the first checked is the baseline)"));
  heading->setWordWrap(true);
  baseline_ = new QLabel;

  auto* controls = new QWidget;
  controls->setFixedWidth(230);
  auto* column = new QVBoxLayout(controls);
  column->setContentsMargins(0, 0, 0, 0);
  column->addWidget(heading);
  column->addWidget(schedulers_, 1);  // the list gives up height first, and scrolls
  column->addWidget(baseline_);
  column->addWidget(selection_error_);
  auto* form = new QFormLayout;
  form->addRow(QStringLiteral("Replications"), replications_);
  form->addRow(QStringLiteral("Threads"), jobs_);
  column->addLayout(form);
  column->addWidget(run_button_);
  column->addWidget(progress_);
  column->addWidget(status_);
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

// Checks the scenario's own scheduler and rr, wlc, sh; unchecks the rest. The scenario's
// own is the baseline, the others follow by name.
void ComparePanel::check_defaults() {
  std::set<QString> wanted{QStringLiteral("rr"), QStringLiteral("wlc"), QStringLiteral("sh")};
  const QString own = spec_ && !spec_->services.empty() ? QString::fromStdString(spec_->services.front().scheduler)
                                                        : QString();
  if (!own.isEmpty()) wanted.insert(own);
  order_.clear();
  if (!own.isEmpty()) order_.push_back(own.toStdString());
  const QSignalBlocker block(schedulers_);
  for (int i = 0; i < schedulers_->count(); ++i) {
    QListWidgetItem* item = schedulers_->item(i);
    const QString name = item->data(kNameRole).toString();
    item->setCheckState(wanted.contains(name) ? Qt::Checked : Qt::Unchecked);
    if (wanted.contains(name) && name != own) order_.push_back(name.toStdString());
  }
  show_baseline();
}

std::vector<std::string> ComparePanel::selected_schedulers() const { return order_; }

void ComparePanel::show_baseline() {
  baseline_->setText(order_.empty() ? QStringLiteral("baseline: none")
                                    : QStringLiteral("baseline: %1").arg(scheduler_label(order_.front())));
}

QString ComparePanel::status_text() const { return status_->text(); }
QString ComparePanel::selection_error() const { return selection_error_->text(); }

// Keeps the order the user checks in: a newly checked scheduler goes last, an unchecked one
// leaves (the next becomes the baseline if it was the first).
void ComparePanel::on_item_changed(QListWidgetItem* item) {
  user_choice_ = true;
  const std::string name = item->data(kNameRole).toString().toStdString();
  const auto at = std::find(order_.begin(), order_.end(), name);
  if (item->checkState() == Qt::Checked && at == order_.end()) order_.push_back(name);
  if (item->checkState() != Qt::Checked && at != order_.end()) order_.erase(at);
  show_baseline();
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

// A row per metric and a column per scheduler, the baseline first: mean ± half-width and,
// under it for the others, "Δ " and the difference against the baseline as `lvslab compare`
// prints it (* when its 95% interval excludes 0, "(no spread)" when every replication gave
// the same difference). Two lines a cell keep four schedulers inside the default window.
void ComparePanel::fill_table() {
  const run::CompareResult& r = *result_;
  if (r.schedulers.empty()) return;
  QStringList columns, rows;
  for (const run::SchedulerComparison& s : r.schedulers)
    columns.append(scheduler_label(s.scheduler) + (s.paired ? QString() : QStringLiteral(" (baseline)")));
  for (std::size_t m = 0; m < run::kCompareMetrics; ++m)
    rows.append(QString::fromLatin1(run::metric_info(static_cast<run::CompareMetric>(m)).heading));
  table_->clear();
  table_->setRowCount(static_cast<int>(rows.size()));
  table_->setColumnCount(static_cast<int>(columns.size()));
  table_->setHorizontalHeaderLabels(columns);
  table_->setVerticalHeaderLabels(rows);
  for (std::size_t m = 0; m < run::kCompareMetrics; ++m) {
    const int digits = run::metric_info(static_cast<run::CompareMetric>(m)).decimals;
    for (std::size_t c = 0; c < r.schedulers.size(); ++c)
      table_->setItem(static_cast<int>(m), static_cast<int>(c), table_cell(r.schedulers[c], m, digits));
  }
  table_->resizeColumnsToContents();
  table_->resizeRowsToContents();
  // Every metric's row in view; the charts give up the height.
  table_->setFixedHeight(table_->horizontalHeader()->sizeHint().height() + table_->verticalHeader()->length() +
                         2 * table_->frameWidth());
}

}  // namespace lvs::gui
