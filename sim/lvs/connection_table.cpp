#include "lvs/connection_table.hpp"

#include "core/rng.hpp"

namespace lvs {

std::size_t ConnectionTable::KeyHash::operator()(Key k) const {
  return splitmix64_mix(static_cast<std::uint64_t>(k) ^ splitmix64_mix(static_cast<std::uint64_t>(k >> 64)));
}

ConnectionTable::Key ConnectionTable::key(IpProto proto, Ipv4Address a, std::uint16_t ap, Ipv4Address b,
                                          std::uint16_t bp) {
  return Key{static_cast<std::uint8_t>(proto)} << 96 | Key{a.value()} << 64 | Key{ap} << 48 | Key{b.value()} << 16 | bp;
}

ConnectionTable::Key ConnectionTable::in_key(const Connection& c) {
  return key(c.proto, c.caddr, c.cport, c.vaddr, c.vport);
}

ConnectionTable::Key ConnectionTable::out_key(const Connection& c) {
  if (c.method == ForwardingMethod::FullNat) return key(c.proto, c.daddr, c.dport, c.laddr, c.lport);
  return key(c.proto, c.daddr, c.dport, c.caddr, c.cport);
}

// The index keeps no keys: a candidate's key is read back from its connection, which is
// live and whose address fields are those it was linked with (they are set before insert
// and never change; an entry is unlinked by its key when its connection is erased).
template <ConnectionTable::Key (*KeyOf)(const Connection&)>
std::uint32_t ConnectionTable::lookup(const ConnIndex& index, Key k) const {
  return index.find(KeyHash{}(k), [&](std::uint32_t slot) { return KeyOf(at(slot)) == k; });
}

template <ConnectionTable::Key (*KeyOf)(const Connection&)>
void ConnectionTable::link(ConnIndex& index, Key k, std::uint32_t slot) {
  if (lookup<KeyOf>(index, k) == ConnIndex::kAbsent) index.insert(KeyHash{}(k), slot);
}

template <ConnectionTable::Key (*KeyOf)(const Connection&)>
void ConnectionTable::unlink(ConnIndex& index, Key k) {
  index.erase(KeyHash{}(k), [&](std::uint32_t slot) { return KeyOf(at(slot)) == k; });
}

Connection* ConnectionTable::find_in(IpProto proto, Ipv4Address caddr, std::uint16_t cport, Ipv4Address vaddr,
                                     std::uint16_t vport) {
  const std::uint32_t slot = lookup<in_key>(in_, key(proto, caddr, cport, vaddr, vport));
  return slot == ConnIndex::kAbsent ? nullptr : &at(slot);
}

Connection* ConnectionTable::find_out(IpProto proto, Ipv4Address daddr, std::uint16_t dport, Ipv4Address peer,
                                      std::uint16_t peer_port) {
  const std::uint32_t slot = lookup<out_key>(out_, key(proto, daddr, dport, peer, peer_port));
  return slot == ConnIndex::kAbsent ? nullptr : &at(slot);
}

Connection& ConnectionTable::insert(const Connection& c) {
  std::uint32_t slot;
  if (free_.empty()) {
    slot = used_++;
    if ((slot & kChunkMask) == 0) chunks_.push_back(std::make_unique<Connection[]>(kChunk));
  } else {
    slot = free_.back();
    free_.pop_back();
  }
  Connection& conn = at(slot);
  conn = c;
  conn.slot = slot;
  link<in_key>(in_, in_key(c), slot);
  link<out_key>(out_, out_key(c), slot);
  return conn;
}

void ConnectionTable::erase(std::uint32_t slot) {
  Connection& c = at(slot);
  unlink<in_key>(in_, in_key(c));
  unlink<out_key>(out_, out_key(c));
  c.svc = nullptr;
  free_.push_back(slot);
}

}  // namespace lvs
