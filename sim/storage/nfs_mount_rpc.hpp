#pragma once
// The RPC side of an NFS mount (NfsMount's, storage/nfs_mount.hpp): the timeouts a call
// waits, as Linux's net/sunrpc computes them for TCP, and the table of outstanding calls by
// xid. docs/nfs-client.md.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event_queue.hpp"
#include "core/ring_queue.hpp"
#include "core/simulation.hpp"
#include "core/time.hpp"
#include "storage/nfs_wire.hpp"
#include "transport/end_host.hpp"

namespace lvs::storage {

struct NfsMountOptions;
struct NfsMountStats;

/// Linux's rpc_timeout for an NFS mount over TCP (fs/nfs/client.c nfs_init_timeout_values):
/// linear backoff, each wait `increment` longer than the last, at most `maxval`; the major
/// timeout comes `maxval` after a call is first queued.
struct RpcTimeout {
  Time initval;    ///< to_initval: timeo, at most 600 s (NFS_MAX_TCP_TIMEOUT)
  Time increment;  ///< to_increment: timeo
  Time maxval;     ///< to_maxval: timeo x (1 + retrans), at most 600 s, at least initval
  std::uint32_t retries = 0;  ///< to_retries: retrans
};
RpcTimeout rpc_timeout(const NfsMountOptions& options);

/// The timer state of one call: xprt.c's rq_timeout, rq_minortimeo and rq_majortimeo.
struct CallClock {
  Time timeout;  ///< the current wait
  Time minor;    ///< next minor timeout (retransmit)
  Time major;    ///< major timeout
  /// When the call's timer fires: the minor timeout, never past the major one
  /// (xprt_wait_for_reply_request_def).
  Time next() const { return minor < major ? minor : major; }
};

/// A clock started at `now` (xprt_init_majortimeo).
CallClock start_clock(const RpcTimeout& to, Time now);
/// What a timer expiry at `now` is, after xprt_adjust_timeout has moved the clock on.
enum class Expiry : std::uint8_t { Minor, Major };
Expiry adjust_clock(CallClock& c, const RpcTimeout& to, Time now);

/// One outstanding call.
struct RpcCall {
  std::uint32_t xid = 0;
  NfsOp op = NfsOp::Getattr;
  std::uint32_t file = 0;
  std::uint32_t chunk = 0;
  std::uint32_t data = 0;         ///< bytes read or written by a READ/WRITE
  std::uint8_t io_shift = 0;      ///< READ/WRITE: the mount's rsize/wsize is 2^io_shift
  std::uint32_t request = 0;      ///< the request (read/write) it belongs to
  std::uint32_t generation = 0;   ///< of this slot: a queued reference to an older call is stale
  bool live = false;
  bool queued = false;            ///< in the send FIFO
  bool transmitted = false;       ///< sent at least once
  CallClock clock;
  EventId timer;
};

/// Outstanding calls in a slab reused slot by slot, found by xid through an index sized to
/// a power of two (xid modulo the size); the index doubles when two outstanding xids would
/// share an entry. Nothing is allocated per call once the slab and index have grown.
class CallTable {
 public:
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};
  CallTable();
  /// A free slot for `call` (its xid must not be outstanding); its generation moves on.
  std::uint32_t add(const RpcCall& call);
  /// Forgets the call in `slot`.
  void remove(std::uint32_t slot);
  /// The slot of the outstanding call `xid`, or kNone.
  std::uint32_t find(std::uint32_t xid) const;
  RpcCall& at(std::uint32_t slot) { return calls_[slot]; }
  const RpcCall& at(std::uint32_t slot) const { return calls_[slot]; }
  /// Slots in use and not (slab size, for iteration in slot order).
  std::uint32_t slots() const { return static_cast<std::uint32_t>(calls_.size()); }
  std::size_t outstanding() const { return calls_.size() - free_.size(); }
  /// Forgets every call (timers are the caller's to cancel).
  void clear();

 private:
  void grow_index();
  std::vector<RpcCall> calls_;
  std::vector<std::uint32_t> free_;
  std::vector<std::uint32_t> by_xid_;  // slot per xid & (size - 1), kNone if none
};

/// The sunrpc client of a mount: one TCP connection to the server (nconnect=1), opened when
/// a call needs it and re-established when it breaks; calls wait in a FIFO for room on the
/// socket; each call's timer retransmits it at its minor timeouts and, at the major timeout,
/// fails it (soft) or logs and goes on (hard). Counts into the mount's NfsMountStats.
class RpcClient {
 public:
  using MessageSink = std::function<void(Time, const std::string&)>;
  /// What the NFS side of the mount is told.
  class Listener {
   public:
    virtual ~Listener() = default;
    /// A reply to `call` (no longer outstanding) with the file's change attribute.
    virtual void on_reply(const RpcCall& call, std::uint32_t change) = 0;
    /// Soft mount: `call` (no longer outstanding) reached its major timeout.
    virtual void on_timed_out(const RpcCall& call) = 0;
  };
  struct Config {
    Ipv4Address server;
    std::uint16_t port = kNfsPort;
    RpcTimeout timeout;
    bool hard = true;
    RpcCredential credential;
  };

  /// `app` is the TcpApp the transport calls back (the mount, which forwards here).
  RpcClient(Transport& host, Simulation& sim, TcpApp& app, Config config, Listener& listener, NfsMountStats& stats,
            const MessageSink& messages);
  ~RpcClient();
  RpcClient(const RpcClient&) = delete;
  RpcClient& operator=(const RpcClient&) = delete;

  /// Queues a new call of `request`; `data` is the bytes of a READ/WRITE, cut from the file
  /// in pieces of 2^io_shift bytes.
  void call(NfsOp op, std::uint32_t file, std::uint32_t chunk, std::uint32_t data, std::uint32_t request,
            std::uint8_t io_shift = 0);
  /// Forgets every outstanding call of `request` (replies to them are ignored).
  void cancel_request(std::uint32_t request);
  /// Power loss: every call, timer and the connection forgotten, with no callback.
  void forget();
  bool not_responding() const { return not_responding_; }
  std::size_t outstanding() const { return calls_.outstanding(); }

  // The transport's callbacks, forwarded by the mount.
  void connected(SocketId s, std::uint64_t user);
  void message(std::uint64_t user, std::uint64_t tag);
  void peer_closed(SocketId s, std::uint64_t user);
  void closed(std::uint64_t user);
  void send_room(std::uint64_t user);

 private:
  enum class Link : std::uint8_t { Down, Connecting, Up };
  struct Queued {
    std::uint32_t slot = 0;
    std::uint32_t generation = 0;
  };

  void queue(std::uint32_t slot);
  void pump();
  void watch_unacknowledged();
  void transmit(std::uint32_t slot);
  void arm(std::uint32_t slot);
  void on_timer(std::uint32_t slot, std::uint32_t generation);
  void major_timeout(std::uint32_t slot);
  void answered();
  void ensure_connected();
  void connect();
  void lost_connection();
  void cancel_all_timers();
  void log(std::string_view what) const;
  void log_ratelimited(std::string_view what);

  Transport& host_;
  Simulation& sim_;
  TcpApp& app_;
  Config config_;
  Listener& listener_;
  NfsMountStats& stats_;
  const MessageSink& messages_;
  struct Ratelimit {
    Time begin;
    int printed = 0;
    std::uint64_t suppressed = 0;
  } ratelimit_;
  CallTable calls_;
  RingQueue<Queued> fifo_;
  std::uint32_t next_xid_ = 1;
  Link link_ = Link::Down;
  SocketId socket_ = kNoSocket;
  std::uint64_t connection_ = 0;  // the `user` of the current connection; callbacks of older ones are ignored
  bool had_socket_ = false;       // xprtsock's transport->sock != NULL: a reconnect, not the first connect
  Time connect_start_;            // xprt->stat.connect_start
  Time reestablish_;              // xprt->reestablish_timeout
  Timer reconnect_;
  Timer user_timeout_;            // TCP_USER_TIMEOUT: unacknowledged data for timeo x (retrans + 1)
  bool not_responding_ = false;
  bool still_trying_logged_ = false;
};

}  // namespace lvs::storage
