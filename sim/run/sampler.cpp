#include "run/sampler.hpp"

#include <algorithm>

#include "nodes/real_server.hpp"

namespace lvs::run {

// Servers of one name (a host runs one application, so there is one) share one sum, as
// the search by name gave each of them the same figures.
ServerConns::ServerConns(const Model& m) : m_(m), sums_(m.servers.size()) {
  first_of_.reserve(m.servers.size());
  for (std::size_t i = 0; i < m.servers.size(); ++i)
    first_of_.push_back(first_.emplace(m.servers[i]->name(), i).first->second);
}

// A destination whose name is no server's (an end host without an application) counts for
// nobody, as before. The name of each destination is looked up once per service and
// generation (VirtualService::config_generation: names change only on an add), not per sample.
const std::vector<ServerConns::Conns>& ServerConns::take() {
  std::fill(sums_.begin(), sums_.end(), Conns{0, 0});
  std::size_t k = 0;
  for (const Director* d : m_.directors)
    for (const auto& vs : d->services()) {
      if (k == services_.size()) services_.emplace_back();
      ServiceServers& c = services_[k++];
      if (c.service != vs.get() || c.generation != vs->config_generation()) refill(c, *vs);
      for (const SchedDest& dest : vs->destinations()) {
        const std::int32_t server = c.server[dest.id];
        if (server < 0) continue;
        sums_[static_cast<std::size_t>(server)].first += dest.activeconns;
        sums_[static_cast<std::size_t>(server)].second += dest.inactconns;
      }
    }
  for (std::size_t i = 0; i < sums_.size(); ++i) sums_[i] = sums_[first_of_[i]];
  return sums_;
}

// Every destination in the list now: one added later bumps the generation first.
void ServerConns::refill(ServiceServers& c, const VirtualService& vs) const {
  c.service = &vs;
  c.generation = vs.config_generation();
  c.server.clear();
  for (const SchedDest& dest : vs.destinations()) {
    if (dest.id >= c.server.size()) c.server.resize(dest.id + 1, -1);
    const auto it = first_.find(vs.config(dest.id).name);
    c.server[dest.id] = it == first_.end() ? -1 : static_cast<std::int32_t>(it->second);
  }
}

Sampler::Sampler(const Model& m, Time interval, std::vector<std::string> vrrp_instances)
    : m_(m), interval_(interval), vrrp_instances_(std::move(vrrp_instances)), conns_(m) {
  busy_.assign(m.servers.size(), 0.0);
  requests_.assign(m.servers.size(), 0);
  listen_drops_.assign(m.servers.size(), 0);
  cpu_.assign(m.directors.size(), Time::zero());
  no_local_port_.assign(m.directors.size(), 0);
  for (const Director* d : m.directors) nics_.emplace_back(*d);
  for (const NamedLink& l : m.links) for_each_direction(l, [&](const TxQueue&) { tx_busy_.push_back(0.0); });
}

Sample Sampler::take(Time now) {
  Sample s;
  s.time_s = now.seconds();
  take_requests(s);
  take_servers(s);
  take_directors(s, now);
  take_links(s, now);
  take_masters(s);
  take_nfs(s);
  return s;
}

void Sampler::take_directors(Sample& s, Time now) {
  for (std::size_t i = 0; i < m_.directors.size(); ++i) {
    const Director& d = *m_.directors[i];
    const Time busy = d.cpu().busy_time(now);
    s.director_cpu.push_back((busy - cpu_[i]).seconds() / (interval_.seconds() * d.cpu().config().cores));
    cpu_[i] = busy;
    s.director_nic.push_back(nics_[i].take(now, interval_.seconds()));
    s.director_no_local_port.push_back(d.counters().no_local_port - no_local_port_[i]);
    no_local_port_[i] = d.counters().no_local_port;
  }
}

void Sampler::take_requests(Sample& s) {
  RequestStats all;
  for (Client* c : m_.clients) all.merge(c->take_interval());
  s.completed = all.completed;
  s.failed = all.failed_total();
  s.failed_by_reason = all.failed;
  s.throughput_rps = static_cast<double>(all.completed) / interval_.seconds();
  if (all.completed > 0) {
    s.latency_mean_ms = all.latency_summary.mean() * 1e3;
    s.latency_p50_ms = all.latency.percentile(0.5) * 1e3;
    s.latency_p99_ms = all.latency.percentile(0.99) * 1e3;
  }
}

void Sampler::take_servers(Sample& s) {
  const std::vector<ServerConns::Conns>& conns = conns_.take();
  for (std::size_t i = 0; i < m_.servers.size(); ++i) {
    const RealServer& srv = *m_.servers[i];
    const double busy = srv.busy_worker_seconds();
    s.server_utilization.push_back((busy - busy_[i]) / (interval_.seconds() * srv.app().workers));
    busy_[i] = busy;
    s.server_activeconns.push_back(conns[i].first);
    s.server_requests.push_back(srv.stats().requests - requests_[i]);
    requests_[i] = srv.stats().requests;
    const std::uint64_t dropped = srv.transport_stats().listen_overflows;
    s.server_listen_drops.push_back(dropped - listen_drops_[i]);
    listen_drops_[i] = dropped;
  }
}

void Sampler::take_links(Sample& s, Time now) {
  std::size_t q = 0;
  for (const NamedLink& l : m_.links) {
    double busiest = 0;
    for_each_direction(l, [&](const TxQueue& tx) {
      const double busy = tx.utilization(now) * now.seconds();
      busiest = std::max(busiest, (busy - tx_busy_[q]) / interval_.seconds());
      tx_busy_[q++] = busy;
    });
    s.link_utilization.push_back(busiest);
  }
}

void Sampler::take_nfs(Sample& s) {
  nfs_busy_.resize(m_.nfs_servers.size(), {0.0, 0.0});
  for (std::size_t i = 0; i < m_.nfs_servers.size(); ++i) {
    const storage::NfsServer& nfs = *m_.nfs_servers[i];
    const double threads = nfs.busy_thread_seconds(), disk = nfs.disk().busy_seconds();
    s.nfs_threads.push_back((threads - nfs_busy_[i].first) / (interval_.seconds() * nfs.config().threads));
    s.nfs_disk.push_back((disk - nfs_busy_[i].second) / interval_.seconds());
    nfs_busy_[i] = {threads, disk};
  }
}

// Per VRRP instance, the director(s) in MASTER state now.
void Sampler::take_masters(Sample& s) const {
  for (const std::string& name : vrrp_instances_) {
    std::string masters;
    for (const auto& daemon : m_.vrrp)
      for (const auto& vi : daemon->instances())
        if (vi->name() == name && vi->state() == control::VrrpState::Master)
          masters += (masters.empty() ? "" : "+") + daemon->host().name();
    s.vrrp_master.push_back(std::move(masters));
  }
}

}  // namespace lvs::run
