#include "run/build_storage_alt.hpp"

#include <stdexcept>

namespace lvs::run {

namespace {

Interface& interface_for(Host& host, Ipv4Address address) {
  for (const auto& i : host.interfaces())
    if (!i->addresses().empty() && i->addresses().front().contains(address)) return *i;
  throw std::runtime_error(host.name() + " has no interface in the subnet of " + address.str());
}

}  // namespace

void build_drbd_pair(Model& m, const scenario::StorageSpec& s) {
  std::array<control::PacemakerNode, 2> nodes;
  for (std::size_t k = 0; k < 2; ++k) {
    auto* host = dynamic_cast<EndHost*>(m.net.node(s.drbd.hosts[k]));
    if (host == nullptr) throw std::runtime_error(s.origin.path + ": " + s.drbd.hosts[k] + " cannot run an NFS server");
    auto server = std::make_unique<storage::NfsServer>(*host, m.sim, host->name(), s.nfs, *m.content);
    auto drbd = std::make_unique<storage::DrbdDevice>(*host, m.sim, host->name(), s.drbd.drbd, *server);
    server->set_replicator(drbd.get());
    if (s.warm && k == 0) server->warm();
    storage::NfsServer* nfs = server.get();
    // nfsd dies with its host; Pacemaker, not the boot, starts it again (control/pacemaker.hpp).
    m.failures.on_host_down([host, nfs](Host& h) {
      if (&h == host) nfs->power_off();
    });
    nodes[k] = control::PacemakerNode{host, &interface_for(*host, s.drbd.address.address()), nfs, drbd.get()};
    m.nfs_servers.push_back(std::move(server));
    m.nfs_server_names.push_back(s.name + "@" + host->name());
    m.nfs_server_hosts.push_back(host->name());
    m.nfs_server_disks.push_back(s.disk_profile);
    m.drbd_devices.push_back(std::move(drbd));
  }
  auto pacemaker = std::make_unique<control::Pacemaker>(m.sim, m.log, m.failures, s.name, s.drbd.address,
                                                         s.drbd.pacemaker, nodes);
  pacemaker->start();
  m.pacemakers.push_back(std::move(pacemaker));
  m.pacemaker_names.push_back(s.name);
}

// The source's crash stops its runs, its boot starts them again; a web server that boots
// has its rsync daemon listening again.
void build_rsync(Model& m, const scenario::StorageSpec& s, const scenario::MountSpec& mount,
                 const std::vector<RealServer*>& webs) {
  auto* source_host = dynamic_cast<EndHost*>(m.net.node(s.host));
  if (source_host == nullptr) throw std::runtime_error(s.origin.path + ": " + s.host + " cannot run rsync");
  std::vector<storage::RsyncTarget> targets;
  for (RealServer* web : webs) {
    storage::LocalMountConfig c{s.host + ":" + s.nfs.export_path, mount.mount_point, mount.page_cache_bytes, s.nfs.disk};
    auto local = std::make_unique<storage::LocalMount>(m.sim, web->name(), c, *m.content);
    targets.push_back(storage::RsyncTarget{web, web->interfaces().front()->addresses().front().address(), local.get()});
    web->attach_mount(std::move(local));
    if (mount.warm) web->mount()->warm();
    m.mount_options[web->name()] = "rsync every " + to_string(s.rsync.interval);
  }
  auto source = std::make_unique<storage::RsyncSource>(*source_host, m.sim, s.rsync.interval, *m.content, targets);
  for (const storage::RsyncTarget& t : targets) t.mount->set_upload_sink(source.get());
  storage::RsyncSource* rsync = source.get();
  m.failures.on_host_down([source_host, rsync](Host& h) {
    if (&h == source_host) rsync->power_off();
  });
  m.failures.on_host_up([source_host, rsync, webs](Host& h) {
    if (&h == source_host) rsync->start();
    for (std::size_t k = 0; k < webs.size(); ++k)
      if (&h == webs[k]) rsync->target_started(k);
  });
  rsync->start();
  m.rsync_sources.push_back(std::move(source));
  m.rsync_names.push_back(s.name);
}

void build_gluster_bricks(Model& m, const scenario::StorageSpec& s) {
  for (const std::string& name : s.gluster.hosts) {
    auto* host = dynamic_cast<EndHost*>(m.net.node(name));
    if (host == nullptr) throw std::runtime_error(s.origin.path + ": " + name + " cannot run a brick");
    auto brick = std::make_unique<storage::GlusterBrick>(*host, m.sim, name, s.nfs.disk, s.nfs.page_cache_bytes, *m.content);
    storage::GlusterBrick* b = brick.get();
    if (s.warm) b->warm();
    b->start();
    m.failures.on_host_down([host, b](Host& h) {
      if (&h == host) b->power_off();
    });
    m.failures.on_host_up([host, b](Host& h) {
      if (&h == host) b->start();
    });
    m.gluster_bricks.push_back(std::move(brick));
    m.gluster_brick_names.push_back(s.gluster.volume + "@" + name);
  }
}

void build_gluster_mounts(Model& m, const scenario::StorageSpec& s, const scenario::MountSpec& mount,
                          const std::vector<RealServer*>& webs) {
  storage::GlusterMountConfig c;
  c.volume = s.gluster.volume;
  c.mount_point = mount.mount_point;
  c.ping_timeout = s.gluster.ping_timeout;
  c.page_cache_bytes = mount.page_cache_bytes;
  c.server = mount.server;
  for (const std::string& name : s.gluster.hosts)
    c.bricks.push_back(dynamic_cast<Host*>(m.net.node(name))->interfaces().front()->addresses().front().address());
  for (RealServer* web : webs) {
    web->attach_mount(std::make_unique<storage::GlusterMount>(*web, m.sim, web->name(), c, *m.content));
    if (mount.warm) web->mount()->warm();
    m.mount_options[web->name()] = "glusterfs, ping-timeout " + to_string(s.gluster.ping_timeout);
    web->mount()->on_kernel_message([&log = m.log, name = web->name()](Time at, const std::string& line) {
      const char* event = line.find("has not responded") != std::string::npos ? "gluster-ping-timeout" : "gluster-connected";
      log.add(at, name, event, line, name + " glusterfs: " + line);
    });
  }
}

}  // namespace lvs::run
