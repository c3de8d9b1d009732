#include "whatif_panel.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

#include "lvs/ipvs_defaults.hpp"
#include "schedulers/registry.hpp"

namespace lvs::gui {

namespace {

constexpr int kMaxServers = 64;
constexpr int kMinWeightRange = 10;
// s: ipvsadm -p without a value
constexpr int kDefaultPersistence = static_cast<int>(lvs::kDefaultPersistentTimeout.count() / lvs::Time::s(1).count());
const QStringList kMethods{QStringLiteral("nat"), QStringLiteral("dr"), QStringLiteral("tun"),
                           QStringLiteral("fullnat")};
const QStringList kNetmasks{QStringLiteral("255.255.255.255"), QStringLiteral("255.255.255.0"),
                            QStringLiteral("255.255.0.0")};

QLabel* error_label() {
  auto* label = new QLabel;
  label->setWordWrap(true);
  label->setStyleSheet(QStringLiteral("color: #b00020"));
  label->setVisible(false);
  return label;
}

// The method every destination of every service has, or "" when they differ.
QString common_method(const scenario::ScenarioSpec& spec) {
  QString method;
  for (const scenario::ServiceSpec& s : spec.services)
    for (const scenario::DestinationSpec& d : s.destinations) {
      const QString m = QString::fromStdString(scenario::method_name(d.method));
      if (!method.isEmpty() && m != method) return {};
      method = m;
    }
  return method;
}

}  // namespace

WhatIfPanel::WhatIfPanel(QWidget* parent) : QWidget(parent) { build(); }

void WhatIfPanel::add_row(const QString& label, QWidget* field, Control control) {
  form_->addRow(label, field);
  auto*& error = errors_[static_cast<std::size_t>(control)];
  error = error_label();
  form_->addRow(error);
}

void WhatIfPanel::build() {
  form_ = new QFormLayout(this);
  form_->setContentsMargins(0, 0, 0, 0);
  service_ = new QComboBox;
  service_->setToolTip(QStringLiteral("the virtual service the scheduler, servers, weights, persistence and "
                                      "checks below act on"));
  form_->addRow(QStringLiteral("Service"), service_);
  form_->setRowVisible(service_, false);
  connect(service_, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (i < 0) return;
    service_index_ = static_cast<std::size_t>(i);
    show_spec(spec_);
  });
  scheduler_ = new QComboBox;
  for (const SchedulerInfo& info : scheduler_list()) {
    scheduler_->addItem(QString::fromStdString(info.name));
    const QString own = info.in_kernel ? QString() : QStringLiteral(" — lvslab's own, not in the kernel");
    scheduler_->setItemData(scheduler_->count() - 1, QString::fromStdString(info.description) + own, Qt::ToolTipRole);
  }
  scheduler_info_ = new QLabel;
  scheduler_info_->setWordWrap(true);
  scheduler_info_->setMaximumWidth(260);
  rate_ = new QDoubleSpinBox;
  rate_->setRange(0.1, 1e7);
  rate_->setDecimals(1);
  rate_->setSuffix(QStringLiteral(" /s"));
  rate_->setKeyboardTracking(false);
  method_ = new QComboBox;
  method_->addItems(kMethods);
  servers_ = new QSpinBox;
  servers_->setRange(1, kMaxServers);
  servers_->setKeyboardTracking(false);
  weights_box_ = new QWidget;
  weights_layout_ = new QVBoxLayout(weights_box_);
  weights_layout_->setContentsMargins(0, 0, 0, 0);
  weights_layout_->setSpacing(2);
  persistent_ = new QCheckBox(QStringLiteral("-p"));
  timeout_ = new QSpinBox;
  timeout_->setRange(1, 86400);
  timeout_->setSuffix(QStringLiteral(" s"));
  timeout_->setValue(kDefaultPersistence);
  timeout_->setKeyboardTracking(false);
  netmask_ = new QComboBox;
  netmask_->addItems(kNetmasks);
  auto* persistence = new QWidget;
  auto* rows = new QVBoxLayout(persistence);
  rows->setContentsMargins(0, 0, 0, 0);
  auto* row = new QHBoxLayout;
  row->addWidget(persistent_);
  row->addWidget(timeout_, 1);
  rows->addLayout(row);
  auto* mask = new QHBoxLayout;
  mask->addWidget(new QLabel(QStringLiteral("-M")));
  mask->addWidget(netmask_, 1);
  rows->addLayout(mask);

  add_row(QStringLiteral("Scheduler"), scheduler_, Control::Scheduler);
  form_->addRow(scheduler_info_);
  add_row(QStringLiteral("Client rate"), rate_, Control::Rate);
  add_row(QStringLiteral("Forwarding"), method_, Control::Method);
  add_row(QStringLiteral("Real servers"), servers_, Control::Servers);
  add_row(QStringLiteral("Weights"), weights_box_, Control::Weights);
  add_row(QStringLiteral("Persistence"), persistence, Control::Persistence);
  build_failover();

  connect(scheduler_, &QComboBox::currentTextChanged, this, [this](const QString& name) {
    scheduler_info_->setText(scheduler_->currentData(Qt::ToolTipRole).toString());
    emit scheduler_chosen(name);
  });
  connect(rate_, &QDoubleSpinBox::valueChanged, this, &WhatIfPanel::rate_set);
  connect(method_, &QComboBox::currentTextChanged, this, [this](const QString& m) {
    if (!m.isEmpty()) emit method_chosen(m);
  });
  connect(servers_, &QSpinBox::valueChanged, this, &WhatIfPanel::servers_set);
  connect(persistent_, &QCheckBox::toggled, this, &WhatIfPanel::emit_persistence);
  connect(timeout_, &QSpinBox::valueChanged, this, &WhatIfPanel::emit_persistence);
  connect(netmask_, &QComboBox::currentTextChanged, this, &WhatIfPanel::emit_persistence);
}

void WhatIfPanel::emit_persistence() {
  timeout_->setEnabled(persistent_->isChecked());
  netmask_->setEnabled(persistent_->isChecked());
  emit persistence_set(persistent_->isChecked(), timeout_->value(), netmask_->currentText());
}

// One entry per service ("tcp/192.168.1.100:80 wrr"), shown when there are two or more;
// the chosen one kept while it exists.
void WhatIfPanel::show_services(const scenario::ScenarioSpec& spec) {
  const QSignalBlocker block(service_);
  service_->clear();
  for (const scenario::ServiceSpec& s : spec.services)
    service_->addItem(QStringLiteral("%1  %2").arg(QString::fromStdString(s.name), QString::fromStdString(s.scheduler)));
  if (service_index_ >= spec.services.size()) service_index_ = 0;
  service_->setCurrentIndex(spec.services.empty() ? -1 : static_cast<int>(service_index_));
  form_->setRowVisible(service_, spec.services.size() > 1);
}

const scenario::ServiceSpec* WhatIfPanel::shown_service(const scenario::ScenarioSpec& spec) const {
  return service_index_ < spec.services.size() ? &spec.services[service_index_] : nullptr;
}

void WhatIfPanel::show_spec(const scenario::ScenarioSpec& spec) {
  const QSignalBlocker b1(scheduler_), b2(rate_), b3(method_), b4(servers_), b5(persistent_), b6(timeout_),
      b7(netmask_);
  if (&spec != &spec_) spec_ = spec;
  show_services(spec);
  const scenario::ServiceSpec* service = shown_service(spec);
  scheduler_->setEnabled(service != nullptr);
  if (service != nullptr) {
    scheduler_->setCurrentText(QString::fromStdString(service->scheduler));
    scheduler_info_->setText(scheduler_->currentData(Qt::ToolTipRole).toString());
  }
  const bool open_loop = !spec.workload.clients.empty() && !spec.workload.clients.front().rate.empty();
  rate_->setEnabled(open_loop);
  rate_->setToolTip(open_loop ? QStringLiteral("sessions/s of the first client; later steps scale with it")
                              : QStringLiteral("the first client is closed-loop (users): no rate to set"));
  if (open_loop) rate_->setValue(spec.workload.clients.front().rate.front().rate);
  const QString method = common_method(spec);
  method_->setCurrentIndex(method.isEmpty() ? -1 : static_cast<int>(kMethods.indexOf(method)));
  servers_->setEnabled(service != nullptr);
  if (service != nullptr) servers_->setValue(static_cast<int>(service->destinations.size()));
  const bool persistent = service != nullptr && service->persistent.has_value();
  persistent_->setEnabled(service != nullptr);
  persistent_->setChecked(persistent);
  timeout_->setEnabled(persistent);
  netmask_->setEnabled(persistent);
  if (persistent) timeout_->setValue(static_cast<int>(service->persistent->seconds()));
  if (service != nullptr) netmask_->setCurrentText(QString::fromStdString(service->netmask.str()));
  show_weights(service);
  show_failover(spec);
}

// One slider per destination of the service shown, labelled with its server and weight.
void WhatIfPanel::show_weights(const scenario::ServiceSpec* service) {
  const std::size_t n = service == nullptr ? 0 : service->destinations.size();
  if (n != weights_.size()) {
    while (QLayoutItem* item = weights_layout_->takeAt(0)) {
      delete item->widget();
      delete item;
    }
    weights_.clear();
    for (std::size_t i = 0; i < n; ++i) {
      auto* row = new QWidget;
      auto* layout = new QHBoxLayout(row);
      layout->setContentsMargins(0, 0, 0, 0);
      auto* name = new QLabel;
      name->setMinimumWidth(48);
      auto* slider = new QSlider(Qt::Horizontal);
      auto* value = new QLabel;
      value->setMinimumWidth(28);
      layout->addWidget(name);
      layout->addWidget(slider, 1);
      layout->addWidget(value);
      weights_layout_->addWidget(row);
      weights_.push_back(slider);
      connect(slider, &QSlider::valueChanged, value, [value](int v) { value->setNum(v); });
      connect(slider, &QSlider::valueChanged, this, [this, slider, i](int v) {
        if (!slider->isSliderDown()) emit weight_set(static_cast<int>(i), v);
      });
      connect(slider, &QSlider::sliderReleased, this,
              [this, slider, i] { emit weight_set(static_cast<int>(i), slider->value()); });
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    const scenario::DestinationSpec& d = service->destinations[i];
    QSlider* slider = weights_[i];
    const QSignalBlocker block(slider);
    slider->setRange(0, std::max<int>(kMinWeightRange, static_cast<int>(d.weight) * 2));
    slider->setValue(static_cast<int>(d.weight));
    auto* row = slider->parentWidget()->layout();
    static_cast<QLabel*>(row->itemAt(0)->widget())->setText(QString::fromStdString(d.server));
    static_cast<QLabel*>(row->itemAt(2)->widget())->setNum(static_cast<int>(d.weight));
  }
}

void WhatIfPanel::show_error(Control control, const QString& message) {
  QLabel* label = errors_[static_cast<std::size_t>(control)];
  label->setText(message);
  label->setVisible(!message.isEmpty());
}

void WhatIfPanel::clear_errors() {
  for (QLabel* label : errors_) {
    label->clear();
    label->setVisible(false);
  }
}

QString WhatIfPanel::error(Control control) const { return errors_[static_cast<std::size_t>(control)]->text(); }

}  // namespace lvs::gui
