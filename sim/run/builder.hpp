#pragma once
// Wires a validated scenario spec into a runnable model: segments and links, hosts of the
// right kind with their interfaces, addresses, routes and sysctls, directors with their
// virtual services, real servers with their application, clients with their workload.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "control/conn_sync.hpp"
#include "control/event_log.hpp"
#include "control/failures.hpp"
#include "control/health_checks.hpp"
#include "control/pacemaker.hpp"
#include "control/timeline.hpp"
#include "control/vrrp_daemon.hpp"
#include "core/simulation.hpp"
#include "lvs/director.hpp"
#include "net/network.hpp"
#include "nodes/client.hpp"
#include "nodes/real_server.hpp"
#include "transport/end_host.hpp"
#include "scenario/scenario_spec.hpp"
#include "storage/content.hpp"
#include "storage/nfs_server.hpp"
#include "storage/gluster.hpp"
#include "storage/rsync.hpp"

namespace lvs::run {

/// A named channel, for the per-link figures.
struct NamedLink {
  std::string name;
  const Link* link = nullptr;        ///< a point-to-point link, or
  const Segment* segment = nullptr;  ///< a switched segment
};

/// Everything one run needs; the simulation owns no nodes, the network does.
struct Model {
  explicit Model(std::uint64_t seed) : sim(seed), net(sim) {}
  Simulation sim;
  Network net;
  std::vector<Director*> directors;
  /// Each director's own sockets (health checkers, the sync daemon), by the index in `directors`;
  /// they take what IPVS leaves to the local stack (a segment for no connection gets RST).
  std::vector<std::unique_ptr<Transport>> director_transports;
  std::vector<RealServer*> servers;  ///< real servers running an application
  std::vector<Client*> clients;
  /// The files requests name (workload.content), or null; the servers and clients point to it.
  std::unique_ptr<storage::Catalogue> content;
  /// The NFS servers (storage: kind nfs), in the scenario's order, and their names.
  std::vector<std::unique_ptr<storage::NfsServer>> nfs_servers;
  std::vector<std::string> nfs_server_names;
  std::vector<std::string> nfs_server_hosts;
  std::vector<std::string> nfs_server_disks;  ///< the disk profile each was given ("" when by figures)
  /// DRBD pairs (storage: kind drbd): both nodes' devices, and Pacemaker running each pair.
  std::vector<std::unique_ptr<storage::DrbdDevice>> drbd_devices;
  std::vector<std::unique_ptr<control::Pacemaker>> pacemakers;
  std::vector<std::string> pacemaker_names;  ///< the storage entry's name, by pacemakers' index
  /// rsync'd local copies (storage: kind rsync): each source and the storage entry's name.
  std::vector<std::unique_ptr<storage::RsyncSource>> rsync_sources;
  std::vector<std::string> rsync_names;
  /// GlusterFS bricks (storage: kind glusterfs), one per host of each volume, and their names
  /// ("gv0@g1").
  std::vector<std::unique_ptr<storage::GlusterBrick>> gluster_bricks;
  std::vector<std::string> gluster_brick_names;
  std::map<std::string, std::string> mount_options;  ///< by web server: the options as the scenario wrote them
  std::vector<NamedLink> links;       ///< in the scenario's order: segments, then links
  control::Timeline timeline{sim};   ///< the scenario's events, carried out at their times
  control::EventLog log;              ///< what the control plane did, for the results' timeline
  control::Failures failures{sim, log};  ///< crashes, stops and link failures, and their repairs
  std::vector<std::shared_ptr<void>> failure_processes;  ///< the timeline's and the random ones (build_failures.cpp)
  control::HealthChecks checks;       ///< keepalived's / ldirectord's checkers (run/build_checks.hpp)
  /// keepalived's VRRP on each director that runs a vrrp_instance member (build_vrrp.hpp).
  std::vector<std::unique_ptr<control::VrrpDaemon>> vrrp;
  /// The IPVS sync daemons, one per director in `directors` order (null: no sync_daemon).
  std::unique_ptr<control::SyncGroup> sync;
};

/// Builds the model of `spec` with run seed `seed`. The spec must have passed validate();
/// a problem only the build can see throws std::runtime_error.
std::unique_ptr<Model> build_model(const scenario::ScenarioSpec& spec, std::uint64_t seed);

}  // namespace lvs::run
