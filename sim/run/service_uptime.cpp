#include "run/service_uptime.hpp"

#include <algorithm>

#include "lvs/director.hpp"
#include "nodes/real_server.hpp"
#include "run/builder.hpp"

namespace lvs::run {

namespace {

bool carries(const Interface& i) { return i.up() && (i.channel() == nullptr || i.channel()->up()); }

}  // namespace

ServiceUptime::ServiceUptime(Model& m) : m_(m) {
  for (const Director* d : m.directors)
    for (const auto& vs : d->services()) {
      const Service s{static_cast<int>(vs->protocol()), vs->vip().value(), vs->port(), vs->fwmark()};
      const bool known = std::any_of(services_.begin(), services_.end(), [&s](const Service& o) {
        return o.proto == s.proto && o.vip == s.vip && o.port == s.port && o.fwmark == s.fwmark;
      });
      if (!known) services_.push_back(s);
    }
  changes_.emplace_back(m.sim.now(), all_up());
  m.log.on_add([this](const control::LogRecord&) { check(); });
  // Registered after the checkers' and VRRP's listeners: a boot has restarted them by now.
  m.failures.on_host_up([this](Host&) { check(); });
  m.failures.on_host_down([this](Host&) { check(); });
}

void ServiceUptime::check() {
  const bool now_up = all_up();
  if (now_up == changes_.back().second) return;
  if (changes_.back().first == m_.sim.now())
    changes_.back().second = now_up;  // several changes in one instant: the last counts
  else
    changes_.emplace_back(m_.sim.now(), now_up);
}

bool ServiceUptime::live(const RealServer& s) const {
  if (m_.failures.crashed(s) || !s.running()) return false;
  for (const auto& i : s.interfaces())
    if (i->kind() == InterfaceKind::Ethernet && carries(*i)) return true;
  return false;
}

bool ServiceUptime::serves(const Director& d, std::size_t service) const {
  const Service& s = services_[service];
  const Ipv4Address vip(s.vip);
  if (m_.failures.crashed(d)) return false;
  const bool holds_vip = std::any_of(d.interfaces().begin(), d.interfaces().end(),
                                     [&](const auto& i) { return i->has_address(vip) && carries(*i); });
  if (!holds_vip && s.fwmark == 0) return false;
  const auto it = std::find_if(d.services().begin(), d.services().end(), [&](const auto& v) {
    return static_cast<int>(v->protocol()) == s.proto && v->vip() == vip && v->port() == s.port &&
           v->fwmark() == s.fwmark;
  });
  if (it == d.services().end()) return false;
  const VirtualService* vs = it->get();
  for (const SchedDest& dest : vs->destinations()) {
    if (dest.weight <= 0) continue;
    const std::string& name = vs->config(dest.id).name;
    const auto server = std::find_if(m_.servers.begin(), m_.servers.end(),
                                     [&name](const RealServer* r) { return r->name() == name; });
    if (server == m_.servers.end() || live(**server)) return true;  // not a modelled server: taken as live
  }
  return false;
}

bool ServiceUptime::all_up() const {
  for (std::size_t k = 0; k < services_.size(); ++k) {
    const bool up = std::any_of(m_.directors.begin(), m_.directors.end(),
                                [&](const Director* d) { return serves(*d, k); });
    if (!up) return false;
  }
  return true;
}

double ServiceUptime::fraction(Time from, Time to) const {
  if (to <= from) return changes_.back().second ? 1.0 : 0.0;
  Time up_time;
  for (std::size_t k = 0; k < changes_.size(); ++k) {
    if (!changes_[k].second) continue;
    const Time begin = std::max(changes_[k].first, from);
    const Time end = std::min(k + 1 < changes_.size() ? changes_[k + 1].first : Time::max(), to);
    if (end > begin) up_time = up_time + (end - begin);
  }
  return up_time.seconds() / (to - from).seconds();
}

std::vector<double> ServiceUptime::batch_fractions(Time from, Time to, int batches) const {
  std::vector<double> out;
  const std::int64_t span = (to - from).count();
  for (int b = 0; b < batches; ++b)
    out.push_back(fraction(from + Time::ns(span * b / batches), from + Time::ns(span * (b + 1) / batches)));
  return out;
}

}  // namespace lvs::run
