#include "sweep_panel.hpp"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <sstream>
#include <stdexcept>
#include <utility>

#include "chart_export.hpp"
#include "chart_kit.hpp"
#include "run/compare.hpp"
#include "scenario/units.hpp"
#include "sweep_chart.hpp"
#include "sweep_params.hpp"
#include "sweep_table.hpp"

namespace lvs::gui {

namespace {

constexpr int kControlsWidth = 270;
constexpr int kDefaultReplications = 3;
constexpr int kDefaultJobs = 2;
constexpr int kMetricRole = Qt::UserRole;

// The metrics --slo takes, with its name for each and the bound's unit.
struct SloMetric {
  run::RunMetric metric;
  const char* name;
  const char* unit;
};
constexpr SloMetric kSloMetrics[] = {{run::RunMetric::LatencyP99, "p99", "ms"},
                                     {run::RunMetric::LatencyP50, "p50", "ms"},
                                     {run::RunMetric::LatencyMean, "mean", "ms"},
                                     {run::RunMetric::FailedFraction, "failed", "%"}};

const SloMetric* slo_metric(run::RunMetric m) {
  for (const SloMetric& s : kSloMetrics)
    if (s.metric == m) return &s;
  return nullptr;
}

// A shell word: as is when it holds only safe characters, else in single quotes.
QString quoted(const QString& text) {
  static const QRegularExpression kSafe(QStringLiteral("^[A-Za-z0-9_./=:,+-]+$"));
  if (kSafe.match(text).hasMatch()) return text;
  return '\'' + QString(text).replace('\'', QStringLiteral("'\\''")) + '\'';
}

// The lines of `text` that start with one of `prefixes`, joined by newlines.
QString lines_starting(const std::string& text, const QStringList& prefixes) {
  QStringList out;
  for (const QString& line : QString::fromStdString(text).split('\n'))
    for (const QString& p : prefixes)
      if (line.startsWith(p)) out << line;
  return out.join('\n');
}

}  // namespace

SweepPanel::SweepPanel(QWidget* parent) : QWidget(parent), worker_(new SweepWorker(this)) {
  auto* layout = new QHBoxLayout(this);
  layout->addWidget(build_controls());
  layout->addWidget(build_results(), 1);
  connect(worker_, &SweepWorker::progress, this, &SweepPanel::on_progress);
  connect(worker_, &SweepWorker::finished, this, &SweepPanel::on_finished);
  connect(worker_, &SweepWorker::cancelled, this, &SweepPanel::on_cancelled);
  connect(worker_, &SweepWorker::failed, this, &SweepPanel::on_failed);
  on_metric_changed();
  // The command line follows every control.
  connect(param_, &QComboBox::editTextChanged, this, &SweepPanel::show_command);
  for (QLineEdit* edit : {values_, seed_}) connect(edit, &QLineEdit::textChanged, this, &SweepPanel::show_command);
  for (QSpinBox* spin : {replications_, jobs_}) connect(spin, &QSpinBox::valueChanged, this, &SweepPanel::show_command);
  for (QDoubleSpinBox* spin : {until_, slo_bound_})
    connect(spin, &QDoubleSpinBox::valueChanged, this, &SweepPanel::show_command);
  for (QComboBox* combo : {metric_, find_}) connect(combo, &QComboBox::currentIndexChanged, this, &SweepPanel::show_command);
  connect(slo_check_, &QCheckBox::toggled, this, &SweepPanel::show_command);
  status_->setText(QStringLiteral("no scenario yet"));
}

// --param's key and values, their error, --replications, --jobs, --until.
void SweepPanel::make_grid_inputs() {
  param_ = new QComboBox;
  param_->setEditable(true);
  param_->setToolTip(QStringLiteral("--param KEY.PATH: any path --set takes"));
  values_ = new QLineEdit;
  values_->setPlaceholderText(QStringLiteral("FROM:TO:STEP or v1,v2,..."));
  values_->setToolTip(QStringLiteral("as --param takes them: 1000:4000:1000, 5ms:20ms:5ms or rr,wlc,sed"));
  error_ = new QLabel;
  error_->setWordWrap(true);
  error_->setStyleSheet(QStringLiteral("color: #b00020"));
  replications_ = new QSpinBox;
  replications_->setRange(1, 10'000);
  replications_->setValue(kDefaultReplications);
  replications_->setToolTip(QStringLiteral("runs per point, seeds s, s+1, … the same at every point"));
  jobs_ = new QSpinBox;
  jobs_->setRange(1, 256);
  jobs_->setValue(kDefaultJobs);
  jobs_->setToolTip(QStringLiteral("runs at once, each on a thread (the numbers do not depend on it)"));
  seed_ = new QLineEdit;
  seed_->setPlaceholderText(QStringLiteral("the scenario's"));
  seed_->setToolTip(QStringLiteral("--seed: the first replication's seed; replication r runs on seed + r"));
  until_ = new QDoubleSpinBox;
  until_->setRange(0, 365.0 * 86400);
  until_->setDecimals(3);
  until_->setSuffix(QStringLiteral(" s"));
  until_->setSpecialValueText(QStringLiteral("the scenario's"));
  until_->setToolTip(QStringLiteral("--until: simulated time of each run"));
}

// The metric to plot and its scale.
void SweepPanel::make_metric_inputs() {
  metric_ = new QComboBox;
  for (std::size_t m = 0; m < run::kRunMetrics; ++m)
    metric_->addItem(QString::fromLatin1(run::run_metric_info(static_cast<run::RunMetric>(m)).heading),
                     static_cast<int>(m));
  metric_->setCurrentIndex(static_cast<int>(run::RunMetric::LatencyP99));
  log_y_ = new QCheckBox(QStringLiteral("log scale"));
  log_y_->setToolTip(QStringLiteral("the metric on a log axis: a latency that grows a hundredfold past saturation "
                                    "still shows the points below it and the SLO line"));
}

QWidget* SweepPanel::build_controls() {
  make_grid_inputs();
  make_metric_inputs();
  run_button_ = new QPushButton(QStringLiteral("Run sweep"));
  progress_ = new QProgressBar;
  status_ = new QLabel;
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* controls = new QWidget;
  controls->setFixedWidth(kControlsWidth);
  auto* form = new QFormLayout(controls);
  form->setContentsMargins(0, 0, 0, 0);
  form->setRowWrapPolicy(QFormLayout::WrapLongRows);
  form->addRow(new QLabel(QStringLiteral("Parameter (--param)")));
  form->addRow(param_);
  form->addRow(QStringLiteral("Values"), values_);
  form->addRow(error_);
  form->addRow(QStringLiteral("Replications"), replications_);
  form->addRow(QStringLiteral("Threads"), jobs_);
  form->addRow(QStringLiteral("Seed"), seed_);
  form->addRow(QStringLiteral("Until"), until_);
  form->addRow(QStringLiteral("Metric"), metric_);
  form->addRow(QString(), log_y_);
  form->addRow(build_slo_controls());
  form->addRow(run_button_);
  form->addRow(progress_);
  form->addRow(status_);
  connect(param_, &QComboBox::activated, this, &SweepPanel::on_param_chosen);
  connect(metric_, &QComboBox::currentIndexChanged, this, &SweepPanel::on_metric_changed);
  connect(log_y_, &QCheckBox::toggled, this, [this] {
    if (outcome_) show_outcome();
  });
  connect(run_button_, &QPushButton::clicked, this, [this] { running() ? cancel() : start(); });
  return controls;
}

// "SLO: metric < [bound]" and the search: --slo and --find.
QWidget* SweepPanel::build_slo_controls() {
  slo_check_ = new QCheckBox;
  slo_bound_ = new QDoubleSpinBox;
  slo_bound_->setRange(0.001, 1e9);
  slo_bound_->setDecimals(3);
  slo_bound_->setValue(100);
  find_ = new QComboBox;
  find_->addItems({QStringLiteral("just draw the line"), QStringLiteral("find the highest value meeting it"),
                   QStringLiteral("find the lowest value meeting it")});
  find_->setCurrentIndex(1);
  find_->setToolTip(QStringLiteral("--find max:KEY or min:KEY: bisection over the values, "
                                   "assuming the SLO holds on one side of the answer and fails on the other"));
  auto* box = new QWidget;
  auto* grid = new QFormLayout(box);
  grid->setContentsMargins(0, 0, 0, 0);
  auto* row = new QHBoxLayout;
  row->addWidget(slo_check_);
  row->addWidget(slo_bound_, 1);
  grid->addRow(row);
  grid->addRow(find_);
  connect(slo_check_, &QCheckBox::toggled, this, [this](bool on) {
    slo_bound_->setEnabled(on);
    find_->setEnabled(on);
  });
  slo_bound_->setEnabled(false);
  find_->setEnabled(false);
  return box;
}

QWidget* SweepPanel::build_results() {
  chart_ = make_sweep_chart();
  QChartView* view = make_view(chart_, 260);
  add_export_actions(view);
  answer_ = new QLabel;
  answer_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  answer_->setStyleSheet(QStringLiteral("font-weight: bold"));
  table_ = new QTableWidget;
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->hide();
  command_ = new QLabel;
  command_->setWordWrap(true);
  command_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  command_->setTextFormat(Qt::PlainText);
  command_->setToolTip(QStringLiteral("the same sweep from the command line (on the saved file)"));
  auto* lower = new QWidget;
  auto* column = new QVBoxLayout(lower);
  column->setContentsMargins(0, 0, 0, 0);
  column->addWidget(answer_);
  column->addWidget(table_, 1);
  column->addWidget(command_);
  auto* splitter = new QSplitter(Qt::Vertical);
  splitter->addWidget(view);
  splitter->addWidget(lower);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  return splitter;
}

void SweepPanel::set_scenario(const scenario::ScenarioSpec& spec, std::string text, std::vector<std::string> overrides) {
  const bool first = !spec_ || spec_->file != spec.file;
  const bool changed = text != text_ || overrides != overrides_;
  spec_ = spec;
  text_ = std::move(text);
  overrides_ = std::move(overrides);
  if (first && outcome_) clear_outcome();  // another file: its sweep is not this one's
  const QString typed = param_->currentText();
  const QSignalBlocker block(param_);
  param_->clear();
  for (const SweepSuggestion& s : sweep_suggestions(spec)) param_->addItem(s.key, s.values);
  if (first && param_->count() > 0) on_param_chosen(0);
  else param_->setEditText(typed);
  const QString name = QString::fromStdString(spec.name);
  // The chart stays; the status says whether it is still the scenario's.
  if (!running() && changed)
    status_->setText(outcome_ && !first
                         ? QStringLiteral("%1 changed since this sweep: run it again to sweep the new text").arg(name)
                         : QStringLiteral("%1: ready").arg(name));
  show_command();
}

void SweepPanel::clear_outcome() {
  outcome_.reset();
  chart_->removeAllSeries();
  table_->clear();
  table_->setRowCount(0);
  table_->setColumnCount(0);
  answer_->clear();
  answer_->hide();
}

void SweepPanel::on_param_chosen(int index) {
  param_->setCurrentIndex(index);
  values_->setText(param_->itemData(index).toString());
  show_command();
}

run::RunMetric SweepPanel::shown_metric() const { return static_cast<run::RunMetric>(metric_->currentData(kMetricRole).toInt()); }

void SweepPanel::on_metric_changed() {
  const SloMetric* s = slo_metric(shown_metric());
  slo_check_->setEnabled(s != nullptr);
  slo_check_->setText(s ? QStringLiteral("SLO: %1 <").arg(QString::fromLatin1(s->name)) : QStringLiteral("SLO"));
  slo_check_->setToolTip(s ? QString() : QStringLiteral("--slo takes p50, p99, mean or failed (the failed fraction)"));
  if (s) slo_bound_->setSuffix(QStringLiteral(" ") + QString::fromLatin1(s->unit));
  if (outcome_) show_outcome();
}

std::optional<run::Slo> SweepPanel::slo() const {
  const SloMetric* s = slo_metric(shown_metric());
  if (!s || !slo_check_->isChecked()) return std::nullopt;
  const QString text = QStringLiteral("%1<%2%3").arg(QString::fromLatin1(s->name),
                                                     QString::number(slo_bound_->value(), 'g', 10),
                                                     QString::fromLatin1(s->unit));
  return run::parse_slo(text.toStdString());
}

// --seed as the CLI checks it: an integer >= 0.
std::uint64_t SweepPanel::seed() const {
  const std::string text = seed_->text().trimmed().toStdString();
  const std::optional<std::int64_t> v = scenario::parse_integer(text);
  if (!v || *v < 0) throw std::invalid_argument("--seed: expected an integer >= 0, got '" + text + "'");
  return static_cast<std::uint64_t>(*v);
}

std::optional<SweepRequest> SweepPanel::request() {
  error_->clear();
  if (!spec_) {
    error_->setText(QStringLiteral("no scenario to sweep"));
    return std::nullopt;
  }
  try {
    SweepRequest r;
    r.text = text_;
    r.file = spec_->file;
    r.overrides = overrides_;
    r.param = run::parse_sweep_param((param_->currentText() + '=' + values_->text()).toStdString());
    r.replications = replications_->value();
    r.jobs = jobs_->value();
    if (!seed_->text().trimmed().isEmpty()) r.seed = seed();
    if (until_->value() > 0) r.until = parse_time((QString::number(until_->value(), 'g', 10) + 's').toStdString());
    r.slo = slo();
    if (r.slo && find_->currentIndex() > 0) r.find = find_->currentIndex() == 1 ? run::Seek::Max : run::Seek::Min;
    return r;
  } catch (const std::invalid_argument& e) {
    error_->setText(QString::fromStdString(e.what()));
    return std::nullopt;
  }
}

QString SweepPanel::command_line() const {
  QString c = QStringLiteral("lvslab sweep ") + (spec_ ? quoted(QString::fromStdString(spec_->file)) : QStringLiteral("SCENARIO"));
  for (const std::string& o : overrides_) c += QStringLiteral(" --set ") + quoted(QString::fromStdString(o));
  c += QStringLiteral(" --param ") + quoted(param_->currentText() + '=' + values_->text());
  c += QStringLiteral(" --replications %1 --jobs %2").arg(replications_->value()).arg(jobs_->value());
  if (!seed_->text().trimmed().isEmpty()) c += QStringLiteral(" --seed ") + quoted(seed_->text().trimmed());
  if (until_->value() > 0) c += QStringLiteral(" --until %1s").arg(QString::number(until_->value(), 'g', 10));
  try {
    if (const std::optional<run::Slo> s = slo()) {
      c += QStringLiteral(" --slo ") + quoted(QString::fromStdString(s->text));
      if (find_->currentIndex() > 0)
        c += QStringLiteral(" --find ") +
             quoted((find_->currentIndex() == 1 ? QStringLiteral("max:") : QStringLiteral("min:")) + param_->currentText());
    }
  } catch (const std::invalid_argument&) {
  }
  return c;
}

void SweepPanel::show_command() {
  command_->setText(QStringLiteral("$ ") + command_line());
}

QString SweepPanel::grid_error() const { return error_->text(); }
QString SweepPanel::status_text() const { return status_->text(); }
QString SweepPanel::answer_text() const { return answer_->text(); }

void SweepPanel::start() {
  std::optional<SweepRequest> r = request();
  show_command();
  if (!r) {
    status_->setText(QStringLiteral("not run: %1").arg(error_->text()));
    return;
  }
  const int runs = static_cast<int>(r->param.values.size()) * r->replications;
  worker_->start(std::move(*r));
  progress_->setRange(0, runs);
  progress_->setValue(0);
  status_->setText(QStringLiteral("sweeping %1 runs…").arg(runs));
  set_running_ui(true);
}

void SweepPanel::cancel() { worker_->cancel(); }

void SweepPanel::set_running_ui(bool running) {
  run_button_->setText(running ? QStringLiteral("Cancel") : QStringLiteral("Run sweep"));
}

void SweepPanel::on_progress(int done, int total) {
  if (total == 0) {
    progress_->setRange(0, 0);  // busy: the search's runs are not known in advance
    status_->setText(QStringLiteral("SLO search: %1 runs so far…").arg(done));
    return;
  }
  progress_->setRange(0, total);
  progress_->setValue(done);
  status_->setText(QStringLiteral("sweep: %1/%2 runs…").arg(done).arg(total));
}

void SweepPanel::on_finished(lvs::gui::SweepOutcome outcome) {
  outcome_ = std::move(outcome);
  progress_->setRange(0, 1);
  progress_->setValue(1);
  set_running_ui(false);
  show_outcome();
  emit swept();
}

void SweepPanel::on_cancelled() {
  progress_->setRange(0, 1);
  progress_->setValue(0);
  set_running_ui(false);
  status_->setText(QStringLiteral("cancelled"));
}

void SweepPanel::on_failed(const QString& message) {
  progress_->setRange(0, 1);
  progress_->setValue(0);
  set_running_ui(false);
  error_->setText(message);
  status_->setText(QStringLiteral("sweep failed: %1").arg(message));
}

// The chart, the table, the CLI's summary and answer lines for the shown metric.
void SweepPanel::show_outcome() {
  const SweepOutcome& o = *outcome_;
  std::ostringstream table;
  run::print_sweep(table, o.sweep);
  // The CLI's second line: points, replications, seeds, simulated time, warm-up.
  QString status = QString::fromStdString(table.str()).section('\n', 1, 1);
  if (!o.warnings.empty()) status += QStringLiteral("\nwarning: ") + QString::fromStdString(o.warnings);
  status_->setText(status);
  answer_->clear();
  if (o.search) {
    std::ostringstream search;
    run::print_slo_search(search, *o.search);
    answer_->setText(lines_starting(search.str(), {QStringLiteral("answer:"), QStringLiteral("bracket:")}));
  }
  answer_->setVisible(!answer_->text().isEmpty());
  fill_sweep_chart(*chart_, o.sweep, shown_metric(), o.slo, o.search ? &*o.search : nullptr, log_y_->isChecked());
  fill_sweep_table(*table_, o, shown_metric());
}

}  // namespace lvs::gui
