#pragma once
// A web root on the web server's own disk, kept up to date by rsync from a source host
// (storage/rsync.hpp; docs/storage-alternatives.md, "rsync"): reads need no network at all —
// the host's page cache, else one read of the whole file from the local disk. A write
// (an upload) is written to the local disk, the worker waiting for it, and lands on the
// source's master copy at that moment (a simplification: the upload's path to the source is
// not modelled); this server's copy changes, like every other's, at the next rsync run.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/simulation.hpp"
#include "storage/content.hpp"
#include "storage/disk.hpp"
#include "storage/mount.hpp"
#include "storage/page_cache.hpp"

namespace lvs::storage {

struct LocalMountConfig {
  std::string source = "localhost:/export";   ///< where the copy comes from, for messages: "nfs1:/opt/wwwroot"
  std::string mount_point = "/var/www/html";
  std::uint64_t page_cache_bytes = 512ULL << 20;
  DiskConfig disk;                            ///< the web server's local disk
};

/// Told of each write a web server's copy takes: the source's master copy changes.
class UploadSink {
 public:
  virtual ~UploadSink() = default;
  virtual void uploaded(std::uint32_t file) = 0;
};

class LocalMount : public Mount, private DiskClient {
 public:
  LocalMount(Simulation& sim, std::string name, LocalMountConfig config, const Catalogue& content);

  /// Where writes land (the rsync source); none: writes stay local.
  void set_upload_sink(UploadSink* sink) { sink_ = sink; }
  bool read(std::uint32_t file, NfsWaiter& waiter, std::uint64_t token) override;
  bool write(std::uint32_t file, NfsWaiter& waiter, std::uint64_t token) override;
  void power_off() override;
  void warm() override { warm_with_most_popular(cache_, content_); }
  void on_kernel_message(std::function<void(Time, const std::string&)> sink) override { message_ = std::move(sink); }
  const PageCache& page_cache() const override { return cache_; }
  const NfsMountStats& stats() const override { return stats_; }
  std::string source() const override { return config_.source; }
  const std::string& mount_point() const override { return config_.mount_point; }

  /// rsync replaced `file` with the source's version: written through the page cache (it is
  /// cached now) and, behind it, to the local disk.
  void receive(std::uint32_t file);
  const Disk& disk() const { return disk_; }

 private:
  struct Waiting {
    NfsWaiter* waiter = nullptr;
    std::uint64_t token = 0;
    std::uint32_t file = 0;
    bool write = false;
  };
  std::uint32_t wait(const Waiting& w);
  void on_disk_done(std::uint64_t token) override;

  std::string name_;
  LocalMountConfig config_;
  const Catalogue& content_;
  PageCache cache_;
  Disk disk_;
  NfsMountStats stats_;
  UploadSink* sink_ = nullptr;
  std::function<void(Time, const std::string&)> message_;
  std::uint32_t life_ = 0;
  std::vector<Waiting> waiting_;
  std::vector<std::uint32_t> free_;
};

}  // namespace lvs::storage
