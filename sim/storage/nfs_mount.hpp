#pragma once
// A Linux NFSv3 client mount on a real server: the web root (`/var/www/html`) mounted from
// the NFS server's export over one TCP connection to port 2049 (nconnect=1), with the
// host's page cache in front of it. docs/nfs.md has the rules and their sources.
//
// Serving a file (read):
// - open(): with close-to-open (`cto`, the default) the file's attributes are revalidated with
//   a GETATTR on every open, whatever the attribute cache says; with `nocto` only when the
//   cached attributes are older than the attribute timeout (acregmin, doubled each time a
//   revalidation finds the file unchanged, up to acregmax; reset to acregmin when it
//   changed; `noac` or actimeo=0: always). The first open of a file also LOOKUPs its name.
// - A changed change attribute drops the file from the page cache. Then the data: from the
//   page cache (nothing on the network), else READs of rsize bytes each, all sent at once.
// - Writing a file (an upload): WRITEs of wsize bytes, then COMMIT at close (close-to-open
//   flushes on close), then the file is in the page cache at its new change attribute.
// A request whose file is cached with valid attributes costs no RPC and no event: read()
// and write() return true at once. Otherwise the caller's worker blocks until
// NfsWaiter::on_nfs_done.
//
// RPC timeouts (net/sunrpc, TCP): a call not answered within `timeo` (60 s) is retransmitted
// and the next wait is timeo longer (linear, at most 600 s); at the major timeout,
// timeo x (1 + retrans) after it was first sent (180 s by default), a `soft` mount fails the
// call (the request fails: nfs timeout) and logs "nfs: server X not responding, timed out";
// a `hard` mount logs "nfs: server X not responding, still trying" and keeps trying, the
// worker blocked; the first reply after that logs "nfs: server X OK". A broken connection
// is re-established and every outstanding call sent again on the new one.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "net/address.hpp"
#include "storage/content.hpp"
#include "storage/mount.hpp"
#include "storage/nfs_wire.hpp"
#include "storage/page_cache.hpp"
#include "transport/end_host.hpp"

namespace lvs::storage {

/// What `mount -t nfs -o OPTIONS` sets, Linux's defaults (nfs(5)).
struct NfsMountOptions {
  bool hard = true;                         ///< hard (default) or soft
  Time timeo = Time::s(60);                 ///< timeo=600 (deciseconds) over TCP
  std::uint32_t retrans = 2;                ///< retrans=2 over TCP
  std::uint32_t rsize = 1U << 20;           ///< asked for; negotiated down to the server's max_io
  std::uint32_t wsize = 1U << 20;
  Time acregmin = Time::s(3), acregmax = Time::s(60);
  Time acdirmin = Time::s(30), acdirmax = Time::s(60);
  bool cto = true;                          ///< close-to-open (default); nocto
  bool noac = false;                        ///< no attribute cache (and synchronous writes)
};

/// An error in an options string: the option as written and what was expected.
struct MountOptionError {
  std::string option;
  std::string expected;
};

/// Parses `mount -o` options for NFS over TCP as nfs(5) documents them: hard, soft, timeo=,
/// retrans=, rsize=, wsize= (below 1024: 4096; above 1 MiB: 1 MiB; else rounded down to a
/// multiple of 1024), ac, noac, actimeo=, acregmin=, acregmax=, acdirmin=, acdirmax=, cto,
/// nocto; accepted and noted as not changing the model: defaults, rw, ro, vers=3, nfsvers=3,
/// proto=tcp, tcp, intr, nointr (ignored by Linux since 2.6.25), bg, fg, _netdev, noatime,
/// nodiratime, relatime, sync, async, nolock, lock. Anything else (vers=4, udp, an unknown
/// option, a bad number) is an error.
std::variant<NfsMountOptions, MountOptionError> parse_mount_options(std::string_view text);

struct NfsMountConfig {
  Ipv4Address server;                       ///< the NFS server's address
  std::uint16_t port = kNfsPort;
  std::string export_path = "/export";      ///< as in SERVER:/export
  std::string mount_point = "/var/www/html";
  NfsMountOptions options;
  std::uint64_t page_cache_bytes = 512ULL << 20;  ///< the host's page cache given to the mount
  /// The largest READ/WRITE the server accepts: rsize and wsize are negotiated down to it.
  std::uint32_t server_max_io = 1U << 20;
};

class NfsMount : public Mount, private TcpApp {
 public:
  /// A mount on `host`'s transport; `name` is the host's (messages: "nfs: server ..."). The
  /// connection opens on the first call.
  NfsMount(Transport& host, Simulation& sim, std::string name, NfsMountConfig config, const Catalogue& content);
  ~NfsMount() override;

  /// Opens and reads `file` whole. True if it was served now from the page cache with no
  /// RPC; else waiter.on_nfs_done(token, ...) follows (never from within this call).
  bool read(std::uint32_t file, NfsWaiter& waiter, std::uint64_t token) override;
  /// Opens `file`, writes it whole, closes it (COMMIT). Always RPCs; on_nfs_done follows.
  bool write(std::uint32_t file, NfsWaiter& waiter, std::uint64_t token) override;
  /// Starts with a warm cache, as a web server that has served this content for long: the
  /// most popular files that fit in the page cache (storage/content.hpp), their names looked
  /// up and their attributes fetched now. Call before the first read.
  void warm() override;
  /// The host lost power: every call, the connection and the page cache are forgotten, with
  /// no callback (the waiters' requests are gone too).
  void power_off() override;
  /// Each kernel message with its time: "nfs: server 192.168.10.104 not responding, still
  /// trying", "... timed out", "nfs: server 192.168.10.104 OK".
  void on_kernel_message(std::function<void(Time, const std::string&)> sink) override { message_ = std::move(sink); }

  const NfsMountConfig& config() const { return config_; }
  std::uint32_t rsize() const;  ///< negotiated
  std::uint32_t wsize() const;
  const NfsMountStats& stats() const override { return stats_; }
  const PageCache& page_cache() const override { return cache_; }
  std::string source() const override { return config_.server.str() + ":" + config_.export_path; }
  const std::string& mount_point() const override { return config_.mount_point; }
  /// Requests (read/write) waiting for RPCs now.
  std::size_t blocked_now() const;
  /// Whether the mount sees its server as not responding (between a major timeout and the
  /// next reply).
  bool not_responding() const;
  /// The attribute timeout of `file` now (Linux's attrtimeo: acregmin, doubled up to acregmax
  /// while revalidations find it unchanged); zero before its attributes are known.
  Time attribute_timeout(std::uint32_t file) const;

 private:
  struct Impl;  // (the implementation's)
  void on_connected(SocketId s, std::uint64_t user) override;
  void on_message(SocketId s, std::uint64_t user, std::uint64_t tag, std::uint32_t bytes) override;
  void on_peer_closed(SocketId s, std::uint64_t user) override;
  void on_closed(SocketId s, std::uint64_t user, TcpCloseReason why) override;
  void on_send_room(SocketId s, std::uint64_t user) override;

  Transport& host_;
  Simulation& sim_;
  std::string name_;
  NfsMountConfig config_;
  const Catalogue& content_;
  PageCache cache_;
  NfsMountStats stats_;
  std::function<void(Time, const std::string&)> message_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lvs::storage
