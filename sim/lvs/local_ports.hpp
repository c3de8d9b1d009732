#pragma once
// The FULLNAT local ports a director has handed out, kept the way each flavour keeps them
// (docs/fullnat.md):
// - Alibaba LVS has no port table of its own: ip_vs_hbind_laddr (ip_vs_conn.c) tries a port
//   by looking <proto, rip:rport, laddr:lport> up in the connection table. Here that lookup is
//   a bitmap per <proto, laddr, rip:rport>, 8 KiB, made on the pair's first connection.
// - DPVS (src/sa_pool.c) gives each local address 16 pools (SAPOOL_DEF_HASH_SZ), picked by
//   hashing the real server's rip:rport ((low 16 bits of rip + rport) % 16), each a free list
//   of ports 1025..65535 filled in ascending order; sa_fetch takes the head, sa_release puts a
//   port back at the tail. Here a pool is the next never-used port plus a FIFO of released
//   ones, which hands ports out in the same order and grows only with the ports released.
//   With W worker lcores DPVS splits each list by the port's low bits (one lcore's flows
//   draw from its own share); the model runs one worker, so one list per pool.

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/ring_queue.hpp"
#include "lvs/connection_table.hpp"
#include "net/address.hpp"
#include "net/packet.hpp"

namespace lvs {

/// Alibaba LVS's net.ipv4.vs.fullnat_lport_min, _max and _tries (ip_vs_ctl.c): the local
/// port range, and how many ports ip_vs_hbind_laddr tries before it gives up.
struct LportSysctl {
  static constexpr std::uint16_t kLowest = 1025;     ///< each bound's allowed range (ip_vs_port_min, _max)
  static constexpr std::uint16_t kHighest = 65535;
  static constexpr std::uint32_t kTriesLowest = 10;  ///< ip_vs_port_try_min, _max
  static constexpr std::uint32_t kTriesHighest = 60000;
  std::uint16_t min = 5000;
  std::uint16_t max = 65535;
  std::uint32_t tries = 10000;
  /// Ports in the range (lport_max - lport_min + 1): 60 536 by default.
  std::uint32_t range() const { return std::uint32_t{max} - min + 1; }
};

/// DPVS's local ports: fixed at 1025..65535 (sa_pool.c DEF_MIN_PORT, DEF_MAX_PORT), 64 511.
inline constexpr std::uint16_t kDpvsPortMin = 1025;
inline constexpr std::uint16_t kDpvsPortMax = 65535;
inline constexpr std::uint32_t kDpvsPorts = kDpvsPortMax - kDpvsPortMin + 1;
/// DPVS's pools per local address, hashed by the real server's address and port.
inline constexpr std::uint32_t kDpvsPoolHash = 16;

/// DPVS's pool for a real server: ((rip & 0xffff) + rport) % 16 (sa_pool.c sa_pool_hash).
std::uint32_t dpvs_pool_of(Ipv4Address rip, std::uint16_t rport);

class LocalPorts {
 public:
  /// Alibaba: the ports in use from one local address towards one rip:rport.
  class Bitmap {
   public:
    bool test(std::uint16_t port) const { return (words_[port >> 6] >> (port & 63) & 1) != 0; }
    void set(std::uint16_t port, bool used) {
      const std::uint64_t bit = std::uint64_t{1} << (port & 63);
      words_[port >> 6] = used ? words_[port >> 6] | bit : words_[port >> 6] & ~bit;
    }

   private:
    std::vector<std::uint64_t> words_ = std::vector<std::uint64_t>(65536 / 64);
  };
  /// Alibaba: the bitmap of <proto, laddr, rip:rport>.
  Bitmap& in_use(IpProto proto, Ipv4Address laddr, Ipv4Address rip, std::uint16_t rport);

  /// DPVS sa_fetch: the head of the free list of `laddr`'s pool for rip:rport, or nothing.
  std::optional<std::uint16_t> fetch(Ipv4Address laddr, Ipv4Address rip, std::uint16_t rport);
  /// DPVS sa_release: the port goes back to the tail of its pool's free list.
  void release(Ipv4Address laddr, std::uint16_t lport, Ipv4Address rip, std::uint16_t rport);

 private:
  struct SaPool {
    std::uint32_t fresh = kDpvsPortMin;  // the next port never handed out
    RingQueue<std::uint16_t> released;   // then these, oldest first
  };
  static std::uint64_t pool_key(Ipv4Address laddr, Ipv4Address rip, std::uint16_t rport) {
    return std::uint64_t{laddr.value()} << 8 | dpvs_pool_of(rip, rport);
  }

  std::unordered_map<ConnectionTable::Key, Bitmap, ConnectionTable::KeyHash> bitmaps_;  // lookups only
  std::unordered_map<std::uint64_t, SaPool> pools_;                                     // lookups only
};

}  // namespace lvs
