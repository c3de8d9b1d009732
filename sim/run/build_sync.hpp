#pragma once
// The scenario's sync_daemon (keepalived's lvs_sync_daemon) built into the model: one IPVS
// sync daemon per director, each stopped until the VRRP instance it follows says MASTER or
// BACKUP (SyncDaemon::start_master, start_backup). docs/conn-sync.md.

#include "run/builder.hpp"

namespace lvs::run {

/// Makes model.sync when spec.sync_daemon is set: a daemon on every director, on the given
/// interface, with the given maxlen and syncid (0: the VRID of the instance it follows);
/// the directors' sync_threshold and sync_period take the spec's. Each starts as backup.
void build_sync(Model& model, const scenario::ScenarioSpec& spec);

}  // namespace lvs::run
