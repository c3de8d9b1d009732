#pragma once
// The storage half of a scenario as plain data: the content the clients request
// (`workload.content`), the storage servers (`storage`: an NFS server today) and each web
// server's mount (`servers[].mount`). Read by scenario_reader_storage.cpp (scenarios/README.md,
// "content", "storage", "mount"); built by sim/run/build_storage.cpp. Defaults are Linux's and
// nfs-utils', named in sim/storage (docs/nfs-server.md, docs/nfs-client.md).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/distribution.hpp"
#include "net/address.hpp"
#include "scenario/scenario_error.hpp"
#include "storage/content.hpp"
#include "storage/disk.hpp"
#include "storage/drbd.hpp"
#include "storage/gluster.hpp"
#include "storage/pacemaker_timing.hpp"
#include "storage/nfs_mount.hpp"
#include "storage/nfs_server.hpp"

namespace lvs::scenario {

/// `workload.content`: the catalogue every client draws its requests from.
struct ContentSpec {
  Origin origin;
  storage::ContentConfig config;
};

/// What a storage entry is: one NFS server; an NFS server on a DRBD pair failed over by
/// Pacemaker; local copies on each web server kept by rsync from a source host
/// or a GlusterFS replica volume whose FUSE clients write to every brick
/// (docs/storage-alternatives.md).
enum class StorageKind { Nfs, Drbd, Rsync, Glusterfs };
/// "nfs", "drbd", "rsync", "glusterfs".
std::string storage_kind_name(StorageKind kind);

/// `kind: drbd`: the pair, its floating address and Pacemaker's timings
/// (control/pacemaker.hpp has the defaults and their sources).
struct DrbdSpec {
  std::vector<std::string> hosts;    ///< [primary, secondary] (`hosts: [nfs1, nfs2]`)
  Ipv4Prefix address;                ///< the service address the mounts name, on the primary
  storage::DrbdConfig drbd;          ///< protocol, timeout, connect-int
  storage::PacemakerTiming pacemaker;
};

/// `kind: rsync`: the source host's copy pushed to every mounting web server each `interval`.
struct RsyncSpec {
  std::string source;                ///< the host with the master copy (`source: nfs1`)
  Time interval = Time::s(60);       ///< how often the source runs rsync to each web server
};

/// `kind: glusterfs`: a replica volume, one brick on each host.
struct GlusterSpec {
  std::vector<std::string> hosts;    ///< the replica set (`hosts: [g1, g2]`)
  std::string volume = "gv0";        ///< mounted as HOST:/VOLUME
  Time ping_timeout = storage::kGlusterPingTimeout;  ///< network.ping-timeout
};

/// One storage server: `storage: [{name, kind: nfs, host, export, threads, ...}]`.
struct StorageSpec {
  Origin origin;
  std::string name;                  ///< default: the host name
  StorageKind kind = StorageKind::Nfs;
  std::string host;                  ///< the host it runs on (a server or host kind, no application)
  std::string disk_profile;          ///< the named profile the disk came from ("" when given by figures)
  storage::NfsServerConfig nfs;      ///< threads, page cache, disk, sync/async, export path
  bool warm = false;                 ///< the page cache starts with the most popular files (`warm: true`)
  DrbdSpec drbd;                     ///< kind drbd
  RsyncSpec rsync;                   ///< kind rsync (`host` is then the source)
  GlusterSpec gluster;               ///< kind glusterfs (`host` is then the first brick's)
};

/// `servers[].mount`: the web root of those servers, mounted from a storage server.
struct MountSpec {
  Origin origin;
  Ipv4Address server;                ///< from `from: 192.168.10.104:/opt/wwwroot`
  std::string export_path;           ///< ... /opt/wwwroot
  std::string mount_point = "/var/www/html";
  std::string options_text = "defaults";  ///< as written, for messages and export
  storage::NfsMountOptions options;
  std::uint64_t page_cache_bytes = 512ULL << 20;
  bool warm = false;                 ///< the page cache starts with the most popular files (`warm: true`)
};

}  // namespace lvs::scenario
