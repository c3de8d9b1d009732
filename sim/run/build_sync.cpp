#include "run/build_sync.hpp"

namespace lvs::run {

namespace {

// keepalived: lvs_sync_daemon's "id N" defaults to the virtual_router_id of the instance
// named, or of the first instance.
std::uint32_t resolved_syncid(const scenario::ScenarioSpec& spec, const scenario::SyncDaemonSpec& sync) {
  if (sync.syncid != 0) return sync.syncid;
  for (const scenario::VrrpInstanceSpec& vi : spec.vrrp)
    if (sync.instance.empty() || vi.name == sync.instance) return vi.virtual_router_id;
  return 0;
}

// keepalived (vrrp.c, ipvswrapper.c ipvs_syncd_master/_backup): entering MASTER starts the
// master thread and stops the backup one; leaving MASTER does the reverse.
void follow_vrrp(Model& model, const std::string& instance) {
  for (const auto& vrrp : model.vrrp) {
    auto* director = dynamic_cast<Director*>(&vrrp->host());
    control::SyncDaemon* daemon = director == nullptr ? nullptr : model.sync->find(*director);
    control::VrrpInstance* vi = daemon == nullptr ? nullptr : vrrp->instance(instance);
    if (vi == nullptr && instance.empty() && !vrrp->instances().empty()) vi = vrrp->instances().front().get();
    if (vi == nullptr) continue;
    if (vi->state() == control::VrrpState::Master) daemon->start_master();
    vi->add_listener([daemon](const control::VrrpInstance&, control::VrrpState from, control::VrrpState to) {
      if (to == control::VrrpState::Master)
        daemon->start_master();
      else if (from == control::VrrpState::Master || to == control::VrrpState::Backup)
        daemon->start_backup();
    });
  }
}

}  // namespace

void build_sync(Model& model, const scenario::ScenarioSpec& spec) {
  if (!spec.sync_daemon) return;
  scenario::SyncDaemonSpec sync = *spec.sync_daemon;
  sync.syncid = resolved_syncid(spec, sync);
  model.sync = std::make_unique<control::SyncGroup>();
  for (std::size_t i = 0; i < model.directors.size(); ++i) {
    Director& d = *model.directors[i];
    d.ipvs_sysctl().sync_threshold = sync.threshold;
    d.ipvs_sysctl().sync_period = sync.period;
    model.sync->add(d, *model.director_transports[i], sync, &model.log).start_backup();
  }
  follow_vrrp(model, sync.instance);
  control::SyncGroup* group = model.sync.get();
  model.failures.on_host_down([group](Host& h) {
    if (auto* d = dynamic_cast<Director*>(&h))
      if (control::SyncDaemon* daemon = group->find(*d)) daemon->stop();
  });
}

}  // namespace lvs::run
