#pragma once
// What a web server reads its content through: a mounted web root (an NFS mount today; the
// replicated alternatives of docs/storage.md later). The worker that serves a request calls
// read() or write() and, unless the answer is immediate, blocks until the waiter is told.

#include <cstdint>
#include <functional>
#include <string>

#include "core/time.hpp"
#include "storage/nfs_wire.hpp"
#include "storage/page_cache.hpp"

namespace lvs::storage {

/// The outcome of a blocked read or write.
enum class NfsResult : std::uint8_t {
  Ok,
  TimedOut,  ///< soft mount: a call reached its major timeout (EIO)
};

/// Told when a blocked read()/write() is done; `token` is what it was given.
class NfsWaiter {
 public:
  virtual ~NfsWaiter() = default;
  virtual void on_nfs_done(std::uint64_t token, NfsResult result) = 0;
};

/// A mount's counts (the RPC ones are zero for a mount that sends none).
struct NfsMountStats {
  NfsOpCounts calls{};             ///< calls sent, by procedure (first transmissions)
  std::uint64_t retransmits = 0;   ///< calls sent again (minor timeouts, reconnects)
  std::uint64_t major_timeouts = 0;
  std::uint64_t timed_out = 0;     ///< soft: requests failed (EIO)
  std::uint64_t blocked = 0;       ///< read()/write() that waited for RPCs
  std::uint64_t immediate = 0;     ///< read() served with no RPC
  std::uint64_t reconnects = 0;
};

class Mount {
 public:
  virtual ~Mount() = default;
  /// Opens and reads `file` whole: true if served now (no event follows); else
  /// waiter.on_nfs_done(token, ...) follows, never from within this call.
  virtual bool read(std::uint32_t file, NfsWaiter& waiter, std::uint64_t token) = 0;
  /// Opens `file`, writes it whole, closes it; on_nfs_done follows (or true: done now).
  virtual bool write(std::uint32_t file, NfsWaiter& waiter, std::uint64_t token) = 0;
  /// The host lost power: everything in flight and the page cache forgotten, no callback.
  virtual void power_off() = 0;
  /// Starts with the most popular files cached, as after a long run (before the first read).
  virtual void warm() = 0;
  /// Each kernel message with its time ("nfs: server 192.168.10.104 not responding, ...").
  virtual void on_kernel_message(std::function<void(Time, const std::string&)> sink) = 0;
  virtual const PageCache& page_cache() const = 0;
  virtual const NfsMountStats& stats() const = 0;
  /// What is mounted, as mount(8) names it: "192.168.10.104:/opt/wwwroot".
  virtual std::string source() const = 0;
  /// Where: "/var/www/html".
  virtual const std::string& mount_point() const = 0;
};

}  // namespace lvs::storage
