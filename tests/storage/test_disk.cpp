#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/simulation.hpp"
#include "storage/disk.hpp"
#include "support/allocation_counter.hpp"

using namespace lvs;
using namespace lvs::storage;

namespace {

struct Recorder : DiskClient {
  Simulation& sim;
  std::vector<std::pair<Time, std::uint64_t>> done;
  explicit Recorder(Simulation& s) : sim(s) {}
  void on_disk_done(std::uint64_t token) override { done.push_back({sim.now(), token}); }
};

// 1000 I/Os per second (1 ms each), 100 MB/s, 0.5 ms after the device is done.
DiskConfig test_disk() {
  DiskConfig d;
  d.iops = 1000;
  d.bandwidth = 100e6;
  d.latency = Distribution::constant(0.0005);
  return d;
}

}  // namespace

TEST_CASE("disk: an I/O on an idle disk completes 1/iops + bytes/bandwidth + latency after it is queued", "[disk]") {
  Simulation sim;
  Recorder r(sim);
  Disk disk(sim, test_disk(), sim.rng("disk"));
  sim.schedule_at(Time::ms(3), [&] { disk.read(1'000'000, r, 42); });
  sim.run();
  // 1 ms positioning + 1e6 B / 1e8 B/s = 10 ms transfer + 0.5 ms latency.
  REQUIRE(r.done.size() == 1);
  CHECK(r.done[0].first == Time::ms(3) + Time::us(11'500));
  CHECK(r.done[0].second == 42);
  CHECK(disk.stats().reads == 1);
  CHECK(disk.stats().read_bytes == 1'000'000);
  // The device was held 11 ms; the latency does not hold it.
  CHECK(disk.busy_seconds() == Approx(0.011).epsilon(1e-12));
}

TEST_CASE("disk: I/Os queue first come first served - the next starts when the device is free, not at completion",
          "[disk]") {
  Simulation sim;
  Recorder r(sim);
  Disk disk(sim, test_disk(), sim.rng("disk"));
  disk.write(1'000'000, r, 1);  // holds [0, 11 ms), done at 11.5 ms
  disk.read(100'000, r, 2);     // holds [11, 13 ms), done at 13.5 ms
  CHECK(disk.queued() == 2);
  sim.run_until(Time::ms(12));
  CHECK(disk.queued() == 1);
  sim.run();
  REQUIRE(r.done.size() == 2);
  CHECK(r.done[0] == std::pair{Time::us(11'500), std::uint64_t{1}});
  CHECK(r.done[1] == std::pair{Time::us(13'500), std::uint64_t{2}});
  CHECK(disk.queued() == 0);
  CHECK(sim.now() == Time::us(13'500));
  CHECK(disk.busy_seconds() == Approx(0.013).epsilon(1e-12));
  CHECK(disk.stats().writes == 1);
  CHECK(disk.stats().written_bytes == 1'000'000);
}

TEST_CASE("disk: power_off forgets queued and running I/Os without a callback", "[disk]") {
  Simulation sim;
  Recorder r(sim);
  Disk disk(sim, test_disk(), sim.rng("disk"));
  disk.read(1'000'000, r, 1);
  disk.read(1'000'000, r, 2);
  sim.run_until(Time::ms(5));
  disk.power_off();
  CHECK(disk.queued() == 0);
  sim.run();
  CHECK(r.done.empty());
  CHECK(disk.busy_seconds() == Approx(0.005).epsilon(1e-12));
  // After the reboot the device works again, from idle.
  const Time reboot = sim.now();
  disk.read(0, r, 3);
  sim.run();
  REQUIRE(r.done.size() == 1);
  CHECK(r.done[0] == std::pair{reboot + Time::us(1'500), std::uint64_t{3}});

  SECTION("an I/O past its device time, in its latency, is forgotten too") {
    disk.read(0, r, 4);                 // device free after 1 ms, done 0.5 ms later
    sim.run_until(sim.now() + Time::us(1'200));
    CHECK(disk.queued() == 0);
    disk.power_off();
    sim.run();
    CHECK(r.done.size() == 1);
  }
}

TEST_CASE("disk: latency is drawn per I/O from its distribution", "[disk]") {
  Simulation sim;
  Recorder r(sim);
  DiskConfig c;
  c.iops = 1e15;  // the device holds nothing: only the latency counts
  c.bandwidth = 1e18;
  c.latency = Distribution::exponential(0.002);
  Disk disk(sim, c, sim.rng("disk"));
  const int n = 20'000;
  for (int i = 0; i < n; ++i) disk.read(4096, r, i);
  sim.run();
  REQUIRE(r.done.size() == n);
  double sum = 0;
  for (const auto& d : r.done) sum += d.first.seconds();
  // n Exp(2 ms) draws: the mean's standard error is 2 ms / sqrt(n) = 14 us; 4 of them.
  CHECK(std::fabs(sum / n - 0.002) < 4 * 0.002 / std::sqrt(double(n)));
  CHECK(disk.busy_seconds() == 0);
}

TEST_CASE("disk: no allocation per I/O once the queue has grown", "[disk]") {
  Simulation sim;
  Recorder r(sim);
  r.done.reserve(4000);
  Disk disk(sim, test_disk(), sim.rng("disk"));
  for (int i = 0; i < 1000; ++i) disk.read(4096, r, i);
  sim.run();
  const long before = test::allocations();
  for (int i = 0; i < 1000; ++i) disk.write(4096, r, i);
  sim.run();
  // The event queue's time buckets may still grow a few times as the clock moves on.
  if (test::counting_allocations()) CHECK(test::allocations() - before < 20);
  CHECK(r.done.size() == 2000);
}

TEST_CASE("disk: the named profiles and their arithmetic", "[disk]") {
  CHECK(disk_profile_names() == std::vector<std::string>{"hdd-7200", "ssd-sata", "nvme"});
  CHECK_FALSE(disk_profile("floppy"));

  const DiskConfig hdd = *disk_profile("hdd-7200");
  // 7.4 ms average read seek + 60 / 7200 / 2 = 4.17 ms average rotational latency.
  CHECK(1.0 / hdd.iops == Approx(0.0074 + 0.0041667).epsilon(1e-4));
  CHECK(hdd.bandwidth == 200e6);
  CHECK(hdd.latency.mean() == 0);

  // A lone 4 KB read takes 1 / (QD1 IOPS): 100 us on the SATA SSD, 52.6 us on NVMe.
  for (const auto& [name, qd1] : {std::pair{"ssd-sata", 10'000.0}, std::pair{"nvme", 19'000.0}}) {
    const DiskConfig d = *disk_profile(name);
    CHECK(1.0 / d.iops + 4096 / d.bandwidth + d.latency.mean() == Approx(1.0 / qd1).epsilon(1e-9));
    CHECK(d.latency.mean() > 0);
  }
  CHECK(disk_profile("ssd-sata")->bandwidth <= 600e6);  // SATA 6 Gb/s after 8b/10b coding
  CHECK(disk_profile("nvme")->bandwidth <= 4 * 8e9 * 128 / 130 / 8);  // PCIe 3.0 x4
}
