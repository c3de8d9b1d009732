// The storage keys of a scenario: `workload.content` (the catalogue), `storage` (the NFS
// servers) and `servers[].mount` (a web server's NFS mount, fstab-like).

#include <limits>

#include "scenario/scenario_reader_detail.hpp"

namespace lvs::scenario {

std::string storage_kind_name(StorageKind kind) {
  switch (kind) {
    case StorageKind::Nfs: return "nfs";
    case StorageKind::Drbd: return "drbd";
    case StorageKind::Rsync: return "rsync";
    case StorageKind::Glusterfs: return "glusterfs";
  }
  return "?";
}

namespace reader {

namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::uint64_t optional_bytes(const Cursor& map, std::string_view key, std::uint64_t fallback) {
  const std::optional<Cursor> c = map.find(key);
  return c ? c->as<ByteSize>().count() : fallback;
}

double positive_number(const Cursor& map, std::string_view key, double fallback) {
  const std::optional<Cursor> c = map.find(key);
  if (!c) return fallback;
  const double v = c->as<double>();
  if (!(v > 0)) c->fail("expected a number > 0, got " + quoted(c->as<std::string>()));
  return v;
}

// `disk: hdd-7200`, or `disk: {profile: hdd-7200, iops: 200}`, or the figures alone.
storage::DiskConfig read_disk(const Cursor& c, std::string& profile) {
  storage::DiskConfig disk;
  const auto named = [&](const Cursor& name) {
    profile = read_registered(name, "disk profile", storage::disk_profile_names());
    disk = *storage::disk_profile(profile);
  };
  if (c.is_scalar()) {
    named(c);
    return disk;
  }
  c.allow_keys({"profile", "iops", "bandwidth", "latency"});
  if (const std::optional<Cursor> p = c.find("profile")) named(*p);
  disk.iops = positive_number(c, "iops", disk.iops);
  if (const std::optional<Cursor> bw = c.find("bandwidth")) {
    disk.bandwidth = static_cast<double>(bw->as<ByteSize>().count());
    if (disk.bandwidth <= 0) bw->fail("expected a size per second > 0 (e.g. 150MB), got " + quoted(bw->as<std::string>()));
  }
  disk.latency = optional_distribution<Time>(c, "latency", disk.latency);
  if (profile.empty() && !(c.has("iops") && c.has("bandwidth")))
    c.fail("expected a disk profile (" + join(storage::disk_profile_names()) +
           ") or both iops and bandwidth");
  return disk;
}

// `from: 192.168.10.104:/opt/wwwroot`: the server's address and the export, as fstab and
// mount(8) write them.
void read_from(const Cursor& c, MountSpec& m) {
  const std::string text = c.as<std::string>();
  const std::size_t colon = text.find(':');
  const std::optional<Ipv4Address> server =
      colon == std::string::npos ? std::nullopt : Ipv4Address::parse(text.substr(0, colon));
  if (!server || colon + 1 >= text.size() || text[colon + 1] != '/')
    c.fail("expected SERVER:/EXPORT with the server's IPv4 address (e.g. 192.168.10.104:/opt/wwwroot), got " +
           quoted(text));
  m.server = *server;
  m.export_path = text.substr(colon + 1);
}

}  // namespace

ContentSpec read_content(const Cursor& c) {
  c.allow_keys({"files", "zipf", "size", "write_fraction"});
  ContentSpec s;
  s.origin = origin_of(c);
  s.config.files = optional_count<std::uint32_t>(c, "files", s.config.files, 1, storage::kMaxFiles);
  s.config.zipf = c.optional<double>("zipf", s.config.zipf, Range<double>{0.0, 10.0});
  s.config.size = optional_distribution<ByteSize>(c, "size", s.config.size);
  s.config.write_fraction = c.optional<double>("write_fraction", 0.0, Range<double>{0.0, 1.0});
  return s;
}

namespace {

// `kind: drbd`: hosts [primary, secondary], the floating address, DRBD's protocol and
// Pacemaker's timings (storage/pacemaker_timing.hpp).
void read_drbd(const Cursor& c, StorageSpec& s) {
  const std::vector<Cursor> hosts = required_items(c, "hosts", "host");
  if (hosts.size() != 2) c.at("hosts").fail("expected two hosts, the DRBD primary and secondary (e.g. [nfs1, nfs2])");
  for (const Cursor& h : hosts) s.drbd.hosts.push_back(h.as<std::string>());
  s.host = s.drbd.hosts[0];
  s.drbd.address = c.at("address").as<Ipv4Prefix>();
  const std::string protocol = c.choice("protocol", {"A", "B", "C"}, "C");
  s.drbd.drbd.protocol = protocol == "A" ? storage::DrbdProtocol::A
                         : protocol == "B" ? storage::DrbdProtocol::B
                                           : storage::DrbdProtocol::C;
  storage::PacemakerTiming& t = s.drbd.pacemaker;
  const Range<Time> span{Time::zero(), Time::s(3600)};
  t.detection = c.optional<Time>("detection", t.detection, span);
  t.fencing = c.optional<Time>("fencing", t.fencing, span);
  t.promote = c.optional<Time>("promote", t.promote, span);
  t.start = c.optional<Time>("start", t.start, span);
}

void read_rsync(const Cursor& c, StorageSpec& s) {
  s.rsync.source = required_name(c, "source");
  s.host = s.rsync.source;
  s.rsync.interval = c.optional<Time>("interval", s.rsync.interval, Range<Time>{Time::s(1), Time::s(86400)});
}

// `kind: glusterfs`: the bricks' hosts, the volume (mounted as HOST:/VOLUME) and
// network.ping-timeout.
void read_gluster(const Cursor& c, StorageSpec& s) {
  const std::vector<Cursor> hosts = required_items(c, "hosts", "host");
  if (hosts.size() < 2 || hosts.size() > 8) c.at("hosts").fail("expected 2 to 8 hosts, one brick on each (e.g. [g1, g2])");
  for (const Cursor& h : hosts) s.gluster.hosts.push_back(h.as<std::string>());
  s.host = s.gluster.hosts[0];
  s.gluster.volume = c.optional<std::string>("volume", s.gluster.volume);
  if (s.gluster.volume.empty() || s.gluster.volume.find('/') != std::string::npos)
    c.at("volume").fail("expected a volume name without '/' (e.g. gv0), got " + quoted(s.gluster.volume));
  s.nfs.export_path = "/" + s.gluster.volume;
  s.gluster.ping_timeout =
      c.optional<Time>("ping_timeout", s.gluster.ping_timeout, Range<Time>{Time::s(1), Time::s(1800)});
}

}  // namespace

StorageSpec read_storage(const Cursor& c) {
  const std::string kind = c.choice("kind", {"nfs", "drbd", "rsync", "glusterfs"}, "nfs");
  if (kind == "drbd")
    c.allow_keys({"name", "kind", "hosts", "address", "protocol", "detection", "fencing", "promote", "start", "export",
                  "threads", "page_cache", "warm", "disk", "sync", "cpu"});
  else if (kind == "rsync")
    c.allow_keys({"name", "kind", "source", "interval", "export", "disk"});
  else if (kind == "glusterfs")
    c.allow_keys({"name", "kind", "hosts", "volume", "ping_timeout", "page_cache", "warm", "disk"});
  else
    c.allow_keys({"name", "kind", "host", "export", "threads", "page_cache", "warm", "disk", "sync", "cpu"});
  StorageSpec s;
  s.origin = origin_of(c);
  s.kind = kind == "drbd"        ? StorageKind::Drbd
           : kind == "rsync"     ? StorageKind::Rsync
           : kind == "glusterfs" ? StorageKind::Glusterfs
                                 : StorageKind::Nfs;
  if (s.kind == StorageKind::Drbd)
    read_drbd(c, s);
  else if (s.kind == StorageKind::Glusterfs)
    read_gluster(c, s);
  else if (s.kind == StorageKind::Rsync)
    read_rsync(c, s);
  else
    s.host = required_name(c, "host");
  s.name = c.has("name") ? required_name(c, "name") : s.host;
  storage::NfsServerConfig& nfs = s.nfs;
  if (s.kind != StorageKind::Glusterfs) nfs.export_path = c.optional<std::string>("export", nfs.export_path);
  if (nfs.export_path.empty() || nfs.export_path[0] != '/')
    c.at("export").fail("expected an absolute path (e.g. /opt/wwwroot), got " + quoted(nfs.export_path));
  nfs.threads = optional_count<std::uint32_t>(c, "threads", nfs.threads, 1, 8192);
  nfs.page_cache_bytes = optional_bytes(c, "page_cache", nfs.page_cache_bytes);
  s.warm = c.optional<bool>("warm", false);
  if (const std::optional<Cursor> disk = c.find("disk"))
    nfs.disk = read_disk(*disk, s.disk_profile);
  else
    c.fail("expected a `disk` (a profile such as hdd-7200, or iops and bandwidth): an NFS server's speed is its disk's");
  nfs.sync = c.optional<bool>("sync", nfs.sync);
  nfs.cpu = optional_distribution<Time>(c, "cpu", nfs.cpu);
  return s;
}

MountSpec read_mount(const Cursor& c) {
  c.allow_keys({"from", "at", "options", "page_cache", "warm"});
  MountSpec m;
  m.origin = origin_of(c);
  read_from(c.at("from"), m);
  m.mount_point = c.optional<std::string>("at", m.mount_point);
  if (const std::optional<Cursor> options = c.find("options")) {
    m.options_text = options->as<std::string>();
    const auto parsed = storage::parse_mount_options(m.options_text);
    if (const auto* bad = std::get_if<storage::MountOptionError>(&parsed))
      options->fail("mount option " + quoted(bad->option) + ": expected " + bad->expected);
    m.options = std::get<storage::NfsMountOptions>(parsed);
  }
  m.page_cache_bytes = optional_bytes(c, "page_cache", m.page_cache_bytes);
  m.warm = c.optional<bool>("warm", false);
  return m;
}

}  // namespace reader

}  // namespace lvs::scenario
