#include "storage/disk.hpp"

#include <algorithm>
#include <cmath>

namespace lvs::storage {

namespace {

// Seconds -> Time for a drawn duration: a negative draw (a normal's tail) counts as 0.
Time duration_of(double seconds) { return Time::from_seconds(std::max(seconds, 0.0)); }

struct NamedDisk {
  std::string_view name;
  DiskConfig config;
};

// The figures and their sources: docs/nfs-server.md, "Disk profiles".
//
// hdd-7200: a 7200 rpm SATA drive (WD Ultrastar DC HC310 OEM specification, rev 1.4:
// average read seek 7.4 ms, average rotational latency 4.16 ms = 60 s / 7200 / 2), so a
// random I/O positions in 7.4 + 4.17 = 11.57 ms: 86 I/Os per second. Sustained transfer
// 200 MB/s (mid-platter, UNVERIFIED). No latency beyond the positioning.
DiskConfig hdd_7200() {
  DiskConfig d;
  d.iops = 1.0 / (7.4e-3 + 60.0 / 7200.0 / 2.0);
  d.bandwidth = 200e6;
  d.latency = Distribution::constant(0);
  return d;
}

// ssd-sata: a SATA TLC SSD (Samsung 850 EVO 1 TB product sheet: sequential read 540 MB/s,
// within SATA 6 Gb/s = 600 MB/s after 8b/10b coding; 4 KB random read 10 000 IOPS at queue
// depth 1; 98 000 IOPS at queue depth 32, UNVERIFIED). The device's rate is the deep-queue
// one; a lone 4 KB read takes 1/10 000 s = 100 us, so the flash latency is what is left of it
// after the command and transfer times: 100 - 10.2 - 7.6 = 82 us.
DiskConfig ssd_sata() {
  DiskConfig d;
  d.iops = 98'000;
  d.bandwidth = 540e6;
  d.latency = Distribution::constant(1.0 / 10'000 - 1.0 / 98'000 - 4096.0 / 540e6);
  return d;
}

// nvme: a PCIe 3.0 x4 NVMe SSD (Samsung 970 EVO Plus 1 TB: sequential read 3 500 MB/s,
// within 4 lanes x 8 GT/s x 128/130 = 3.94 GB/s; 4 KB random read 600 000 IOPS deep-queued,
// 19 000 IOPS at queue depth 1 — all three UNVERIFIED). Latency as for ssd-sata:
// 52.6 - 1.7 - 1.2 = 49.8 us.
DiskConfig nvme() {
  DiskConfig d;
  d.iops = 600'000;
  d.bandwidth = 3.5e9;
  d.latency = Distribution::constant(1.0 / 19'000 - 1.0 / 600'000 - 4096.0 / 3.5e9);
  return d;
}

const std::vector<NamedDisk>& profiles() {
  static const std::vector<NamedDisk> all{{"hdd-7200", hdd_7200()}, {"ssd-sata", ssd_sata()}, {"nvme", nvme()}};
  return all;
}

}  // namespace

std::optional<DiskConfig> disk_profile(std::string_view name) {
  for (const NamedDisk& d : profiles())
    if (d.name == name) return d.config;
  return std::nullopt;
}

std::vector<std::string> disk_profile_names() {
  std::vector<std::string> names;
  for (const NamedDisk& d : profiles()) names.emplace_back(d.name);
  return names;
}

Disk::Disk(Simulation& sim, DiskConfig config, Rng& latency_rng)
    : sim_(sim), config_(std::move(config)), latency_rng_(latency_rng), busy_time_(sim.now()) {}

void Disk::read(std::uint64_t bytes, DiskClient& client, std::uint64_t token) {
  ++stats_.reads;
  stats_.read_bytes += bytes;
  submit(Io{bytes, &client, token});
}

void Disk::write(std::uint64_t bytes, DiskClient& client, std::uint64_t token) {
  ++stats_.writes;
  stats_.written_bytes += bytes;
  submit(Io{bytes, &client, token});
}

void Disk::submit(const Io& io) {
  queue_.push(io);
  if (!busy_) start_next();
}

std::size_t Disk::queued() const { return queue_.size() + (busy_ ? 1 : 0); }

double Disk::busy_seconds() const { return busy_time_.integral(sim_.now()); }

// The device takes the oldest I/O and holds it for 1/iops + bytes/bandwidth.
void Disk::start_next() {
  if (queue_.empty()) {
    busy_ = false;
    busy_time_.set(sim_.now(), 0);
    return;
  }
  const Io io = queue_.pop();
  busy_ = true;
  busy_time_.set(sim_.now(), 1);
  const Time hold = duration_of(1.0 / config_.iops + static_cast<double>(io.bytes) / config_.bandwidth);
  sim_.schedule_in(hold, [this, io, epoch = epoch_] { release(io, epoch); });
}

// The device is free for the next I/O; this one completes `latency` later.
void Disk::release(Io io, std::uint32_t epoch) {
  if (epoch != epoch_) return;
  const Time latency = duration_of(config_.latency.sample(latency_rng_));
  sim_.schedule_in(latency, [this, io, epoch] { finish(io, epoch); });
  start_next();
}

void Disk::finish(Io io, std::uint32_t epoch) {
  if (epoch != epoch_) return;
  io.client->on_disk_done(io.token);
}

void Disk::power_off() {
  ++epoch_;
  while (!queue_.empty()) queue_.pop();
  busy_ = false;
  busy_time_.set(sim_.now(), 0);
}

}  // namespace lvs::storage
