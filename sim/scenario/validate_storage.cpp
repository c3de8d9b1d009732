// The storage checks: each storage server on a host that can run it, each mount naming a
// storage server's address and its export, and content wherever a mount needs it.

#include <set>

#include "scenario/validate_detail.hpp"

namespace lvs::scenario::checks {

namespace {

const StorageSpec* storage_at(const SpecIndex& index, Ipv4Address address) {
  for (const StorageSpec& s : index.spec().storage)
    if (s.kind == StorageKind::Drbd && s.drbd.address.address() == address) return &s;
  const HostSpec* holder = index.owner(address);
  if (holder == nullptr) return nullptr;
  for (const StorageSpec& s : index.spec().storage) {
    if (s.host == holder->name) return &s;
    if (s.kind == StorageKind::Glusterfs)
      for (const std::string& h : s.gluster.hosts)
        if (h == holder->name) return &s;
  }
  return nullptr;
}

void check_storage_host(const SpecIndex& index, const StorageSpec& s, const std::string& name, const char* key,
                        std::set<std::string, std::less<>>& hosts, Findings& out);

// A DRBD pair's floating address must be free and in a subnet both hosts are on.
void check_drbd(const SpecIndex& index, const StorageSpec& s, Findings& out) {
  const Origin at = index.key(s.origin, "address");
  if (s.drbd.hosts[0] == s.drbd.hosts[1]) out.error(index.key(s.origin, "hosts"), "a DRBD pair needs two different hosts");
  if (const HostSpec* owner = index.owner(s.drbd.address.address()))
    out.error(at, s.drbd.address.address().str() + " is already " + label(*owner) + "'s address; the service address floats between the pair");
  for (const std::string& name : s.drbd.hosts) {
    const HostSpec* h = index.host(name);
    if (h == nullptr) continue;
    bool on_subnet = false;
    for (const InterfaceSpec& i : h->interfaces) on_subnet = on_subnet || i.address.contains(s.drbd.address.address());
    if (!on_subnet) out.error(at, name + " has no interface in " + s.drbd.address.str() + "'s subnet to carry it");
  }
}

void check_storage_servers(const SpecIndex& index, Findings& out) {
  std::set<std::string, std::less<>> names, hosts;
  for (const StorageSpec& s : index.spec().storage) {
    if (!names.insert(s.name).second) out.error(index.key(s.origin, "name"), "a storage server called " + s.name + " is already defined");
    if (s.kind == StorageKind::Drbd) check_drbd(index, s, out);
    const std::vector<std::string> own = s.kind == StorageKind::Drbd        ? s.drbd.hosts
                                         : s.kind == StorageKind::Glusterfs ? s.gluster.hosts
                                                                            : std::vector<std::string>{s.host};
    const char* key = s.kind == StorageKind::Drbd || s.kind == StorageKind::Glusterfs ? "hosts"
                      : s.kind == StorageKind::Rsync                                  ? "source"
                                                                                      : "host";
    for (const std::string& name : own) check_storage_host(index, s, name, key, hosts, out);
  }
}

void check_storage_host(const SpecIndex& index, const StorageSpec& s, const std::string& name, const char* key,
                        std::set<std::string, std::less<>>& hosts, Findings& out) {
  {
    if (!hosts.insert(name).second) out.error(index.key(s.origin, key), "host " + name + " already runs a storage server");
    const HostSpec* h = index.host(name);
    if (h == nullptr) {
      out.error(index.key(s.origin, key), "no host called " + name);
      return;
    }
    if (h->kind != HostKind::Server)
      out.error(index.key(s.origin, key), "a storage server runs on a host of kind server; " + label(*h) + " is not one");
    else if (!index.apps_on(name).empty())
      out.error(index.key(s.origin, key),
                "host " + name + " also runs a server application; give the storage server a host of its own");
  }
}

void check_mount(const SpecIndex& index, const ServerAppSpec& app, Findings& out) {
  const MountSpec& m = *app.mount;
  const Origin from = index.key(m.origin, "from");
  if (!index.spec().workload.content)
    out.error(m.origin, "a mount serves files: give workload.content (files, zipf, size) for the requests to name them");
  const StorageSpec* s = storage_at(index, m.server);
  if (s == nullptr) {
    const HostSpec* h = index.owner(m.server);
    out.error(from, m.server.str() + (h == nullptr ? " is no host's address" : " is " + label(*h) + ", which runs no storage server") +
                        "; a mount names an NFS server listed under `storage`");
    return;
  }
  if (m.export_path != s->nfs.export_path)
    out.error(from, "mount.nfs: access denied by server while mounting " + m.server.str() + ":" + m.export_path + " (" +
                        s->name + " exports " + s->nfs.export_path + ")");
  if (app.protocol != Protocol::Tcp)
    out.error(m.origin, "a mount serves the files of a TCP application (a web server); this one is udp");
  const bool nfs = s->kind == StorageKind::Nfs || s->kind == StorageKind::Drbd;
  if (!nfs && m.options_text != "defaults")
    out.warning(index.key(m.origin, "options"), "mount options are NFS's (nfs(5)); a mount from " +
                                                    storage_kind_name(s->kind) + " storage ignores '" +
                                                    m.options_text + "'");
}

// A client spread over origin sites (a cache cluster) names files, one per connection, and
// every site address must reach the service its first one does.
void check_sites(const SpecIndex& index, const ClientSpec& c, Findings& out) {
  if (c.sites <= 1) return;
  const Origin at = index.key(c.origin, "sites");
  const auto& content = index.spec().workload.content;
  if (!content) {
    out.error(at, "sites spread the requests by the file they name: give workload.content");
    return;
  }
  if (c.sites > content->config.files)
    out.error(at, std::to_string(c.sites) + " sites for " + std::to_string(content->config.files) +
                      " files: each site serves at least one file");
  if (c.requests_per_connection != 1)
    out.error(at, "a connection goes to one site: requests_per_connection must be 1 with sites");
  if (std::uint64_t{c.target.value()} + c.sites - 1 > 0xffffffffULL) {
    out.error(at, "the sites run past 255.255.255.255");
    return;
  }
  ClientSpec last = c;
  last.target = Ipv4Address(c.target.value() + c.sites - 1);
  for (const ServiceSpec& s : index.spec().services)
    if (service_takes(s, c) && !service_takes(s, last))
      out.error(at, "the last site, " + last.target.str() + ", is not taken by service " + s.name +
                        " as the first is: widen its address or mark rule");
}

// Each host that reads the content keeps tables sized to the catalogue (its page cache's
// LRU links and cached sizes, the mount's attributes: about 64 bytes a file), and the
// catalogue itself about 24 bytes a file. A run that would need more than 8 GiB is refused.
constexpr std::uint64_t kCatalogueBytesPerFile = 24;
constexpr std::uint64_t kHostBytesPerFile = 64;
constexpr std::uint64_t kMaxStorageTableBytes = 8ULL << 30;

void check_table_memory(const SpecIndex& index, Findings& out) {
  const auto& content = index.spec().workload.content;
  if (!content) return;
  std::uint64_t hosts = index.spec().storage.size();
  for (const ServerAppSpec& app : index.spec().servers)
    if (app.mount) hosts += app.hosts.size();
  const std::uint64_t files = content->config.files;
  const std::uint64_t bytes = files * (kCatalogueBytesPerFile + kHostBytesPerFile * hosts);
  if (bytes <= kMaxStorageTableBytes) return;
  out.error(index.key(content->origin, "files"),
            std::to_string(files) + " files read by " + std::to_string(hosts) + " hosts need about " +
                std::to_string(bytes >> 30) + " GiB of tables (" + std::to_string(kHostBytesPerFile) +
                " bytes a file per host); at most 8 GiB: use fewer files or fewer hosts");
}

}  // namespace

void check_storage(const SpecIndex& index, Findings& out) {
  check_table_memory(index, out);
  check_storage_servers(index, out);
  for (const ClientSpec& c : index.spec().workload.clients) check_sites(index, c, out);
  for (const ServerAppSpec& app : index.spec().servers)
    if (app.mount) check_mount(index, app, out);
}

}  // namespace lvs::scenario::checks
