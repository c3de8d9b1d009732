#pragma once
// FULLNAT local addresses: each (local address, real server) pair has ports 1024..65535,
// 64 512 of them, so a pool of L addresses carries at most 64 512 x L concurrent
// connections to one real server; beyond that new connections are refused.

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/address.hpp"

namespace lvs {

class FullNatPool {
 public:
  static constexpr std::uint16_t kFirstPort = 1024;
  static constexpr std::uint32_t kPortsPerServer = 65536 - kFirstPort;  ///< 64 512

  void add(Ipv4Address laddr) { laddrs_.push_back(laddr); }
  bool owns(Ipv4Address a) const;
  bool empty() const { return laddrs_.empty(); }
  /// A free (local address, port) towards server:port, or nothing when all are taken.
  std::optional<std::pair<Ipv4Address, std::uint16_t>> allocate(Ipv4Address server, std::uint16_t server_port);
  /// Returns a port.
  void release(Ipv4Address laddr, std::uint16_t lport, Ipv4Address server, std::uint16_t server_port);
  /// Ports in use over all pairs.
  std::uint64_t in_use() const { return in_use_; }
  const std::vector<Ipv4Address>& addresses() const { return laddrs_; }

 private:
  struct Ports {
    std::vector<bool> used = std::vector<bool>(kPortsPerServer, false);
    std::uint32_t next = 0;   // where the search for a free port starts
    std::uint32_t count = 0;
  };
  static std::uint64_t pair_key(Ipv4Address laddr, Ipv4Address server, std::uint16_t port) {
    return std::uint64_t{laddr.value()} << 32 ^ std::uint64_t{server.value()} << 16 ^ port;
  }

  std::vector<Ipv4Address> laddrs_;
  std::unordered_map<std::uint64_t, Ports> ports_;  // lookups only
  std::size_t next_laddr_ = 0;
  std::uint64_t in_use_ = 0;
};

}  // namespace lvs
