#pragma once
// keepalived's VRRP process on one director: its vrrp_scripts, vrrp_instances and
// vrrp_sync_groups. It takes the host's adverts (Host::attach_vrrp) and hands each to the
// instance of that interface and VRID. The failure timeline drives it: stop() when the
// director crashes, start() when it comes back, shutdown() when keepalived is stopped.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "control/event_log.hpp"
#include "control/vrrp_instance.hpp"
#include "control/vrrp_script.hpp"
#include "net/host.hpp"

namespace lvs::control {

class VrrpDaemon final : public VrrpReceiver {
 public:
  /// Attaches itself to `host` (detaches on destruction).
  VrrpDaemon(Host& host, EventLog& log);
  ~VrrpDaemon() override;
  VrrpDaemon(const VrrpDaemon&) = delete;
  VrrpDaemon& operator=(const VrrpDaemon&) = delete;

  /// A vrrp_instance on `iface` of this host.
  VrrpInstance& add_instance(Interface& iface, VrrpConfig cfg, Interface* vip_iface = nullptr);
  /// A vrrp_script whose result is `check()` (true: it would exit 0).
  VrrpScript& add_script(VrrpScriptConfig cfg, std::function<bool()> check);
  /// A vrrp_sync_group of instances of this daemon.
  VrrpSyncGroup& add_sync_group(std::string name, std::vector<VrrpInstance*> members);

  /// keepalived starts (or the director is back): scripts, then instances, in the order added.
  void start();
  /// The director crashed: everything stops silently (no priority 0 advert).
  void stop();
  /// keepalived is stopped: a MASTER sends priority 0 and drops its VIPs.
  void shutdown();

  Host& host() const { return host_; }
  /// The instance called `name`, or nullptr.
  VrrpInstance* instance(std::string_view name) const;
  /// The script called `name`, or nullptr.
  VrrpScript* script(std::string_view name) const;
  const std::vector<std::unique_ptr<VrrpInstance>>& instances() const { return instances_; }

  void vrrp_receive(Interface& in, const Packet& advert) override;

 private:
  Host& host_;
  EventLog& log_;
  std::vector<std::unique_ptr<VrrpScript>> scripts_;
  std::vector<std::unique_ptr<VrrpInstance>> instances_;
  std::vector<std::unique_ptr<VrrpSyncGroup>> groups_;
};

}  // namespace lvs::control
