#include "lvs/persistence.hpp"

namespace lvs {

// The kernel's template is a connection entry with client port 0.
ConnectionTable::Key PersistenceTable::key(const PersistTemplate& t) {
  return ConnectionTable::key(t.proto, t.caddr, 0, t.vaddr, t.vport);
}

PersistTemplate* PersistenceTable::find(IpProto proto, Ipv4Address caddr, Ipv4Address vaddr, std::uint16_t vport) {
  const auto it = hashed_.find(ConnectionTable::key(proto, caddr, 0, vaddr, vport));
  return it == hashed_.end() ? nullptr : &slots_[it->second];
}

PersistTemplate& PersistenceTable::insert(const PersistTemplate& t) {
  std::uint32_t slot;
  if (free_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(t);
  } else {
    slot = free_.back();
    free_.pop_back();
    slots_[slot] = t;
  }
  PersistTemplate& stored = slots_[slot];
  stored.slot = slot;
  stored.hashed = true;
  hashed_[key(stored)] = slot;
  return stored;
}

void PersistenceTable::unhash(PersistTemplate& t) {
  if (!t.hashed) return;
  hashed_.erase(key(t));
  t.hashed = false;
}

void PersistenceTable::erase(std::uint32_t slot) {
  PersistTemplate& t = slots_[slot];
  unhash(t);
  t.svc = nullptr;
  free_.push_back(slot);
}

}  // namespace lvs
