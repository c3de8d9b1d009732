#include "run/storage_results.hpp"

#include "run/builder.hpp"
#include "run/number_text.hpp"
#include "storage/che.hpp"

namespace lvs::run {

namespace {

// Che's approximation is a root-finding over every file: worth it up to a million files.
constexpr std::uint32_t kCheMaxFiles = 1'000'000;

double ratio(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0 : static_cast<double>(part) / static_cast<double>(whole);
}

std::optional<double> che_for(const storage::Catalogue& content, std::uint64_t cache_bytes) {
  if (content.files() > kCheMaxFiles) return std::nullopt;
  std::vector<double> p(content.files()), bytes(content.files());
  for (std::uint32_t f = 0; f < content.files(); ++f) {
    p[f] = content.popularity(f);
    bytes[f] = content.bytes(f);
  }
  return storage::che_lru(p, bytes, static_cast<double>(cache_bytes)).hit_ratio;
}

NfsServerResult nfs_result(const storage::NfsServer& nfs, const std::string& name, const std::string& host,
                           const std::string& profile, double end_s) {
  NfsServerResult r;
  r.name = name;
  r.host = host;
  r.export_path = nfs.config().export_path;
  r.disk_profile = profile;
  r.sync = nfs.config().sync;
  r.threads = nfs.config().threads;
  if (end_s > 0) {
    r.thread_utilization = nfs.busy_thread_seconds() / (end_s * r.threads);
    r.disk_utilization = nfs.disk().busy_seconds() / end_s;
  }
  r.calls = nfs.stats().calls;
  r.read_bytes = nfs.stats().read_bytes;
  r.cache_hits = nfs.stats().cache_hits;
  r.cache_misses = nfs.stats().cache_misses;
  const storage::DiskStats& d = nfs.disk().stats();
  r.disk_reads = d.reads;
  r.disk_writes = d.writes;
  r.disk_read_bytes = d.read_bytes;
  r.disk_written_bytes = d.written_bytes;
  r.duplicates = nfs.stats().duplicates;
  return r;
}

MountResult mount_result(const RealServer& web, const std::string& options, std::optional<double> che,
                         std::pair<std::uint64_t, std::uint64_t> warm) {
  const storage::Mount& m = *web.mount();
  MountResult r;
  r.server = web.name();
  r.from = m.source();
  r.mount_point = m.mount_point();
  r.options = options;
  r.requests = web.stats().requests;
  r.blocked = web.stats().storage_waits;
  r.errors = web.stats().storage_errors;
  r.calls = m.stats().calls;
  r.retransmits = m.stats().retransmits;
  r.major_timeouts = m.stats().major_timeouts;
  r.reconnects = m.stats().reconnects;
  r.page_hits = m.page_cache().stats().hits - warm.first;
  r.page_misses = m.page_cache().stats().misses - warm.second;
  r.hit_ratio = ratio(r.page_hits, r.page_hits + r.page_misses);
  r.che_hit_ratio = che;
  return r;
}

std::string calls_text(const storage::NfsOpCounts& calls) {
  std::uint64_t total = 0;
  std::string parts;
  for (std::size_t k = 0; k < storage::kNfsOps; ++k) {
    total += calls[k];
    if (calls[k] == 0) continue;
    parts += (parts.empty() ? "" : ", ") + std::string(storage::nfs_op_name(static_cast<storage::NfsOp>(k))) + " " +
             std::to_string(calls[k]);
  }
  return std::to_string(total) + (parts.empty() ? "" : " (" + parts + ")");
}

nlohmann::ordered_json calls_json(const storage::NfsOpCounts& calls) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < storage::kNfsOps; ++k)
    j[std::string(storage::nfs_op_name(static_cast<storage::NfsOp>(k)))] = calls[k];
  return j;
}

DrbdPairResult drbd_result(const Model& m, std::size_t k) {
  const control::Pacemaker& pm = *m.pacemakers[k];
  DrbdPairResult r;
  r.name = m.pacemaker_names[k];
  r.address_up_s = pm.address_up_at().seconds();
  r.primary = pm.primary() < 0 ? "" : m.nfs_server_hosts[2 * k + static_cast<std::size_t>(pm.primary())];
  for (std::size_t n = 2 * k; n < 2 * k + 2; ++n) {
    const storage::DrbdDevice& d = *m.drbd_devices[n];
    r.protocol = storage::drbd_protocol_letter(d.config().protocol);
    r.replicated += d.stats().replicated;
    r.acked += d.stats().acked;
    r.out_of_sync += d.stats().out_of_sync;
    r.disconnects += d.stats().disconnects;
  }
  return r;
}

RsyncResult rsync_result(const storage::RsyncSource& r, const std::string& name) {
  RsyncResult out;
  out.name = name;
  out.interval_s = r.interval().seconds();
  const storage::RsyncStats& st = r.stats();
  out.runs = st.runs;
  out.completed = st.completed;
  out.bytes = st.bytes;
  out.writes = st.writes;
  out.propagated = st.propagated;
  out.staleness_mean_s = st.staleness.count() > 0 ? st.staleness.mean() : 0;
  out.staleness_max_s = st.staleness.count() > 0 ? st.staleness.max() : 0;
  out.oldest_pending_s = r.oldest_pending_seconds();
  return out;
}

}  // namespace

void StorageBaseline::take(const Model& m) {
  counts_.clear();
  for (const RealServer* web : m.servers)
    if (web->mount() != nullptr)
      counts_.push_back({web->name(), {web->mount()->page_cache().stats().hits, web->mount()->page_cache().stats().misses}});
}

std::pair<std::uint64_t, std::uint64_t> StorageBaseline::page_cache(const std::string& server) const {
  for (const auto& [name, counts] : counts_)
    if (name == server) return counts;
  return {0, 0};
}

std::optional<StorageResult> storage_results(const Model& m, const StorageBaseline& warm, double end_s) {
  if (!m.content) return std::nullopt;
  StorageResult s;
  const storage::ContentConfig& c = m.content->config();
  s.files = m.content->files();
  s.content_bytes = m.content->total_bytes();
  s.zipf = c.zipf;
  s.write_fraction = c.write_fraction;
  for (std::size_t k = 0; k < m.nfs_servers.size(); ++k)
    s.nfs.push_back(nfs_result(*m.nfs_servers[k], m.nfs_server_names[k], m.nfs_server_hosts[k],
                               m.nfs_server_disks[k], end_s));
  for (const RealServer* web : m.servers) {
    if (web->mount() == nullptr) continue;
    const auto che = che_for(*m.content, web->mount()->page_cache().capacity());
    s.mounts.push_back(mount_result(*web, m.mount_options.at(web->name()), che, warm.page_cache(web->name())));
  }
  for (std::size_t k = 0; k < m.pacemakers.size(); ++k) s.drbd.push_back(drbd_result(m, k));
  for (std::size_t k = 0; k < m.gluster_bricks.size(); ++k)
    s.bricks.push_back({m.gluster_brick_names[k], m.gluster_bricks[k]->calls(),
                        end_s > 0 ? m.gluster_bricks[k]->disk().busy_seconds() / end_s : 0});
  for (std::size_t k = 0; k < m.rsync_sources.size(); ++k) s.rsync.push_back(rsync_result(*m.rsync_sources[k], m.rsync_names[k]));
  return s;
}

void print_storage(std::ostream& os, const StorageResult& s) {
  os << "\nStorage: " << s.files << " files, " << megabytes(s.content_bytes) << " MB, zipf " << fixed(s.zipf, 2)
     << ", writes " << fixed(s.write_fraction * 100, 1) << "%\n";
  for (const NfsServerResult& n : s.nfs) {
    os << "  NFS server " << n.name << " (" << n.host << ":" << n.export_path << ", " << (n.sync ? "sync" : "async")
       << ", " << n.threads << " nfsd threads, disk " << (n.disk_profile.empty() ? "as given" : n.disk_profile)
       << "): threads " << fixed(n.thread_utilization * 100, 1) << "% busy, disk " << fixed(n.disk_utilization * 100, 1)
       << "% busy\n";
    os << "    calls " << calls_text(n.calls) << "; " << megabytes(n.read_bytes) << " MB of file data read\n";
    os << "    page cache " << n.cache_hits << " hits, " << n.cache_misses << " misses; disk " << n.disk_reads
       << " reads (" << megabytes(n.disk_read_bytes) << " MB), " << n.disk_writes << " writes ("
       << megabytes(n.disk_written_bytes) << " MB)\n";
  }
  for (const DrbdPairResult& d : s.drbd)
    os << "  DRBD " << d.name << " (protocol " << d.protocol << "): primary " << (d.primary.empty() ? "none" : d.primary)
       << ", address up at " << fixed(d.address_up_s, 3) << " s; " << d.replicated << " writes replicated, " << d.acked
       << " acked, " << d.out_of_sync << " out of sync, " << d.disconnects << " disconnects\n";
  for (const GlusterBrickResult& b : s.bricks)
    os << "  GlusterFS brick " << b.name << ": " << b.calls << " calls, disk " << fixed(b.disk_utilization * 100, 1)
       << "% busy\n";
  for (const RsyncResult& r : s.rsync)
    os << "  rsync " << r.name << " (every " << fixed(r.interval_s, 0) << " s): " << r.completed << " of " << r.runs
       << " transfers done (" << megabytes(r.bytes) << " MB); " << r.propagated << " of " << r.writes
       << " writes on every web server, staleness mean " << fixed(r.staleness_mean_s, 3) << " s, max "
       << fixed(r.staleness_max_s, 3) << " s; oldest pending " << fixed(r.oldest_pending_s, 3) << " s\n";
  for (const MountResult& m : s.mounts) {
    os << "  " << m.server << " mounts " << m.from << " at " << m.mount_point << " (" << m.options << "): page cache "
       << fixed(m.hit_ratio * 100, 1) << "% hits after the warm-up";
    if (m.che_hit_ratio) os << " (Che " << fixed(*m.che_hit_ratio * 100, 1) << "%)";
    os << ", " << m.blocked << " of " << m.requests << " requests waited for storage";
    if (m.errors > 0) os << ", " << m.errors << " failed (nfs timeout)";
    os << "\n    calls " << calls_text(m.calls) << "; " << m.retransmits << " retransmitted, " << m.major_timeouts
       << " major timeouts, " << m.reconnects << " reconnects\n";
  }
}

}  // namespace lvs::run

namespace lvs::run {

nlohmann::ordered_json storage_json(const StorageResult& s) {
  using json = nlohmann::ordered_json;
  json j = {{"files", s.files}, {"content_bytes", s.content_bytes}, {"zipf", s.zipf},
            {"write_fraction", s.write_fraction}, {"nfs_servers", json::array()}, {"mounts", json::array()}};
  for (const NfsServerResult& n : s.nfs)
    j["nfs_servers"].push_back({{"name", n.name},
                                {"host", n.host},
                                {"export", n.export_path},
                                {"sync", n.sync},
                                {"threads", n.threads},
                                {"disk_profile", n.disk_profile},
                                {"thread_utilization", n.thread_utilization},
                                {"disk_utilization", n.disk_utilization},
                                {"calls", calls_json(n.calls)},
                                {"read_bytes", n.read_bytes},
                                {"page_cache", {{"hits", n.cache_hits}, {"misses", n.cache_misses}}},
                                {"disk", {{"reads", n.disk_reads}, {"writes", n.disk_writes},
                                          {"read_bytes", n.disk_read_bytes}, {"written_bytes", n.disk_written_bytes}}},
                                {"duplicate_calls", n.duplicates}});
  for (const MountResult& m : s.mounts)
    j["mounts"].push_back({{"server", m.server},
                           {"from", m.from},
                           {"at", m.mount_point},
                           {"options", m.options},
                           {"requests", m.requests},
                           {"blocked", m.blocked},
                           {"errors", m.errors},
                           {"calls", calls_json(m.calls)},
                           {"retransmits", m.retransmits},
                           {"major_timeouts", m.major_timeouts},
                           {"reconnects", m.reconnects},
                           {"page_cache", {{"hits", m.page_hits}, {"misses", m.page_misses}, {"hit_ratio", m.hit_ratio},
                                           {"che_hit_ratio", m.che_hit_ratio ? json(*m.che_hit_ratio) : json()}}}});
  if (!s.drbd.empty()) {
    j["drbd"] = json::array();
    for (const DrbdPairResult& d : s.drbd)
      j["drbd"].push_back({{"name", d.name},
                           {"protocol", std::string(1, d.protocol)},
                           {"primary", d.primary},
                           {"address_up_s", d.address_up_s},
                           {"replicated", d.replicated},
                           {"acked", d.acked},
                           {"out_of_sync", d.out_of_sync},
                           {"disconnects", d.disconnects}});
  }
  if (!s.bricks.empty()) {
    j["gluster_bricks"] = json::array();
    for (const GlusterBrickResult& b : s.bricks)
      j["gluster_bricks"].push_back({{"name", b.name}, {"calls", b.calls}, {"disk_utilization", b.disk_utilization}});
  }
  if (!s.rsync.empty()) {
    j["rsync"] = json::array();
    for (const RsyncResult& r : s.rsync)
      j["rsync"].push_back({{"name", r.name},
                            {"interval_s", r.interval_s},
                            {"runs", r.runs},
                            {"completed", r.completed},
                            {"bytes", r.bytes},
                            {"writes", r.writes},
                            {"propagated", r.propagated},
                            {"staleness_mean_s", r.staleness_mean_s},
                            {"staleness_max_s", r.staleness_max_s},
                            {"oldest_pending_s", r.oldest_pending_s}});
  }
  return j;
}

}  // namespace lvs::run
