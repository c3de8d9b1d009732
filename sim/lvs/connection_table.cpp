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

ConnectionTable::Key ConnectionTable::out_key(const Connection& c) {
  if (c.method == ForwardingMethod::FullNat) return key(c.proto, c.daddr, c.dport, c.laddr, c.lport);
  return key(c.proto, c.daddr, c.dport, c.caddr, c.cport);
}

Connection* ConnectionTable::find_in(IpProto proto, Ipv4Address caddr, std::uint16_t cport, Ipv4Address vaddr,
                                     std::uint16_t vport) {
  const auto it = in_.find(key(proto, caddr, cport, vaddr, vport));
  return it == in_.end() ? nullptr : &slots_.at(it->second);
}

Connection* ConnectionTable::find_out(IpProto proto, Ipv4Address daddr, std::uint16_t dport, Ipv4Address peer,
                                      std::uint16_t peer_port) {
  const auto it = out_.find(key(proto, daddr, dport, peer, peer_port));
  return it == out_.end() ? nullptr : &slots_.at(it->second);
}

Connection& ConnectionTable::insert(const Connection& c) {
  Connection& conn = slots_.insert(c);
  in_.emplace(key(c.proto, c.caddr, c.cport, c.vaddr, c.vport), conn.slot);
  out_.emplace(out_key(c), conn.slot);
  return conn;
}

void ConnectionTable::erase(std::uint32_t slot) {
  Connection& c = slots_.at(slot);
  in_.erase(key(c.proto, c.caddr, c.cport, c.vaddr, c.vport));
  out_.erase(out_key(c));
  c.svc = nullptr;
  slots_.release(slot);
}

}  // namespace lvs
