#include "lvs/persistence.hpp"

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

}  // namespace lvs
