#pragma once
// One node of a DRBD pair (docs/storage-alternatives.md, "DRBD"): the block device under an
// NFS server's export, replicated to the peer node over TCP port 7789. The Primary hands each
// committed file to the Secondary as one P_DATA message; the NFS server's COMMIT completes
// (storage/replicator.hpp) when drbdsetup(8)'s --protocol says the write is complete:
// - A: at once, when the data is handed to TCP (plus the local disk, which the server waits for);
// - B: when the peer acknowledges receipt (P_RECV_ACK);
// - C (the default): when the peer's disk write is done (P_WRITE_ACK).
// A peer that does not answer within `timeout` (6 s) is considered dead and the connection
// abandoned (drbdsetup --timeout); writes then complete on the local disk alone (the blocks
// are marked out of sync) and the Primary tries to connect again every connect-int (10 s).
// Source: LINBIT drbd-utils documentation/v9/drbdsetup-options.xml (lvs-models-reference 6.2).
// Simplifications (docs): acks travel on the data connection (DRBD uses a second, "meta"
// socket); no ping-int keep-alive (a dead idle peer is found by the next write); no resync.

#include <cstdint>
#include <string>

#include "core/ring_queue.hpp"
#include "core/simulation.hpp"
#include "net/address.hpp"
#include "storage/disk.hpp"
#include "storage/nfs_server.hpp"
#include "storage/replicator.hpp"
#include "transport/end_host.hpp"

namespace lvs::storage {

/// DRBD's replication port in every example configuration ("address 10.1.1.31:7789").
inline constexpr std::uint16_t kDrbdPort = 7789;
/// The header of a P_DATA message and of an ack: p_header80 (8 B) + p_data / p_block_ack
/// (24 B), drbd_protocol.h (UNVERIFIED byte count).
inline constexpr std::uint32_t kDrbdHeaderBytes = 32;

enum class DrbdProtocol : std::uint8_t { A, B, C };
/// "A", "B", "C".
char drbd_protocol_letter(DrbdProtocol p);

struct DrbdConfig {
  DrbdProtocol protocol = DrbdProtocol::C;  ///< drbdsetup --protocol (default C)
  Time timeout = Time::ms(6000);            ///< --timeout 60 (tenths of a second)
  Time connect_int = Time::s(10);           ///< --connect-int 10
};

enum class DrbdRole : std::uint8_t { Secondary, Primary };

struct DrbdStats {
  std::uint64_t replicated = 0;    ///< writes sent to the peer
  std::uint64_t acked = 0;         ///< writes the peer acknowledged (B, C)
  std::uint64_t out_of_sync = 0;   ///< writes done without the peer (disconnected)
  std::uint64_t received = 0;      ///< writes received as Secondary
  std::uint64_t disconnects = 0;   ///< connections abandoned after `timeout`
};

class DrbdDevice : public Replicator, private TcpApp, private DiskClient {
 public:
  /// The device on `host`; the NFS server of this host owns the disk it writes replicas to.
  DrbdDevice(Transport& host, Simulation& sim, std::string name, DrbdConfig config, NfsServer& server);
  ~DrbdDevice() override;

  /// Secondary: listens on 7789 for the Primary.
  void start_secondary();
  /// Primary (drbdadm primary): replicates to `peer`, connecting now and every connect-int.
  void promote(Ipv4Address peer);
  /// The host lost power: connections, queued and in-flight writes forgotten, no callback.
  void power_off();

  void replicate(std::uint32_t file, std::uint32_t bytes, std::uint32_t change, ReplicaClient& client,
                 std::uint64_t token) override;

  DrbdRole role() const { return role_; }
  bool connected() const { return socket_ != kNoSocket && connected_; }
  const DrbdConfig& config() const { return config_; }
  const DrbdStats& stats() const { return stats_; }

 private:
  struct Write {
    std::uint32_t bytes = 0;
    std::uint64_t tag = 0;
    ReplicaClient* client = nullptr;
    std::uint64_t token = 0;
    Time sent;
  };
  void connect();
  void send_ack();
  void send_acks();
  void flush();
  void acked();
  void disconnect();
  void complete_all_locally();
  void arm_timeout();
  void on_connected(SocketId s, std::uint64_t user) override;
  void on_acceptable(std::uint16_t port) override;
  void on_message(SocketId s, std::uint64_t user, std::uint64_t tag, std::uint32_t bytes) override;
  void on_closed(SocketId s, std::uint64_t user, TcpCloseReason why) override;
  void on_peer_closed(SocketId s, std::uint64_t user) override;
  void on_send_room(SocketId s, std::uint64_t user) override;
  void on_disk_done(std::uint64_t token) override;

  Transport& host_;
  Simulation& sim_;
  std::string name_;
  DrbdConfig config_;
  NfsServer& server_;
  DrbdRole role_ = DrbdRole::Secondary;
  Ipv4Address peer_;
  SocketId socket_ = kNoSocket;
  bool connected_ = false;
  bool listening_ = false;
  std::uint32_t life_ = 0;
  std::uint32_t acks_due_ = 0;  // Secondary: acks waiting for send room
  RingQueue<Write> unsent_;    // Primary: waiting for send room
  RingQueue<Write> unacked_;   // Primary: sent, waiting for the peer's ack (B, C)
  Timer timeout_, reconnect_;
  DrbdStats stats_;
};

}  // namespace lvs::storage
