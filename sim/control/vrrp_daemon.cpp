#include "control/vrrp_daemon.hpp"

#include "net/network.hpp"

namespace lvs::control {

VrrpDaemon::VrrpDaemon(Host& host, EventLog& log) : host_(host), log_(log) { host_.attach_vrrp(this); }

VrrpDaemon::~VrrpDaemon() { host_.attach_vrrp(nullptr); }

VrrpInstance& VrrpDaemon::add_instance(Interface& iface, VrrpConfig cfg, Interface* vip_iface) {
  instances_.push_back(std::make_unique<VrrpInstance>(host_, iface, std::move(cfg), log_, vip_iface));
  return *instances_.back();
}

VrrpScript& VrrpDaemon::add_script(VrrpScriptConfig cfg, std::function<bool()> check) {
  scripts_.push_back(std::make_unique<VrrpScript>(host_.network().sim(), log_, host_.name(), std::move(cfg),
                                                  std::move(check)));
  return *scripts_.back();
}

VrrpSyncGroup& VrrpDaemon::add_sync_group(std::string name, std::vector<VrrpInstance*> members) {
  groups_.push_back(std::make_unique<VrrpSyncGroup>(std::move(name), std::move(members), log_));
  return *groups_.back();
}

void VrrpDaemon::start() {
  for (const auto& s : scripts_) s->start();
  for (const auto& i : instances_) i->start();
}

void VrrpDaemon::stop() {
  for (const auto& i : instances_) i->stop();
  for (const auto& s : scripts_) s->stop();
}

void VrrpDaemon::shutdown() {
  for (const auto& i : instances_) i->shutdown();
  for (const auto& s : scripts_) s->stop();
}

VrrpInstance* VrrpDaemon::instance(std::string_view name) const {
  for (const auto& i : instances_)
    if (i->name() == name) return i.get();
  return nullptr;
}

VrrpScript* VrrpDaemon::script(std::string_view name) const {
  for (const auto& s : scripts_)
    if (s->config().name == name) return s.get();
  return nullptr;
}

// vrrp_dispatcher_read: the instance bound to this interface with the advert's VRID; an
// advert for a VRID nobody here runs is dropped.
void VrrpDaemon::vrrp_receive(Interface& in, const Packet& advert) {
  for (const auto& i : instances_)
    if (&i->interface() == &in && i->config().vrid == advert.vrrp.vrid) {
      i->receive(advert);
      return;
    }
}

}  // namespace lvs::control
