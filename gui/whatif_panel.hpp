#pragma once
// The what-if controls: the service they act on (when there are several), its scheduler
// (from the registry, with its one-line description), the first client's rate, the
// forwarding method, its number of real servers, a weight slider per destination,
// persistence; a failure to inject and its repair, the service's keepalived checking, the VRRP advert interval, the storage kind (whatif_panel_failover.cpp).
// The panel only shows a spec and says what the user asked for; the main window turns each
// request into an edit of the scenario text (whatif_edits) and shows any error the edit
// causes next to the control that caused it.

#include <QString>
#include <QWidget>

#include <array>
#include <cstddef>
#include <vector>

#include "scenario/scenario_spec.hpp"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QSlider;
class QSpinBox;
class QVBoxLayout;

namespace lvs::gui {

class WhatIfPanel : public QWidget {
  Q_OBJECT

 public:
  enum class Control { Scheduler, Rate, Method, Servers, Weights, Persistence, Failure, HealthCheck, Vrrp,
                       Storage };
  static constexpr std::size_t kControls = 10;

  explicit WhatIfPanel(QWidget* parent = nullptr);

  /// Shows `spec`'s values in the controls without emitting anything.
  void show_spec(const scenario::ScenarioSpec& spec);
  /// Shows `message` under `control` (red); "" clears it.
  void show_error(Control control, const QString& message);
  void clear_errors();
  /// The error shown under `control` ("" if none).
  QString error(Control control) const;

  /// The service the scheduler, servers, weights, persistence and checks show and edit
  /// (shown when the scenario has more than one; the first until the user picks another).
  QComboBox* service_combo() const { return service_; }
  std::size_t service_index() const { return service_index_; }
  QComboBox* scheduler_combo() const { return scheduler_; }
  QDoubleSpinBox* rate_spin() const { return rate_; }
  QComboBox* method_combo() const { return method_; }
  QSpinBox* servers_spin() const { return servers_; }
  /// The weight slider of destination `i` of the first service.
  QSlider* weight_slider(std::size_t i) const { return weights_.at(i); }
  std::size_t weight_count() const { return weights_.size(); }
  QCheckBox* persistent_check() const { return persistent_; }
  QSpinBox* persistent_spin() const { return timeout_; }
  QComboBox* netmask_combo() const { return netmask_; }
  /// "none" or "ACTION COMPONENT" ("crash lvs1", "stop web1", "link-down lvs1/eth0").
  QComboBox* failure_combo() const { return failure_; }
  QDoubleSpinBox* failure_at_spin() const { return failure_at_; }
  /// The repair's time; its minimum (shown "never") for no repair.
  QDoubleSpinBox* failure_back_spin() const { return failure_back_; }
  QCheckBox* check_box() const { return check_; }
  QDoubleSpinBox* delay_loop_spin() const { return delay_loop_; }
  QSpinBox* retry_spin() const { return retry_; }
  QDoubleSpinBox* connect_timeout_spin() const { return connect_timeout_; }
  QCheckBox* inhibit_check() const { return inhibit_; }
  QDoubleSpinBox* advert_int_spin() const { return advert_int_; }
  /// The first storage entry's kind: nfs, rsync, drbd, glusterfs.
  QComboBox* storage_combo() const { return storage_; }

 signals:
  void scheduler_chosen(QString name);
  /// Sessions per second of the first client (its later rate steps scale with it).
  void rate_set(double rate);
  /// "nat", "dr", "tun" or "fullnat", for every destination.
  void method_chosen(QString method);
  void servers_set(int count);
  void weight_set(int destination, int weight);
  void persistence_set(bool on, int timeout_s, QString netmask);
  /// `action` "" for none; `back_s` 0 for no repair.
  void failure_set(QString action, QString component, double at_s, double back_s);
  void health_check_set(bool on, double delay_loop_s, int retry, double connect_timeout_s, bool inhibit);
  void advert_int_set(double advert_int_s);
  void storage_kind_chosen(QString kind);

 private:
  void build();
  void add_row(const QString& label, QWidget* field, Control control);
  void show_weights(const scenario::ServiceSpec* service);
  void show_services(const scenario::ScenarioSpec& spec);
  const scenario::ServiceSpec* shown_service(const scenario::ScenarioSpec& spec) const;
  void emit_persistence();
  void build_failover();
  void show_failover(const scenario::ScenarioSpec& spec);  // with its signals blocked
  void show_checks(const scenario::ScenarioSpec& spec);
  void emit_failure();
  void emit_health_check();

  QFormLayout* form_ = nullptr;
  QComboBox* service_ = nullptr;
  std::size_t service_index_ = 0;
  scenario::ScenarioSpec spec_;  // the one shown, shown again for another service
  QComboBox* scheduler_ = nullptr;
  QLabel* scheduler_info_ = nullptr;
  QDoubleSpinBox* rate_ = nullptr;
  QComboBox* method_ = nullptr;
  QSpinBox* servers_ = nullptr;
  QWidget* weights_box_ = nullptr;
  QVBoxLayout* weights_layout_ = nullptr;
  std::vector<QSlider*> weights_;
  QCheckBox* persistent_ = nullptr;
  QSpinBox* timeout_ = nullptr;
  QComboBox* netmask_ = nullptr;
  QComboBox* failure_ = nullptr;
  QDoubleSpinBox *failure_at_ = nullptr, *failure_back_ = nullptr;
  QCheckBox* check_ = nullptr;
  QDoubleSpinBox* delay_loop_ = nullptr;
  QSpinBox* retry_ = nullptr;
  QDoubleSpinBox* connect_timeout_ = nullptr;
  QCheckBox* inhibit_ = nullptr;
  QDoubleSpinBox* advert_int_ = nullptr;
  QComboBox* storage_ = nullptr;
  double duration_s_ = 0;  // the scenario's, for a new failure's default times
  std::array<QLabel*, kControls> errors_{};
};

}  // namespace lvs::gui
