#pragma once
// The NFS server's disk: one device serving I/Os first come, first served. An I/O of b bytes
// holds the device for 1/iops + b/bandwidth (its positioning or command time, then the
// transfer), and completes `latency` after that (a device's fixed delay beyond its
// throughput, as an SSD's flash read; 0 for a spinning disk, whose positioning is 1/iops).
// So the device does at most `iops` small I/Os and `bandwidth` bytes per second, and an I/O
// on an idle device takes 1/iops + b/bandwidth + latency. Named profiles with their sources:
// disk_profile(), docs/nfs-server.md.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/distribution.hpp"
#include "core/ring_queue.hpp"
#include "core/simulation.hpp"
#include "metrics/summary.hpp"

namespace lvs::storage {

struct DiskConfig {
  double iops = 150;                                  ///< small I/Os per second the device does one after another
  double bandwidth = 150e6;                           ///< bytes per second
  Distribution latency = Distribution::constant(0);   ///< seconds after the device is done
};

/// A named disk ("hdd-7200", "ssd-sata", "nvme"), or nullopt.
std::optional<DiskConfig> disk_profile(std::string_view name);
/// The profile names, for errors and `lvslab profiles`.
std::vector<std::string> disk_profile_names();

struct DiskStats {
  std::uint64_t reads = 0, writes = 0;
  std::uint64_t read_bytes = 0, written_bytes = 0;
};

/// Told when an I/O completes; `token` is what submit() was given.
class DiskClient {
 public:
  virtual ~DiskClient() = default;
  virtual void on_disk_done(std::uint64_t token) = 0;
};

class Disk {
 public:
  Disk(Simulation& sim, DiskConfig config, Rng& latency_rng);

  /// Queues an I/O of `bytes`; client.on_disk_done(token) when it completes. Allocates
  /// nothing once the queue has grown.
  void read(std::uint64_t bytes, DiskClient& client, std::uint64_t token);
  void write(std::uint64_t bytes, DiskClient& client, std::uint64_t token);
  /// The host lost power: queued and running I/Os are forgotten (no callback).
  void power_off();

  const DiskConfig& config() const { return config_; }
  const DiskStats& stats() const { return stats_; }
  /// I/Os queued or on the device now.
  std::size_t queued() const;
  /// Seconds the device was busy (held by an I/O) up to now: its utilisation's numerator.
  double busy_seconds() const;

 private:
  // (the implementation's)
  struct Io {
    std::uint64_t bytes = 0;
    DiskClient* client = nullptr;
    std::uint64_t token = 0;
  };
  void submit(const Io& io);
  void start_next();
  void release(Io io, std::uint32_t epoch);
  void finish(Io io, std::uint32_t epoch);

  Simulation& sim_;
  DiskConfig config_;
  Rng& latency_rng_;
  RingQueue<Io> queue_;
  bool busy_ = false;
  std::uint32_t epoch_ = 0;  // bumped by power_off: events of the old life do nothing
  TimeWeighted busy_time_;
  DiskStats stats_;
};

}  // namespace lvs::storage
