#include "run/run.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "capture/pcap_writer.hpp"
#include "lvs/ipvsadm_format.hpp"
#include "lvs/ipvsadm_view.hpp"
#include "nodes/real_server.hpp"
#include "run/builder.hpp"
#include "run/control_plane_results.hpp"
#include "run/director_nic.hpp"
#include "run/sampler.hpp"
#include "run/service_uptime.hpp"
#include "run/storage_results.hpp"
#include "run/vip_arp.hpp"
#include "run/warmup_auto.hpp"

namespace lvs::run {

namespace {

template <class F>
void for_each_ethernet(const Node& n, F&& f) {
  for (const auto& i : n.interfaces())
    if (i->kind() == InterfaceKind::Ethernet) f(i->stats());
}

// Each real server's configured weight: its destinations' -w summed over the services (a
// server in no service has 0). The weights the scenario sets, not those at the end of the
// run: a drain (weight 0) late in the run does not make the server's earlier load unfair.
void set_weights(const scenario::ScenarioSpec& spec, std::vector<ServerResult>& servers) {
  std::unordered_map<std::string_view, std::uint64_t> weights;
  for (const scenario::ServiceSpec& s : spec.services)
    for (const scenario::DestinationSpec& d : s.destinations) weights[d.server] += d.weight;
  for (ServerResult& r : servers) {
    const auto it = weights.find(r.name);
    r.weight = it == weights.end() ? 0 : it->second;
  }
}

ResidenceResult residence_of(const Model& m) {
  Histogram all;
  for (const RealServer* s : m.servers) all.merge(s->residence());
  if (all.count() == 0) return {};
  return ResidenceResult{all.count(), all.mean(), all.percentile(0.99)};
}

ServerResult server_result(const RealServer& s, ServerConns::Conns conns, Time now, Time since) {
  ServerResult r;
  r.name = s.name();
  r.requests = s.stats().requests;
  r.connections = s.stats().connections;
  std::tie(r.activeconns, r.inactconns) = conns;
  for_each_ethernet(s, [&](const InterfaceStats& st) {
    r.bytes_in += st.bytes_in;
    r.bytes_out += st.bytes_out;
  });
  const double span = (now - since).seconds();
  if (span > 0) r.utilization = s.busy_worker_seconds() / (span * s.app().workers);
  r.listen_drops = s.transport_stats().listen_overflows;
  return r;
}

LinkResult link_result(const NamedLink& l, Time now) {
  LinkResult r;
  r.name = l.name;
  r.kind = l.link != nullptr ? "link" : "segment";
  for_each_direction(l, [&](const TxQueue& q) {
    r.packets += q.stats().packets;
    r.bytes += q.stats().bytes;
    r.drops += q.stats().drops;
    r.utilization = std::max(r.utilization, q.utilization(now));
  });
  return r;
}

FullNatResult fullnat_result(const FullNatPool& pool) {
  const VirtualService& svc = pool.service();
  FullNatResult r;
  r.service = std::string(svc.protocol() == IpProto::Udp ? "UDP " : "TCP ") + svc.vip().str() + ":" +
              std::to_string(svc.port());
  r.flavour = std::string(flavour_name(pool.flavour()));
  for (Ipv4Address a : pool.addresses()) r.local_addresses.push_back(a.str());
  r.port_min = pool.port_min();
  r.port_max = pool.port_max();
  r.in_use = pool.in_use();
  r.peak = pool.peak();
  r.refused = pool.refused();
  return r;
}

// The forwarding methods of the services `director` carries, in the scenario's order: "NAT" ...
std::vector<std::string> director_methods(const scenario::ScenarioSpec& spec, const std::string& director) {
  std::vector<std::string> out;
  for (const scenario::ServiceSpec& svc : spec.services) {
    if (svc.director != director && std::find(svc.also_on.begin(), svc.also_on.end(), director) == svc.also_on.end())
      continue;
    for (const scenario::DestinationSpec& d : svc.destinations) {
      std::string m = scenario::method_name(d.method);
      std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    }
  }
  return out;
}

ClientResult client_result(const Client& c) {
  return {c.name(), c.totals().failed[static_cast<std::size_t>(FailReason::NoEphemeralPort)], c.tcp_time_wait()};
}

DirectorResult director_result(const Director& d, const scenario::ScenarioSpec& spec, Time now) {
  DirectorResult r;
  r.name = d.name();
  r.methods = director_methods(spec, d.name());
  r.nic_utilization = NicSampler(d).run_utilization(now, r.nic);
  for_each_ethernet(d, [&](const InterfaceStats& st) {
    r.packets_in += st.packets_in;
    r.packets_out += st.packets_out;
    r.bytes_in += st.bytes_in;
    r.bytes_out += st.bytes_out;
  });
  r.cpu_utilization = d.cpu().utilization(now);
  r.cpu_profile = d.cpu().config().profile;
  r.cpu_cores = d.cpu().config().cores;
  r.cpu_overrides = profile_overrides(d.cpu().config());
  r.connections = d.connections().size();
  r.no_destination = d.counters().no_destination;
  r.no_local_port = d.counters().no_local_port;
  r.backlog_drops = d.counters().backlog_drops;
  r.rescheduled = d.counters().rescheduled;
  r.reuse_drops = d.counters().reuse_drops;
  for (const auto& pool : d.fullnat_pools()) r.fullnat.push_back(fullnat_result(*pool));
  r.ipvsadm_stats = ipvsadm_stats(d);
  r.ipvsadm_list = ipvsadm_list(d);
  return r;
}

// Every host's own counters, in the order the network holds its nodes (the topology's).
std::vector<HostResult> host_results(const Network& net) {
  std::vector<HostResult> out;
  for (const auto& n : net.nodes())
    if (const auto* h = dynamic_cast<const Host*>(n.get())) out.push_back({h->name(), h->host_counters()});
  return out;
}

// The names behind a Sample's vectors, in the order the results will list them.
SeriesLayout series_layout(const Model& m) {
  SeriesLayout layout;
  for (const RealServer* s : m.servers) layout.servers.push_back(s->name());
  for (const Director* d : m.directors) layout.directors.push_back(d->name());
  for (const NamedLink& l : m.links) layout.links.push_back(l.name);
  layout.nfs_servers = m.nfs_server_names;
  for (const auto& daemon : m.vrrp)
    for (const auto& vi : daemon->instances())
      if (std::find(layout.vrrp_instances.begin(), layout.vrrp_instances.end(), vi->name()) ==
          layout.vrrp_instances.end())
        layout.vrrp_instances.push_back(vi->name());
  return layout;
}

// Every client's totals in one, the latencies in one allocation and sorted, so that each
// exact percentile read from the result costs O(1).
RequestStats merged_totals(const Model& m) {
  RequestStats all;
  std::size_t latencies = 0;
  for (const Client* c : m.clients) latencies += c->totals().latencies.count();
  all.latencies.reserve(latencies);
  for (const Client* c : m.clients) all.merge(c->totals());
  all.latencies.sort();
  return all;
}

// With --pcap: a writer at the default capture points, installed as the network's observer.
std::unique_ptr<PcapWriter> open_pcap(Model& m, const scenario::ScenarioSpec& spec, const RunOptions& o) {
  if (!o.pcap) return nullptr;
  auto writer = std::make_unique<PcapWriter>(*o.pcap, default_capture_points(m, spec),
                                             o.pcap_both_ends ? CaptureAt::BothEnds : CaptureAt::Sender);
  m.net.set_observer(writer.get());
  return writer;
}

void close_pcap(Model& m, PcapWriter& writer) {
  m.net.set_observer(nullptr);
  writer.close();
}

std::string seconds_text(Time t) {
  std::ostringstream s;
  s << t.seconds() << " s";
  return s.str();
}

// The --ipvsadm views: each at every --at time (default: the end of the run), in time
// order. take(t) runs the simulation to each snapshot time due by t and takes the views
// there; the views schedule nothing, so the run goes on exactly as without them.
class IpvsadmSnapshots {
 public:
  IpvsadmSnapshots(const RunOptions& o, Time end) : requests_(o.ipvsadm), times_(o.ipvsadm_at) {
    if (times_.empty()) times_.push_back(end);
    std::sort(times_.begin(), times_.end());
  }

  void take(Model& m, Time t, std::vector<IpvsadmSnapshot>& out) {
    for (; next_ < times_.size() && times_[next_] <= t; ++next_) {
      if (requests_.empty()) continue;
      m.sim.run_until(times_[next_]);
      if (m.sim.interrupted()) return;  // not at the time asked: no view
      for (const IpvsadmRequest& q : requests_) {
        Director& d = director(m, q.director);
        out.push_back({d.name(), q.command.args, times_[next_].seconds(), ipvsadm_view(d, q.command, times_[next_])});
      }
    }
  }

 private:
  static Director& director(Model& m, const std::string& name) {
    for (Director* d : m.directors)
      if (name.empty() || d->name() == name) return *d;
    throw std::logic_error("no director " + name);  // check_run_options let it through
  }

  std::vector<IpvsadmRequest> requests_;
  std::vector<Time> times_;
  std::size_t next_ = 0;
};


}  // namespace

namespace {

// --until against the scenario: the reader checked its own duration the same way.
void check_until(const scenario::ScenarioSpec& spec, Time until) {
  if (until <= spec.warmup)
    throw std::invalid_argument("--until " + to_string(until) + " is not longer than the scenario's warm-up " +
                                to_string(spec.warmup) + ": no request would be measured (run longer, or add " +
                                "--set warmup=0)");
  const std::string samples = scenario::sample_count_problem(until, spec.sample_interval);
  if (!samples.empty()) throw std::invalid_argument("--until " + to_string(until) + ": " + samples);
}

void check_ipvsadm(const scenario::ScenarioSpec& spec, const RunOptions& options) {
  if (options.ipvsadm.empty()) return;
  std::vector<std::string> directors;
  for (const scenario::HostSpec& h : spec.topology.hosts)
    if (h.kind == scenario::HostKind::Director) directors.push_back(h.name);
  if (directors.empty()) throw std::invalid_argument("--ipvsadm: the scenario has no director");
  for (const IpvsadmRequest& q : options.ipvsadm) {
    if (q.director.empty() || std::find(directors.begin(), directors.end(), q.director) != directors.end()) continue;
    std::string names;
    for (const std::string& n : directors) names += (names.empty() ? "" : ", ") + n;
    throw std::invalid_argument("--director: no director called '" + q.director + "'; the scenario has: " + names);
  }
  const Time end = options.until.value_or(spec.duration);
  for (Time at : options.ipvsadm_at)
    if (at <= Time() || at > end)
      throw std::invalid_argument("--at " + seconds_text(at) + ": expected a time in (0, " + seconds_text(end) +
                                  "], the run's length");
}

}  // namespace

void check_run_options(const scenario::ScenarioSpec& spec, const RunOptions& options) {
  if (options.until) check_until(spec, *options.until);
  check_ipvsadm(spec, options);
}

RunResult run_scenario(const scenario::ScenarioSpec& spec, const RunOptions& options) {
  if (spec.warmup_auto) return run_with_auto_warmup(spec, options, &run_fixed_warmup);
  return run_fixed_warmup(spec, options);
}

RunResult run_fixed_warmup(const scenario::ScenarioSpec& spec, const RunOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  const std::uint64_t seed = options.seed.value_or(spec.seed);
  Time end = options.until.value_or(spec.duration);
  check_run_options(spec, options);
  std::unique_ptr<Model> m = build_model(spec, seed);
  const std::unique_ptr<PcapWriter> pcap = open_pcap(*m, spec, options);
  std::vector<Ipv4Address> vips;
  for (const scenario::ServiceSpec& s : spec.services) vips.push_back(s.vip);
  const VipArpLog vip_arp(*m, vips);
  ServiceUptime uptime(*m);
  StorageBaseline storage_warm;
  if (m->content) m->sim.schedule_at(spec.warmup, [&storage_warm, m = m.get()] { storage_warm.take(*m); });
  if (has_control_plane(*m))
    for (Client* c : m->clients) c->keep_outcomes(Time::from_seconds(kDelayedRequest_s));

  RunResult r;
  const SeriesLayout layout = series_layout(*m);
  r.vrrp_instances = layout.vrrp_instances;
  Sampler sampler(*m, spec.sample_interval, layout.vrrp_instances);
  IpvsadmSnapshots snapshots(options, end);
  if (options.started) options.started(layout);
  m->sim.set_interrupt(options.interrupt);
  if (options.on_start) options.on_start(m->sim);
  for (Time t = spec.sample_interval; t <= end && !m->sim.interrupted(); t = t + spec.sample_interval) {
    snapshots.take(*m, t, r.ipvsadm);
    m->sim.run_until(t);
    if (m->sim.interrupted()) break;  // a partial interval is no sample
    uptime.check();
    r.series.push_back(sampler.take(t));
    if (options.sample) options.sample(r.series.back());
    if (options.progress) options.progress(t, end);
  }
  snapshots.take(*m, end, r.ipvsadm);
  m->sim.run_until(end);
  uptime.check();
  r.interrupted = m->sim.interrupted();
  r.planned_s = end.seconds();
  if (r.interrupted) end = m->sim.now();  // the results are those of the time reached

  r.scenario = spec.name;
  r.file = spec.file;
  r.seed = seed;
  r.sim_time_s = end.seconds();
  r.warmup_s = spec.warmup.seconds();
  r.events = m->sim.events_executed();
  r.packet_hops = m->net.hops();
  r.fingerprint = m->sim.fingerprint().hex();
  r.requests = merged_totals(*m);
  r.vip_arp = vip_arp.changes();
  const double measured = (end - spec.warmup).seconds();
  if (measured > 0) r.throughput_rps = static_cast<double>(r.requests.completed) / measured;
  ServerConns server_conns(*m);  // one pass over the destinations, not one per server
  const std::vector<ServerConns::Conns>& conns = server_conns.take();
  for (std::size_t i = 0; i < m->servers.size(); ++i)
    r.servers.push_back(server_result(*m->servers[i], conns[i], end, Time()));
  set_weights(spec, r.servers);
  r.residence = residence_of(*m);
  r.residence_means_s = {r.residence.mean_s};
  for (const NamedLink& l : m->links) r.links.push_back(link_result(l, end));
  r.drops = m->net.drop_counts().sorted();
  r.hosts = host_results(m->net);
  for (const Director* d : m->directors) r.directors.push_back(director_result(*d, spec, end));
  for (const Client* c : m->clients) r.clients.push_back(client_result(*c));
  control_plane_results(*m, spec, uptime, end, r);
  r.storage = storage_results(*m, storage_warm, end.seconds());
  if (pcap) close_pcap(*m, *pcap);
  r.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return r;
}

std::vector<const Interface*> default_capture_points(const Model& m, const scenario::ScenarioSpec& spec) {
  std::vector<const Interface*> points;
  for (const scenario::HostSpec& h : spec.topology.hosts)
    if (h.kind == scenario::HostKind::Director || h.kind == scenario::HostKind::Server)
      if (const Node* n = m.net.node(h.name)) add_ethernet_interfaces(*n, points);
  return points;
}

}  // namespace lvs::run
