#pragma once
// A FULLNAT service's local addresses (ipvsadm --add-laddr) and how a new connection gets
// its (laddr, lport), as each flavour ships it (docs/fullnat.md):
// - Alibaba (ip_vs_conn.c ip_vs_get_laddr, ip_vs_hbind_laddr): the next local address in
//   turn; then port = lport_min + (++counter % range), the counter one per local address
//   and bumped on every try, up to lport_tries tries; a port is free when no connection
//   holds it towards the same rip:rport. After the tries the connection fails, even if
//   other ports (or other local addresses) are free. First port: lport_min + 1 (5001).
// - DPVS (ip_vs_laddr.c __get_laddr, dp_vs_laddr_bind): the next local address in turn,
//   skipping one more in 5% of the picks when the service's scheduler is rr or wrr (so that
//   the two round robins do not run in lock-step); the port is the head of that address's
//   free list for the real server (LocalPorts); an empty list moves on to the next local
//   address, up to 16 of them (dp_vs_laddr_max_trails). First port: 1025.

#include <cstdint>
#include <optional>
#include <vector>

#include "core/rng.hpp"
#include "lvs/conn_state.hpp"
#include "lvs/local_ports.hpp"
#include "lvs/virtual_service.hpp"

namespace lvs {

class FullNatPool {
 public:
  /// A local address and port for one connection.
  struct Local {
    Ipv4Address addr;
    std::uint16_t port = 0;
  };

  /// The pool of `svc`, which runs `flavour` (Alibaba or DPVS); `ports` and `sysctl` are the
  /// director's; `rng` draws DPVS's 5% skips.
  FullNatPool(const VirtualService& svc, Flavour flavour, LocalPorts& ports, const LportSysctl& sysctl, Rng& rng);

  /// ipvsadm --add-laddr, at the tail of the list; false for an address already there
  /// (both refuse it: EEXIST).
  bool add(Ipv4Address laddr);
  /// A local address and port towards rip:rport, or nothing when the flavour finds none.
  std::optional<Local> allocate(IpProto proto, Ipv4Address rip, std::uint16_t rport);
  /// The connection holding it expired.
  void release(IpProto proto, Local local, Ipv4Address rip, std::uint16_t rport);

  const VirtualService& service() const { return svc_; }
  Flavour flavour() const { return flavour_; }
  const std::vector<Ipv4Address>& addresses() const { return laddrs_; }
  bool owns(Ipv4Address a) const;
  /// The local ports the flavour hands out: [lport_min, lport_max] or DPVS's 1025..65535.
  std::uint16_t port_min() const;
  std::uint16_t port_max() const;
  /// Ports held by this service's connections now, and the most at any time.
  std::uint64_t in_use() const { return in_use_; }
  std::uint64_t peak() const { return peak_; }
  /// New connections that found no local port.
  std::uint64_t refused() const { return refused_; }

 private:
  std::size_t next_laddr();
  std::optional<std::uint16_t> alibaba_port(std::size_t laddr, IpProto proto, Ipv4Address rip, std::uint16_t rport);
  std::optional<Local> dpvs_allocate(Ipv4Address rip, std::uint16_t rport);

  const VirtualService& svc_;
  Flavour flavour_;
  LocalPorts& ports_;
  const LportSysctl& sysctl_;
  Rng& rng_;
  std::vector<Ipv4Address> laddrs_;     // list order
  std::vector<std::uint64_t> counters_; // Alibaba: ip_vs_laddr.port, per local address
  std::size_t current_ = SIZE_MAX;      // svc->curr_laddr: SIZE_MAX is the list head
  std::uint64_t in_use_ = 0;
  std::uint64_t peak_ = 0;
  std::uint64_t refused_ = 0;
};

}  // namespace lvs
