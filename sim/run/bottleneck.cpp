#include "run/bottleneck.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>
#include <stdexcept>

#include "run/number_text.hpp"

namespace lvs::run {

namespace {

// The samples of the measured window: every interval (t - dt, t] that starts at or after
// the warm-up. A run shorter than one interval after its warm-up has none.
struct Window {
  std::size_t first = 0, end = 0;
  std::size_t size() const { return end - first; }
};

Window measured(const RunResult& r) {
  if (r.series.empty()) return {};
  const double dt = r.series.size() > 1 ? r.series[1].time_s - r.series[0].time_s : r.series[0].time_s;
  std::size_t k = 0;
  while (k < r.series.size() && r.series[k].time_s - dt < r.warmup_s - 1e-9) ++k;
  return {k, r.series.size()};
}

using Figure = std::function<double(const Sample&)>;

// A figure of a sample vector, 0 where the sample has none (a sample taken before the layout grew).
template <class V>
double at(const V& v, std::size_t i) {
  return i < v.size() ? static_cast<double>(v[i]) : 0.0;
}

// The earliest sample k of the window at or above the threshold from which on the mean stays
// there to the end, over at least kSustainedSamples samples and kSustainedShare of the window;
// with the mean from k on.
std::optional<std::pair<std::size_t, double>> saturated_tail(const RunResult& r, Window w, const Figure& f) {
  const auto share = static_cast<std::size_t>(std::ceil(kSustainedShare * static_cast<double>(w.size())));
  const std::size_t least = std::max(kSustainedSamples, share);
  if (w.size() < least) return std::nullopt;
  std::vector<double> v(w.size());
  for (std::size_t k = 0; k < w.size(); ++k) v[k] = f(r.series[w.first + k]);
  std::vector<double> tail(w.size() + 1, 0.0);  // tail[k]: the sum of v[k..]
  for (std::size_t k = w.size(); k-- > 0;) tail[k] = tail[k + 1] + v[k];
  for (std::size_t k = 0; k + least <= w.size(); ++k) {
    const double mean = tail[k] / static_cast<double>(w.size() - k);
    if (v[k] >= kSaturatedUtilization && mean >= kSaturatedUtilization) return std::pair{w.first + k, mean};
  }
  return std::nullopt;
}

// A utilisation judged over the window: saturated when its mean is >= the threshold
// ("utilization"), or when it reaches it and stays there on average to the end of the run
// ("sustained": a rising load), reported as its mean from then on. `whole_run` stands in
// without samples.
BottleneckCandidate judge(const RunResult& r, Window w, const Figure& f, double whole_run) {
  BottleneckCandidate c;
  if (w.size() == 0) {
    c.utilization = whole_run;
    c.saturated = whole_run >= kSaturatedUtilization;
    c.why = c.saturated ? "utilization" : "";
    return c;
  }
  double sum = 0;
  std::optional<std::size_t> crossed;
  for (std::size_t k = w.first; k < w.end; ++k) {
    const double v = f(r.series[k]);
    sum += v;
    if (v >= kSaturatedUtilization && !crossed) crossed = k;
  }
  c.utilization = sum / static_cast<double>(w.size());
  if (c.utilization >= kSaturatedUtilization) {
    c.saturated = true;
    c.why = "utilization";
    c.first_saturated_s = r.series[crossed.value_or(w.first)].time_s;
  } else if (const auto tail = saturated_tail(r, w, f)) {
    c.utilization = tail->second;
    c.saturated = true;
    c.why = "sustained";
    c.first_saturated_s = r.series[tail->first].time_s;
  }
  return c;
}

// The first sample of the whole run in which `count` is positive.
std::optional<double> first_positive(const RunResult& r, const Figure& count) {
  for (const Sample& s : r.series)
    if (count(s) > 0) return s.time_s;
  return std::nullopt;
}

// Marks `c` saturated because the resource refused work, if nothing saturated it earlier.
void refused(BottleneckCandidate& c, std::optional<double> first) {
  if (c.saturated) return;
  c.saturated = true;
  c.why = "refused";
  c.first_saturated_s = first;
}

void append(std::string& detail, const std::string& more) {
  if (more.empty()) return;
  detail += (detail.empty() ? "" : ", ") + more;
}

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

void add_directors(const RunResult& r, Window w, std::vector<BottleneckCandidate>& out) {
  for (std::size_t i = 0; i < r.directors.size(); ++i) {
    const DirectorResult& d = r.directors[i];
    BottleneckCandidate cpu =
        judge(r, w, [i](const Sample& s) { return at(s.director_cpu, i); }, d.cpu_utilization);
    cpu.resource = "director cpu";
    cpu.component = d.name;
    cpu.detail = joined(d.methods, "/");
    append(cpu.detail, d.cpu_profile + " profile");
    if (d.backlog_drops > 0) {
      append(cpu.detail, std::to_string(d.backlog_drops) + " packets dropped from its backlog");
      refused(cpu, std::nullopt);
    }
    out.push_back(cpu);
    BottleneckCandidate nic =
        judge(r, w, [i](const Sample& s) { return at(s.director_nic, i); }, d.nic_utilization);
    nic.resource = "director nic";
    nic.component = d.name;
    nic.detail = d.nic;
    out.push_back(nic);
  }
}

void add_links(const RunResult& r, Window w, std::vector<BottleneckCandidate>& out) {
  for (std::size_t i = 0; i < r.links.size(); ++i) {
    const LinkResult& l = r.links[i];
    BottleneckCandidate c = judge(r, w, [i](const Sample& s) { return at(s.link_utilization, i); }, l.utilization);
    c.resource = "link";
    c.component = l.name;
    c.detail = l.kind;
    if (l.drops > 0) append(c.detail, std::to_string(l.drops) + " tail drops");
    out.push_back(c);
  }
}

void add_nfs(const RunResult& r, Window w, std::vector<BottleneckCandidate>& out) {
  if (!r.storage) return;
  for (std::size_t i = 0; i < r.storage->nfs.size(); ++i) {
    const NfsServerResult& n = r.storage->nfs[i];
    BottleneckCandidate threads =
        judge(r, w, [i](const Sample& s) { return at(s.nfs_threads, i); }, n.thread_utilization);
    threads.resource = "nfs threads";
    threads.component = n.name;
    threads.detail = std::to_string(n.threads) + (n.threads == 1 ? " nfsd thread" : " nfsd threads");
    out.push_back(threads);
    BottleneckCandidate disk = judge(r, w, [i](const Sample& s) { return at(s.nfs_disk, i); }, n.disk_utilization);
    disk.resource = "nfs disk";
    disk.component = n.name;
    disk.detail = n.disk_profile;
    out.push_back(disk);
  }
}

void add_fullnat(const RunResult& r, std::vector<BottleneckCandidate>& out) {
  for (std::size_t i = 0; i < r.directors.size(); ++i)
    for (const FullNatResult& f : r.directors[i].fullnat) {
      const double ports = static_cast<double>(f.port_max - f.port_min + 1);
      const double all = ports * static_cast<double>(f.local_addresses.size());
      BottleneckCandidate c;
      c.resource = "fullnat ports";
      c.component = f.service;
      c.utilization = f.refused > 0 ? 1.0 : (all > 0 ? std::min(1.0, static_cast<double>(f.peak) / all) : 0.0);
      c.detail = std::to_string(f.local_addresses.size()) + " local address" +
                 (f.local_addresses.size() == 1 ? "" : "es") + " x " + fixed(ports, 0) + " ports, peak " +
                 std::to_string(f.peak) + ", " + std::to_string(f.refused) + " refused";
      if (f.refused > 0)
        refused(c, first_positive(r, [i](const Sample& s) { return at(s.director_no_local_port, i); }));
      out.push_back(c);
    }
}

void add_clients(const RunResult& r, std::vector<BottleneckCandidate>& out) {
  constexpr auto kNoPort = static_cast<std::size_t>(FailReason::NoEphemeralPort);
  for (const ClientResult& cl : r.clients) {
    if (cl.no_port_failures == 0) continue;
    BottleneckCandidate c;
    c.resource = "client ports";
    c.component = cl.name;
    c.utilization = 1.0;
    c.detail = std::to_string(cl.time_wait) + " in TIME_WAIT at the end, " + std::to_string(cl.no_port_failures) +
               " connects failed (EADDRNOTAVAIL)";
    refused(c, first_positive(r, [](const Sample& s) { return static_cast<double>(s.failed_by_reason[kNoPort]); }));
    out.push_back(c);
  }
}

// Least squares over the second half of the window: the in-system count (activeconns) of
// server `i` rose by at least max(10, half its mean level) across it (four samples or more).
bool queue_growing(const RunResult& r, Window w, std::size_t i) {
  const std::size_t first = w.first + w.size() / 2, n = w.end - first;
  if (n < 4) return false;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double x = static_cast<double>(k), y = at(r.series[first + k].server_activeconns, i);
    sx += x, sy += y, sxx += x * x, sxy += x * y;
  }
  const double dn = static_cast<double>(n);
  const double slope = (dn * sxy - sx * sy) / (dn * sxx - sx * sx);
  return slope * (dn - 1) >= std::max(10.0, 0.5 * sy / dn);
}

// "rs1..rs4" for three or more servers in a row of the results, else "rs1, rs3" (the first
// four, "and 3 more").
std::string server_names(const RunResult& r, const std::vector<std::size_t>& which) {
  const bool run = which.size() >= 3 && which.back() - which.front() + 1 == which.size();
  if (run) return r.servers[which.front()].name + ".." + r.servers[which.back()].name;
  constexpr std::size_t kNamed = 4;  // then "and 4 more"
  std::vector<std::string> names;
  for (std::size_t k = 0; k < which.size() && k < kNamed; ++k) names.push_back(r.servers[which[k]].name);
  const std::string more = which.size() > kNamed ? " and " + std::to_string(which.size() - kNamed) + " more" : "";
  return joined(names, ", ") + more;
}

// The real servers' workers as one resource: the servers that saturate (by utilisation, or
// a queue growing while the workers are at least 90% busy), their mean utilisation and the
// SYNs their backlogs dropped; with none, the busiest server.
BottleneckCandidate workers(const RunResult& r, Window w, std::vector<std::size_t>& which) {
  BottleneckCandidate all, busiest;
  std::uint64_t dropped = 0;
  bool growing = false;
  double sum = 0;
  for (std::size_t i = 0; i < r.servers.size(); ++i) {
    BottleneckCandidate c =
        judge(r, w, [i](const Sample& s) { return at(s.server_utilization, i); }, r.servers[i].utilization);
    const bool grows = c.utilization >= kGrowingUtilization && queue_growing(r, w, i);
    if (grows && !c.saturated) {
      c.saturated = true;
      c.why = "queue growing";
      c.first_saturated_s = r.series[w.first + w.size() / 2].time_s;
    }
    if (i == 0 || c.utilization > busiest.utilization) busiest = c, busiest.component = r.servers[i].name;
    if (!c.saturated) continue;
    if (which.empty() || (c.first_saturated_s && (!all.first_saturated_s || *c.first_saturated_s < *all.first_saturated_s)))
      all.first_saturated_s = c.first_saturated_s, all.why = c.why;
    which.push_back(i);
    sum += c.utilization;
    dropped += r.servers[i].listen_drops;
    growing = growing || grows;
  }
  if (which.empty()) return busiest;
  all.saturated = true;
  all.utilization = sum / static_cast<double>(which.size());
  all.component = server_names(r, which);
  if (growing) append(all.detail, "backlog growing");
  if (dropped > 0) append(all.detail, std::to_string(dropped) + " SYNs dropped");
  return all;
}

// Servers whose listen backlog overflowed while their workers were not saturated: the
// backlog itself is too small for the bursts (a saturated server's drops are its workers').
void add_servers(const RunResult& r, Window w, std::vector<BottleneckCandidate>& out) {
  if (r.servers.empty()) return;
  std::vector<std::size_t> busy, which;
  BottleneckCandidate c = workers(r, w, busy);
  c.resource = "rs workers";
  out.push_back(c);
  std::uint64_t dropped = 0;
  for (std::size_t i = 0; i < r.servers.size(); ++i) {
    if (r.servers[i].listen_drops == 0) continue;
    if (std::find(busy.begin(), busy.end(), i) != busy.end()) continue;
    which.push_back(i);
    dropped += r.servers[i].listen_drops;
  }
  if (which.empty()) return;
  BottleneckCandidate backlog;
  backlog.resource = "backlog";
  backlog.component = server_names(r, which);
  backlog.utilization = 1.0;
  backlog.detail = std::to_string(dropped) + " SYNs dropped, accept queue full";
  refused(backlog, first_positive(r, [which](const Sample& s) {
            double n = 0;
            for (std::size_t i : which) n += at(s.server_listen_drops, i);
            return n;
          }));
  out.push_back(backlog);
}

// How far down the chain of waits a resource is: a web worker waiting for NFS counts as
// busy, and so does an nfsd thread waiting for its disk, so when they saturate in the same
// interval the one the others wait on is the cause.
int waited_on(const BottleneckCandidate& c) {
  if (c.resource == "nfs disk") return 0;
  if (c.resource == "nfs threads") return 1;
  return 2;
}

}  // namespace

std::size_t bottleneck_resource_index(std::string_view resource) {
  for (std::size_t i = 0; i < kBottleneckResources.size(); ++i)
    if (kBottleneckResources[i] == resource) return i;
  throw std::logic_error("bottleneck: unknown resource '" + std::string(resource) + "'");
}

Bottleneck find_bottleneck(const RunResult& r) {
  const Window w = measured(r);
  Bottleneck b;
  add_directors(r, w, b.candidates);
  add_links(r, w, b.candidates);
  add_servers(r, w, b.candidates);
  add_nfs(r, w, b.candidates);
  add_fullnat(r, b.candidates);
  add_clients(r, b.candidates);
  // Saturated first, the earliest first (a refusal without a time after those with one),
  // ties to the resource waited on, then to the busier; then the rest, busiest first.
  std::stable_sort(b.candidates.begin(), b.candidates.end(), [](const auto& x, const auto& y) {
    if (x.saturated != y.saturated) return x.saturated;
    if (x.saturated && x.first_saturated_s != y.first_saturated_s) {
      if (!x.first_saturated_s || !y.first_saturated_s) return x.first_saturated_s.has_value();
      return *x.first_saturated_s < *y.first_saturated_s;
    }
    if (x.saturated && waited_on(x) != waited_on(y)) return waited_on(x) < waited_on(y);
    return x.utilization > y.utilization;
  });
  return b;
}

std::string bottleneck_text(const Bottleneck& b) {
  if (b.candidates.empty()) return "none (nothing was measured)";
  const BottleneckCandidate& c = b.candidates.front();
  std::string text = c.resource + " " + fixed(c.utilization * 100, 0) + "% (" + c.component;
  if (!c.detail.empty()) text += ", " + c.detail;
  if (c.saturated && c.first_saturated_s) {
    std::ostringstream at;
    at << *c.first_saturated_s;
    text += ", from " + at.str() + " s";
  }
  text += ")";
  return b.saturated() ? text : "none \u2014 busiest: " + text;
}

}  // namespace lvs::run
