#pragma once
// Persistence templates (ipvsadm -p TIMEOUT -M NETMASK; ipvs-semantics.md §5;
// ip_vs_core.c ip_vs_sched_persist, ip_vs_conn.c ip_vs_check_template).
//
// A template <proto, caddr & netmask, cport 0, vaddr, vport> remembers which destination a
// client (or client network) was given. While it is valid every new connection of that
// client goes to the same destination, whatever its weight or overload flag; the scheduler
// is consulted only to make a new template. Each new connection re-arms the template to
// now + timeout; when its timer fires while connections it controls are still alive it is
// re-armed for 60 s. A template whose destination was removed (or quiesced, with
// expire_quiescent_template) is unhashed, so the next connection makes a new one, and dies
// on its own timer.

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/event_queue.hpp"
#include "lvs/connection_table.hpp"
#include "core/slot_table.hpp"
#include "lvs/virtual_service.hpp"

namespace lvs {

/// IPPROTO_IP (0): the protocol of a fwmark service's templates, which hold the mark as vaddr.
inline constexpr IpProto kTemplateProtoIp = static_cast<IpProto>(0);

/// One persistence template (a connection entry with cport 0 in the kernel).
struct PersistTemplate {
  IpProto proto = IpProto::Tcp;
  Ipv4Address caddr;              ///< the client address & netmask
  Ipv4Address vaddr;
  std::uint16_t vport = 0;
  VirtualService* svc = nullptr;  ///< nullptr: the slot is free
  DestId dest = 0;
  std::uint32_t controlled = 0;   ///< n_control: live connections made under this template
  bool hashed = true;             ///< false once invalidated: no longer found by lookups
  Time expires;                   ///< now + timeout at the last new connection
  Time timer_at;
  EventId timer;
  std::uint64_t generation = 0;
  std::uint32_t slot = 0;
};

/// The director's templates, looked up by client network and service.
class PersistenceTable {
 public:
  /// The hashed template for this client network and service, or nullptr.
  PersistTemplate* find(IpProto proto, Ipv4Address caddr, Ipv4Address vaddr, std::uint16_t vport);
  /// Adds a template and returns it.
  PersistTemplate& insert(const PersistTemplate& t);
  /// Takes `t` out of lookups (ip_vs_check_template's rehash to an unusable key).
  void unhash(PersistTemplate& t);
  /// Frees the template in `slot` (unhashing it first if needed).
  void erase(std::uint32_t slot);
  PersistTemplate& at(std::uint32_t slot) { return slots_.at(slot); }
  /// Templates alive (hashed or not).
  std::size_t size() const { return slots_.live(); }
  /// Calls f(const PersistTemplate&) for every live template, in slot order.
  template <class F>
  void for_each(F&& f) const {
    for (const PersistTemplate& t : slots_.entries())
      if (t.svc != nullptr) f(t);
  }

 private:
  static ConnectionTable::Key key(const PersistTemplate& t);

  SlotTable<PersistTemplate> slots_;
  std::unordered_map<ConnectionTable::Key, std::uint32_t, ConnectionTable::KeyHash> hashed_;  // lookups only; never iterated
};

}  // namespace lvs
