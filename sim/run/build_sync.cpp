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
}

}  // namespace lvs::run
