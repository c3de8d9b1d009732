// The what-if panel's failover controls: a failure to inject (the timeline's first failure,
// crash/stop/link-down, and its repair), the shown service's keepalived checking, the VRRP
// advert interval and the storage kind. Each shows the spec and emits what the user asked for.

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>

#include "whatif_edits.hpp"
#include "whatif_panel.hpp"

namespace lvs::gui {

namespace {

const QString kNone = QStringLiteral("none");
constexpr double kMaxSeconds = 1e6;
constexpr int kSpinWidth = 64;  // px

QDoubleSpinBox* seconds_spin(double min, double max, int decimals) {
  auto* spin = new QDoubleSpinBox;
  spin->setRange(min, max);
  spin->setDecimals(decimals);
  spin->setSuffix(QStringLiteral(" s"));
  spin->setKeyboardTracking(false);
  spin->setMinimumWidth(kSpinWidth);  // not as wide as its largest value: the side panel stays narrow
  return spin;
}

QString choice_text(const InjectedFailure& f) { return QString::fromStdString(f.action + " " + f.component); }

QWidget* row_of(std::initializer_list<QWidget*> widgets) {
  auto* row = new QWidget;
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  for (QWidget* w : widgets) layout->addWidget(w, qobject_cast<QLabel*>(w) == nullptr ? 1 : 0);
  return row;
}

}  // namespace

void WhatIfPanel::build_failover() {
  failure_ = new QComboBox;
  failure_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);  // long HOST/IFACE names
  failure_->setMinimumContentsLength(12);
  failure_->setToolTip(QStringLiteral("the timeline's first failure: crash (power off), stop (the service answers "
                                      "RST) or link-down; the run's Timeline tab shows what followed"));
  failure_at_ = seconds_spin(0, kMaxSeconds, 1);
  failure_back_ = seconds_spin(0, kMaxSeconds, 1);
  failure_back_->setSpecialValueText(QStringLiteral("never"));
  check_ = new QCheckBox(QStringLiteral("keepalived checks"));
  delay_loop_ = seconds_spin(1, 3600, 0);
  retry_ = new QSpinBox;
  retry_->setRange(0, 100);
  retry_->setKeyboardTracking(false);
  retry_->setMinimumWidth(kSpinWidth);
  connect_timeout_ = seconds_spin(0.1, 600, 1);
  inhibit_ = new QCheckBox(QStringLiteral("inhibit"));
  inhibit_->setToolTip(QStringLiteral("inhibit_on_failure: a failed real server is set to weight 0 instead of removed"));
  advert_int_ = seconds_spin(1, 255, 0);  // VRRPv2: whole seconds
  advert_int_->setPrefix(QStringLiteral("advert_int "));

  add_row(QStringLiteral("Failure"), failure_, Control::Failure);
  form_->insertRow(form_->rowCount() - 1, QString(),
                   row_of({new QLabel(QStringLiteral("at")), failure_at_, new QLabel(QStringLiteral("back")),
                           failure_back_}));
  add_row(QStringLiteral("Checks"), check_, Control::HealthCheck);
  form_->insertRow(form_->rowCount() - 1, QString(),
                   row_of({new QLabel(QStringLiteral("delay_loop")), delay_loop_, inhibit_}));
  form_->insertRow(form_->rowCount() - 1, QString(),
                   row_of({new QLabel(QStringLiteral("retry")), retry_, new QLabel(QStringLiteral("timeout")),
                           connect_timeout_}));
  connect_timeout_->setToolTip(QStringLiteral("connect_timeout of each check attempt"));
  connect_timeout_->setToolTip(QStringLiteral("connect_timeout of each check attempt"));
  add_row(QStringLiteral("VRRP"), advert_int_, Control::Vrrp);
  storage_ = new QComboBox;
  storage_->addItems({QStringLiteral("nfs"), QStringLiteral("rsync"), QStringLiteral("drbd"), QStringLiteral("glusterfs")});
  add_row(QStringLiteral("Storage"), storage_, Control::Storage);
  connect(storage_, &QComboBox::currentTextChanged, this, [this](const QString& kind) {
    if (!kind.isEmpty()) emit storage_kind_chosen(kind);
  });

  connect(failure_, &QComboBox::currentTextChanged, this, &WhatIfPanel::emit_failure);
  connect(failure_at_, &QDoubleSpinBox::valueChanged, this, &WhatIfPanel::emit_failure);
  connect(failure_back_, &QDoubleSpinBox::valueChanged, this, &WhatIfPanel::emit_failure);
  connect(check_, &QCheckBox::toggled, this, &WhatIfPanel::emit_health_check);
  connect(delay_loop_, &QDoubleSpinBox::valueChanged, this, &WhatIfPanel::emit_health_check);
  connect(retry_, &QSpinBox::valueChanged, this, &WhatIfPanel::emit_health_check);
  connect(connect_timeout_, &QDoubleSpinBox::valueChanged, this, &WhatIfPanel::emit_health_check);
  connect(inhibit_, &QCheckBox::toggled, this, &WhatIfPanel::emit_health_check);
  connect(advert_int_, &QDoubleSpinBox::valueChanged, this, &WhatIfPanel::advert_int_set);
}

void WhatIfPanel::emit_failure() {
  const QString choice = failure_->currentText();
  failure_at_->setEnabled(choice != kNone);
  failure_back_->setEnabled(choice != kNone);
  if (choice == kNone || choice.isEmpty()) return emit failure_set({}, {}, 0, 0);
  // A failure newly chosen from "none" starts at a third of the run and is back at two thirds.
  if (failure_at_->value() == 0 && failure_back_->value() == 0) {
    const QSignalBlocker b1(failure_at_), b2(failure_back_);
    failure_at_->setValue(duration_s_ / 3);
    failure_back_->setValue(duration_s_ * 2 / 3);
  }
  const qsizetype space = choice.indexOf(' ');
  emit failure_set(choice.left(space), choice.mid(space + 1), failure_at_->value(), failure_back_->value());
}

void WhatIfPanel::emit_health_check() {
  for (QWidget* w : std::initializer_list<QWidget*>{delay_loop_, retry_, connect_timeout_, inhibit_})
    w->setEnabled(check_->isChecked());
  emit health_check_set(check_->isChecked(), delay_loop_->value(), retry_->value(), connect_timeout_->value(),
                        inhibit_->isChecked());
}

void WhatIfPanel::show_failover(const scenario::ScenarioSpec& spec) {
  const QSignalBlocker b1(failure_), b2(failure_at_), b3(failure_back_), b4(check_), b5(delay_loop_), b6(retry_),
      b7(connect_timeout_), b8(inhibit_), b9(advert_int_), b10(storage_);
  duration_s_ = spec.duration.seconds();
  const std::optional<InjectedFailure> current = first_failure(spec);
  failure_->clear();
  failure_->addItem(kNone);
  for (const InjectedFailure& f : failure_choices(spec)) failure_->addItem(choice_text(f));
  if (current && failure_->findText(choice_text(*current)) < 0) failure_->addItem(choice_text(*current));
  failure_->setCurrentText(current ? choice_text(*current) : kNone);
  failure_at_->setValue(current ? current->at_s : 0);
  failure_back_->setValue(current && current->repair_s ? *current->repair_s : 0);
  failure_at_->setEnabled(current.has_value());
  failure_back_->setEnabled(current.has_value());
  show_checks(spec);
}

// The shown service's checking, the VRRP advert interval and the storage kind.
void WhatIfPanel::show_checks(const scenario::ScenarioSpec& spec) {
  const scenario::ServiceSpec* service = shown_service(spec);
  const bool checked = service != nullptr && service->health_check.has_value();
  check_->setEnabled(service != nullptr);
  check_->setChecked(checked);
  const scenario::CheckSpec defaults;
  const scenario::CheckSpec& check = checked && !service->destinations.empty() && !service->destinations.front().checks.empty()
                                         ? service->destinations.front().checks.front()
                                         : defaults;
  delay_loop_->setValue(checked ? service->health_check->delay_loop.seconds() : scenario::kDefaultDelayLoop.seconds());
  retry_->setValue(static_cast<int>(check.retry));
  connect_timeout_->setValue(check.connect_timeout.seconds());
  inhibit_->setChecked(checked && service->health_check->inhibit_on_failure);
  for (QWidget* w : std::initializer_list<QWidget*>{delay_loop_, retry_, connect_timeout_, inhibit_}) w->setEnabled(checked);

  advert_int_->setEnabled(!spec.vrrp.empty());
  advert_int_->setToolTip(spec.vrrp.empty() ? QStringLiteral("the scenario has no VRRP instance")
                                            : QStringLiteral("advert_int of every VRRP instance: a backup takes over "
                                                             "after 3 x advert_int + skew"));
  advert_int_->setValue(spec.vrrp.empty() ? 1 : spec.vrrp.front().advert_int.seconds());

  storage_->setEnabled(!spec.storage.empty());
  storage_->setToolTip(spec.storage.empty() ? QStringLiteral("the scenario has no storage tier")
                                            : QStringLiteral("the first storage entry: an NFS server, or local copies "
                                                             "pushed by rsync from the same host"));
  storage_->setCurrentIndex(spec.storage.empty() ? -1
                                                 : storage_->findText(QString::fromStdString(
                                                       scenario::storage_kind_name(spec.storage.front().kind))));
}

}  // namespace lvs::gui
