// Persistence: the template table, and the director's template life cycle as the kernel
// runs it (ip_vs_sched_persist, ip_vs_check_template, ip_vs_conn_expire, ip_vs_control_del).

#include "lvs/persistence.hpp"

#include "lvs/director.hpp"

namespace lvs {

// The kernel's template is a connection entry with client port 0.
ConnectionTable::Key PersistenceTable::key(const PersistTemplate& t) {
  return ConnectionTable::key(t.proto, t.caddr, 0, t.vaddr, t.vport);
}

PersistTemplate* PersistenceTable::find(IpProto proto, Ipv4Address caddr, Ipv4Address vaddr, std::uint16_t vport) {
  const auto it = hashed_.find(ConnectionTable::key(proto, caddr, 0, vaddr, vport));
  return it == hashed_.end() ? nullptr : &slots_.at(it->second);
}

PersistTemplate& PersistenceTable::insert(const PersistTemplate& t) {
  PersistTemplate& stored = slots_.insert(t);
  stored.hashed = true;
  hashed_[key(stored)] = stored.slot;
  return stored;
}

void PersistenceTable::unhash(PersistTemplate& t) {
  if (!t.hashed) return;
  hashed_.erase(key(t));
  t.hashed = false;
}

void PersistenceTable::erase(std::uint32_t slot) {
  PersistTemplate& t = slots_.at(slot);
  unhash(t);
  t.svc = nullptr;
  slots_.release(slot);
}

// ip_vs_sched_persist: a valid template for <proto, caddr & netmask, 0, vaddr, vport>
// decides, whatever the destination's weight or overload flag; otherwise the scheduler
// picks and a new template is bound to its choice. Either way the new connection is
// controlled by the template, which is re-armed to now + timeout (ip_vs_conn_put).
std::optional<DestId> Director::schedule_persistent(VirtualService& svc, const SchedFlow& flow, Connection& c) {
  const Persistence& p = *svc.persistence();
  const Ipv4Address cnet(flow.saddr.words[0] & p.netmask.value());
  // A fwmark service's template is <IPPROTO_IP, caddr & netmask, 0, fwmark, 0>: one per client
  // network whatever the protocol, address and port the mark covers (ip_vs_sched_persist).
  const bool fwm = svc.fwmark() != 0;
  const auto proto = fwm ? kTemplateProtoIp : static_cast<IpProto>(flow.protocol);
  const Ipv4Address vaddr = fwm ? Ipv4Address(svc.fwmark()) : Ipv4Address(flow.daddr.words[0]);
  const std::uint16_t vport = fwm ? 0 : svc.port();
  PersistTemplate* t = templates_.find(proto, cnet, vaddr, vport);
  if (t != nullptr && !template_valid(*t)) {
    templates_.unhash(*t);  // it dies on its own timer
    t = nullptr;
  }
  if (t == nullptr) {
    const auto id = svc.pick(flow, sim().now());
    if (!id) return std::nullopt;
    PersistTemplate fresh;
    fresh.proto = proto;
    fresh.caddr = cnet;
    fresh.vaddr = vaddr;
    fresh.vport = vport;
    fresh.svc = &svc;
    fresh.dest = *id;
    fresh.generation = next_generation_++;
    fresh.timer_at = Time::max();
    t = &templates_.insert(fresh);
    svc.bind_template(*id);
  }
  ++t->controlled;
  t->expires = sim().now() + p.timeout;
  arm_template(*t);
  c.tmpl = t->slot;
  c.tmpl_generation = t->generation;
  return t->dest;
}

// ip_vs_check_template: the destination must still be in the service (AVAILABLE), and with
// expire_quiescent_template its weight must be above 0. Overload does not matter.
bool Director::template_valid(const PersistTemplate& t) const {
  if (!t.svc->has(t.dest)) return false;
  return !(ipvs_.expire_quiescent_template && t.svc->dest(t.dest).weight == 0);
}

void Director::arm_template(PersistTemplate& t) {
  if (t.expires >= t.timer_at && sim().pending(t.timer)) return;
  sim().cancel(t.timer);
  t.timer_at = t.expires;
  t.timer = sim().schedule_at(t.expires, [this, slot = t.slot, gen = t.generation] { on_template_expiry(slot, gen); });
}

// ip_vs_conn_expire for a template: while it controls live connections it is kept for
// another 60 s (expire_later); then it unbinds from its destination (persistconns--).
void Director::on_template_expiry(std::uint32_t slot, std::uint64_t generation) {
  PersistTemplate& t = templates_.at(slot);
  if (t.svc == nullptr || t.generation != generation) return;
  if (t.expires <= sim().now() && t.controlled > 0) t.expires = sim().now() + Time::s(60);
  if (t.expires > sim().now()) {
    t.timer_at = t.expires;
    t.timer = sim().schedule_at(t.expires, [this, slot, generation] { on_template_expiry(slot, generation); });
    return;
  }
  t.svc->unbind_template(t.dest);
  templates_.erase(slot);
}

void Director::flush_connections() {
  std::vector<std::uint32_t> live;
  conns_.for_each([&live](const Connection& c) { live.push_back(c.slot); });
  for (std::uint32_t slot : live) expire_now(conns_.at(slot));
  live.clear();
  templates_.for_each([&live](const PersistTemplate& t) { live.push_back(t.slot); });
  for (std::uint32_t slot : live) {
    PersistTemplate& t = templates_.at(slot);
    sim().cancel(t.timer);
    t.svc->unbind_template(t.dest);
    templates_.erase(slot);
  }
}

// ip_vs_control_del: a connection made under a template ends.
void Director::release_template(const Connection& c) {
  if (c.tmpl == Connection::kNoTemplate) return;
  PersistTemplate& t = templates_.at(c.tmpl);
  if (t.svc != nullptr && t.generation == c.tmpl_generation && t.controlled > 0) --t.controlled;
}

}  // namespace lvs
