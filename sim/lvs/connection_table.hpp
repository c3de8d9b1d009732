#pragma once
// The IPVS connection table (ip_vs_conn_tab): looked up "in" by the client side
// <proto, caddr, cport, vaddr, vport> and "out" by the real-server side
// <proto, daddr, dport, caddr, cport> (FULLNAT: laddr, lport in place of the client).

#include <cstdint>
#include <memory>
#include <vector>

#include "core/event_queue.hpp"
#include "lvs/conn_index.hpp"
#include "lvs/conn_state.hpp"
#include "lvs/virtual_service.hpp"

namespace lvs {

struct Connection {
  IpProto proto = IpProto::Tcp;
  ConnState state = ConnState::None;
  ForwardingMethod method = ForwardingMethod::DirectRouting;
  bool counted_active = false;  ///< !IP_VS_CONN_F_INACTIVE: counted in activeconns
  bool no_output = false;       ///< IP_VS_CONN_F_NOOUTPUT: DR/TUN, no reply seen yet
  Flavour flavour = Flavour::Mainline;  ///< whose timeouts and rules: FULLNAT's Alibaba or DPVS
  Ipv4Address caddr, vaddr, daddr, laddr;
  std::uint16_t cport = 0, vport = 0, dport = 0, lport = 0;
  VirtualService* svc = nullptr;
  DestId dest = 0;
  std::uint32_t fdata_seq = 0;  ///< FULLNAT: the real server's SYN-ACK seq + 1 (TOA goes on segments acking it)
  Time expires;                 ///< the connection dies at this time unless a packet renews it
  Time timer_at;                ///< when its expiry timer is due (<= expires, re-armed lazily)
  EventId timer;
  std::uint64_t generation = 0; ///< tells a reused slot from the connection a timer was armed for
  std::uint32_t slot = 0;       ///< its own index in the table
  static constexpr std::uint32_t kNoTemplate = 0xffffffffU;
  std::uint32_t tmpl = kNoTemplate;   ///< the persistence template controlling it (its slot)
  std::uint64_t tmpl_generation = 0;
  std::uint32_t in_pkts = 0;    ///< inbound packets seen (cp->in_pkts), for the sync threshold
  ConnState old_state = ConnState::None;  ///< the state last synced (cp->old_state)
  bool synced = false;          ///< IP_VS_CONN_F_SYNC: made or updated by the sync daemon (a backup's)
};

class ConnectionTable {
 public:
  /// A connection's hash key: <proto, a, a's port, b, b's port> in 104 bits.
  __extension__ using Key = unsigned __int128;
  /// Hashes a Key for the lookup tables.
  struct KeyHash {
    std::size_t operator()(Key k) const;
  };
  /// The key of <proto, a:ap, b:bp> (a persistence template is <proto, caddr, 0, vaddr, vport>).
  static Key key(IpProto proto, Ipv4Address a, std::uint16_t ap, Ipv4Address b, std::uint16_t bp);

  /// Starts loading what find_in will read first for this key.
  void prefetch_in(IpProto proto, Ipv4Address caddr, std::uint16_t cport, Ipv4Address vaddr, std::uint16_t vport) const {
    in_.prefetch(KeyHash{}(key(proto, caddr, cport, vaddr, vport)));
  }
  /// The connection a client-side packet belongs to, or nullptr.
  Connection* find_in(IpProto proto, Ipv4Address caddr, std::uint16_t cport, Ipv4Address vaddr, std::uint16_t vport);
  /// The connection a real-server-side packet belongs to, or nullptr.
  Connection* find_out(IpProto proto, Ipv4Address daddr, std::uint16_t dport, Ipv4Address peer, std::uint16_t peer_port);
  /// Adds a connection and returns it (hashed both ways).
  Connection& insert(const Connection& c);
  /// Removes the connection in `slot`.
  void erase(std::uint32_t slot);
  Connection& at(std::uint32_t slot) { return chunks_[slot >> kChunkShift][slot & kChunkMask]; }
  const Connection& at(std::uint32_t slot) const { return chunks_[slot >> kChunkShift][slot & kChunkMask]; }
  /// Connections currently in the table (reachable by their client-side key).
  std::size_t size() const { return in_.size(); }
  /// Calls f(const Connection&) for every live connection, in slot order.
  template <class F>
  void for_each(F&& f) const {
    for (std::uint32_t slot = 0; slot < used_; ++slot)
      if (const Connection& c = at(slot); c.svc != nullptr) f(c);
  }

 private:
  static Key in_key(const Connection& c);
  static Key out_key(const Connection& c);
  /// The slot `index` maps `k` to (reading keys back with KeyOf), or ConnIndex::kAbsent.
  template <Key (*KeyOf)(const Connection&)>
  std::uint32_t lookup(const ConnIndex& index, Key k) const;
  /// Maps `k` to `slot` unless `k` is mapped already (the first connection keeps it, as
  /// std::unordered_map::emplace did).
  template <Key (*KeyOf)(const Connection&)>
  void link(ConnIndex& index, Key k, std::uint32_t slot);
  /// Unmaps `k`, whichever connection it names.
  template <Key (*KeyOf)(const Connection&)>
  void unlink(ConnIndex& index, Key k);

  // The connections, by slot, in chunks of kChunk that never move (a growing vector would
  // copy them all and keep up to half its capacity unused). Slots are numbered and reused
  // as SlotTable numbers them: a new slot when none is free, else the last one freed.
  static constexpr std::uint32_t kChunkShift = 10;
  static constexpr std::uint32_t kChunk = 1U << kChunkShift;  // 1024 connections, 112 KiB
  static constexpr std::uint32_t kChunkMask = kChunk - 1;
  std::vector<std::unique_ptr<Connection[]>> chunks_;
  std::uint32_t used_ = 0;              // slots handed out so far, live or free
  std::vector<std::uint32_t> free_;     // freed slots, reused last first
  // Flat open-addressing indexes (lvs/conn_index.hpp): lookups only, never iterated, so the
  // order of their slots is not observable; for_each walks the slots in slot order.
  ConnIndex in_;
  ConnIndex out_;
};

}  // namespace lvs
