#include "run/build_storage.hpp"

#include "run/build_storage_alt.hpp"
#include "storage/nfs_mount.hpp"

#include <algorithm>
#include <stdexcept>

namespace lvs::run {

namespace {

using scenario::MountSpec;
using scenario::StorageSpec;

const StorageSpec& storage_serving(const scenario::ScenarioSpec& spec, const Network& net, Ipv4Address address) {
  for (const StorageSpec& s : spec.storage) {
    if (s.kind == scenario::StorageKind::Drbd && s.drbd.address.address() == address) return s;
    for (const std::string& brick : s.gluster.hosts) {
      const auto* host = dynamic_cast<const Host*>(net.node(brick));
      if (host != nullptr && host->is_local(address)) return s;
    }
  }
  for (const StorageSpec& s : spec.storage) {
    const auto* host = dynamic_cast<const Host*>(net.node(s.host));
    if (host != nullptr && host->is_local(address)) return s;
  }
  throw std::runtime_error("no storage server has address " + address.str());
}

void start_nfs_server(Model& m, const StorageSpec& s) {
  auto* host = dynamic_cast<EndHost*>(m.net.node(s.host));
  if (host == nullptr) throw std::runtime_error(s.origin.path + ": " + s.host + " cannot run an NFS server");
  auto server = std::make_unique<storage::NfsServer>(*host, m.sim, s.host, s.nfs, *m.content);
  storage::NfsServer* nfs = server.get();
  m.nfs_servers.push_back(std::move(server));
  m.nfs_server_names.push_back(s.name);
  m.nfs_server_hosts.push_back(s.host);
  m.nfs_server_disks.push_back(s.disk_profile);
  if (s.warm) nfs->warm();
  nfs->start();
  // rpc.nfsd dies with its host and starts when it boots (the systemd unit nfs-server).
  m.failures.on_host_down([host, nfs](Host& h) {
    if (&h == host) nfs->power_off();
  });
  m.failures.on_host_up([host, nfs](Host& h) {
    if (&h == host) nfs->start();
  });
}

storage::NfsMountConfig mount_config(const MountSpec& m, const StorageSpec& server) {
  storage::NfsMountConfig c;
  c.server = m.server;
  c.export_path = m.export_path;
  c.mount_point = m.mount_point;
  c.options = m.options;
  c.page_cache_bytes = m.page_cache_bytes;
  c.server_max_io = server.nfs.max_io;
  return c;
}

// The kernel's NFS messages as timeline records: "nfs: server 192.168.10.104 not responding,
// still trying" -> event nfs-not-responding.
void log_kernel_messages(Model& m, RealServer& web) {
  web.mount()->on_kernel_message([&log = m.log, name = web.name()](Time at, const std::string& line) {
    const char* event = line.find("suppressed") != std::string::npos  ? "nfs-suppressed"
                        : line.find("OK") != std::string::npos          ? "nfs-ok"
                        : line.find("timed out") != std::string::npos ? "nfs-timeout"
                                                                      : "nfs-not-responding";
    log.add(at, name, event, line.rfind("nfs: ", 0) == 0 ? line.substr(5) : line, name + " kernel: " + line);
  });
}

}  // namespace

std::unique_ptr<storage::Catalogue> build_content(Simulation& sim, const scenario::ScenarioSpec& spec) {
  if (!spec.workload.content) return nullptr;
  return std::make_unique<storage::Catalogue>(spec.workload.content->config, sim.rng("content/sizes"));
}

void build_storage(Model& m, const scenario::ScenarioSpec& spec) {
  for (const StorageSpec& s : spec.storage) {
    if (s.kind == scenario::StorageKind::Drbd)
      build_drbd_pair(m, s);
    else if (s.kind == scenario::StorageKind::Glusterfs)
      build_gluster_bricks(m, s);
    else if (s.kind == scenario::StorageKind::Nfs)
      start_nfs_server(m, s);
  }
  for (const scenario::ServerAppSpec& app : spec.servers) {
    if (!app.mount) continue;
    const StorageSpec& server = storage_serving(spec, m.net, app.mount->server);
    if (server.kind == scenario::StorageKind::Rsync || server.kind == scenario::StorageKind::Glusterfs) {
      std::vector<RealServer*> webs;
      for (RealServer* web : m.servers)
        if (std::find(app.hosts.begin(), app.hosts.end(), web->name()) != app.hosts.end()) webs.push_back(web);
      if (server.kind == scenario::StorageKind::Rsync)
        build_rsync(m, server, *app.mount, webs);
      else
        build_gluster_mounts(m, server, *app.mount, webs);
      continue;
    }
    for (RealServer* web : m.servers) {
      if (std::find(app.hosts.begin(), app.hosts.end(), web->name()) == app.hosts.end()) continue;
      web->attach_mount(
          std::make_unique<storage::NfsMount>(*web, m.sim, web->name(), mount_config(*app.mount, server), *m.content));
      if (app.mount->warm) web->mount()->warm();
      m.mount_options[web->name()] = app.mount->options_text;
      log_kernel_messages(m, *web);
    }
  }
}

}  // namespace lvs::run
