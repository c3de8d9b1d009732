#pragma once
// The transport layer as a component: TCP-lite and UDP sockets that any host can own (a
// client, a real server; a director's health checker or a real server's NFS client), and
// EndHost, a host that owns one from the start.
//
// TCP-lite is the part of TCP that shapes latency and load in an LVS cluster, as Linux
// does it (RFC 793, 5681, 6298, 6928):
// - three-way handshake with the MSS option (MSS = interface MTU - 40, the smaller of
//   the two ends wins); SYN and SYN-ACK retransmitted with exponential backoff;
// - MSS segmentation of each message; the last segment of a message carries PSH;
// - cumulative ACKs, delayed ACK (every second full segment, or after 40 ms; data
//   going the other way carries the ACK);
// - congestion window: initial 10 segments, slow start to ssthresh, then congestion
//   avoidance; three duplicate ACKs retransmit and halve the window (ssthresh =
//   max(flight / 2, 2 MSS)); an RTO sets the window to one segment and goes back N;
// - RTO from SRTT/RTTVAR (RFC 6298; Karn: no samples from retransmitted segments),
//   initial 1 s, minimum 200 ms, doubled on every expiry, at most 120 s;
// - the receiver keeps only in-order data (out-of-order segments are answered with a
//   duplicate ACK and discarded), a fixed 64 KB receive window;
// - FIN close from either side, RST for a SYN to a port nobody listens on, for a
//   segment of an unknown connection, and on abort; ICMP unreachable in SYN-SENT
//   aborts the connection; ICMP "fragmentation needed" lowers the path MSS and
//   retransmits (path MTU discovery, RFC 1191).
// A message is `bytes` of application data with a tag; the receiver is told when the
// whole message has arrived in order. Messages on one connection are not pipelined
// by the applications in this model (request, response, next request); the transport
// relies on it only for fixed bounds: at most 4 messages queued or unacknowledged per
// socket, and 2 complete messages held for a connection not yet accepted (both throw
// std::logic_error beyond).
//
// UDP: a message is sent as datagrams of at most MTU - 28 payload bytes each; every
// datagram carries the message's tag and total size (model-only fields), so the
// receiving application can tell when it has all of it.
//
// Sockets live in a slab inside the host and are named by SocketId; nothing is
// allocated per packet once the slab, the demultiplexing table and the packet pool have
// grown. Timers are engine timers (cancelled, never left to fire on a dead socket).
//
// Model details:
// - options as Linux sends them (net/tcp_options.hpp): the SYN offers MSS (MTU - 40),
//   SACK-permitted, timestamps and window scale as this host's TcpConfig allows; the
//   SYN-ACK answers with those both ends have; once established every segment carries
//   the timestamp option if it was agreed, 12 bytes that come out of the MSS (1448 bytes
//   of data per segment at MTU 1500); TSval is this host's millisecond clock plus a
//   per-destination offset, TSecr the peer's latest TSval (RFC 7323 4.3). Timestamps are
//   not used for RTT measurement (the timed-segment method of RFC 6298 stays); SACK is
//   negotiated but no SACK blocks are sent (the receiver keeps no out-of-order data);
// - a message's segments carry its tag in Packet::app and its size in
//   Packet::message_bytes; a segment never holds bytes of two messages;
// - loss recovery is go-back-N, both on a timeout and on a fast retransmit, since the
//   receiver keeps no out-of-order data; after a fast retransmit no new one starts
//   until the data outstanding at the time is acknowledged (NewReno's `recover`);
// - the congestion window grows only while it limits the sender (flight >= cwnd / 2,
//   as Linux's tcp_is_cwnd_limited), by min(acked, 2 MSS) per ACK in slow start
//   (RFC 3465, so it doubles per RTT under delayed ACKs), by MSS*MSS/cwnd after;
// - the receiver ACKs at once when more than one MSS is unacknowledged (Linux's
//   __tcp_ack_snd_check), for a FIN, and for out-of-order or duplicate data;
// - a SYN retransmitted during the handshake makes the first data RTO 3 s (RFC 6298 5.7);
// - "fragmentation needed" scales cwnd and ssthresh to the new MSS (Linux counts the
//   window in segments) and goes back N from snd_una;
// - the side that closes first keeps the four-tuple in TIME_WAIT for 60 s (TCP_TIMEWAIT_LEN;
//   transport/time_wait.hpp), answering a retransmitted FIN with an ACK; a socket waiting
//   in FIN_WAIT_2 for the peer's FIN gives up after tcp_fin_timeout;
// - ephemeral ports as Linux's connect() picks them (transport/tcp_ports.cpp): per
//   destination, from a hashed start, even offsets first, skipping tuples in use or in
//   TIME_WAIT; none free: the connect fails with NoLocalPort (EADDRNOTAVAIL);
// - no Nagle, no SYN cookies, no SYN-queue limit, no keepalive.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "net/host.hpp"

namespace lvs {

/// A socket of an EndHost: index into its slab.
using SocketId = std::uint32_t;
inline constexpr SocketId kNoSocket = ~SocketId{0};
/// Messages one TCP socket holds queued or unacknowledged (tcp_send throws beyond).
inline constexpr int kMaxSocketMessages = 4;

/// Why a TCP connection ended.
enum class TcpCloseReason : std::uint8_t {
  Closed,        ///< orderly: both FINs exchanged and acknowledged
  Reset,         ///< RST received (refused by a closed port, or aborted by the peer)
  Unreachable,   ///< ICMP destination unreachable while connecting
  Timeout,       ///< SYN or data retransmitted too often (tcp_syn_retries, tcp_retries2), or FIN_WAIT_2 too long
  Aborted,       ///< this side called tcp_abort
  NoLocalPort,   ///< connect() found no free ephemeral port (EADDRNOTAVAIL)
};
const char* close_reason_name(TcpCloseReason r);

/// Per-host TCP settings (Linux defaults).
struct TcpConfig {
  std::uint32_t initial_cwnd_segments = 10;  ///< RFC 6928
  std::uint32_t receive_window = 65535;      ///< bytes (more than 65535 needs window scaling)
  Time initial_rto = Time::s(1);
  Time min_rto = Time::ms(200);
  Time max_rto = Time::s(120);
  Time delayed_ack = Time::ms(40);
  int syn_retries = 6;                        ///< net.ipv4.tcp_syn_retries
  int synack_retries = 5;                     ///< net.ipv4.tcp_synack_retries
  int retries2 = 15;                          ///< net.ipv4.tcp_retries2 (data)
  std::uint16_t ephemeral_first = 32768;      ///< net.ipv4.ip_local_port_range (both ends included)
  std::uint16_t ephemeral_last = 60999;
  /// net.ipv4.tcp_tw_reuse: 0 never; 1 connect() may take over a TIME_WAIT tuple more than
  /// 1 s old if timestamps were in use on it; 2 (the default) only on loopback, i.e. never here.
  int tw_reuse = 2;
  /// net.ipv4.tcp_fin_timeout: how long a closed socket waits in FIN_WAIT_2 for the peer's FIN.
  Time fin_timeout = Time::s(60);
  /// net.ipv4.tcp_timestamps: 0 off; 1 RFC 7323 timestamps with a per-destination clock
  /// offset (Linux >= 4.10, the default); 2 timestamps without the offset.
  int timestamps = 1;
  bool sack = true;             ///< net.ipv4.tcp_sack: offer and accept SACK-permitted (RFC 2018)
  bool window_scaling = true;   ///< net.ipv4.tcp_window_scaling (RFC 7323 2)
  /// The shift this host announces: Linux derives it from the largest receive buffer
  /// (tcp_select_initial_window: 7 for tcp_rmem[2] = 6 MiB, the default).
  std::uint8_t window_scale = 7;
};

/// What the transport tells an application about a TCP connection. One object serves
/// many sockets; it gets the socket id and the `user` value given at connect/accept.
class TcpApp {
 public:
  virtual ~TcpApp() = default;
  /// The handshake completed on an active open (connect).
  virtual void on_connected(SocketId, std::uint64_t /*user*/) {}
  /// A listener has an established connection waiting: call EndHost::tcp_accept.
  virtual void on_acceptable(std::uint16_t /*port*/) {}
  /// A whole message arrived in order.
  virtual void on_message(SocketId, std::uint64_t /*user*/, std::uint64_t /*tag*/, std::uint32_t /*bytes*/) {}
  /// The peer closed its side (FIN received); the app may still send, then tcp_close.
  virtual void on_peer_closed(SocketId, std::uint64_t /*user*/) {}
  /// The connection is gone; the SocketId may be reused after this returns. Not
  /// called for tcp_abort, nor for a connection that dies while in the accept queue.
  virtual void on_closed(SocketId, std::uint64_t /*user*/, TcpCloseReason) {}
  /// An ACK retired whole messages: tcp_send_room() has grown. For applications that keep
  /// more messages to send than a socket holds (an NFS client's RPCs, an nfsd's replies).
  virtual void on_send_room(SocketId, std::uint64_t /*user*/) {}
};

/// What the transport tells an application about UDP datagrams.
class UdpApp {
 public:
  virtual ~UdpApp() = default;
  /// One datagram of a message arrived (packet fields: ip.src, sport, payload, app tag, message_bytes).
  virtual void on_datagram(const Packet&) = 0;
};

/// A snapshot of one TCP socket's state (as Linux's TCP_INFO), for tests and metrics.
struct TcpInfo {
  bool open = false;            ///< false: the id names no open socket (the rest is zero)
  bool established = false;     ///< handshake completed
  std::uint32_t mss = 0;        ///< bytes per segment
  std::uint32_t cwnd = 0;       ///< congestion window, bytes
  std::uint32_t ssthresh = 0;   ///< slow-start threshold, bytes (0xffffffff: not yet set)
  std::uint32_t in_flight = 0;  ///< bytes sent and not acknowledged (SYN and FIN count 1)
  std::uint32_t unsent = 0;     ///< bytes queued and not yet sent
  Time srtt;                    ///< zero before the first RTT sample
  Time rttvar;
  Time rto;                     ///< current retransmission timeout
};

/// Transport counters of one host.
struct TransportStats {
  std::uint64_t segments_out = 0;
  std::uint64_t segments_in = 0;
  std::uint64_t retransmits = 0;         ///< segments sent again (RTO or fast retransmit)
  std::uint64_t rto_expiries = 0;
  std::uint64_t fast_retransmits = 0;
  std::uint64_t resets_sent = 0;
  std::uint64_t resets_received = 0;
  std::uint64_t listen_overflows = 0;    ///< SYNs dropped because the accept queue was full
  std::uint64_t udp_datagrams_out = 0;
  std::uint64_t udp_datagrams_in = 0;
  std::uint64_t udp_no_port = 0;         ///< datagrams to a port nobody bound (ICMP port unreachable sent)
};

/// The sockets of one host. It attaches itself to `host` on construction and takes the
/// packets for the host's addresses that nothing below it took (IPVS on a director).
class Transport : public LocalTransport {
 public:
  explicit Transport(Host& host, TcpConfig tcp = {});
  ~Transport() override;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  TcpConfig& tcp_config() { return tcp_; }
  const TcpConfig& tcp_config() const { return tcp_; }

  // --- TCP ---------------------------------------------------------------------------
  /// Listens on `port` of every local address. `backlog` limits the accept queue
  /// (established, not yet accepted): a SYN that arrives while it is full is dropped,
  /// as Linux does, and the client retransmits it. Listening again on a port replaces
  /// its app and backlog.
  void tcp_listen(std::uint16_t port, TcpApp& app, std::uint32_t backlog);
  /// Stops listening on `port` (the server process exits): connections not yet accepted are
  /// reset, as Linux resets a closing listener's children (inet_csk_listen_stop); a SYN for
  /// the port is answered with RST from now on. Accepted connections are the app's to end.
  void tcp_unlisten(std::uint16_t port);
  /// Resets every connection whose local port is `port`, accepted or not (the process that
  /// owned them was killed: Linux closes its sockets, with RST where a request was unread).
  /// The application is not told (as for tcp_abort).
  void tcp_reset_port(std::uint16_t port);
  /// Power loss: every socket, listener, UDP binding and TIME_WAIT entry is gone, without a
  /// packet; applications are told on_closed(Aborted) for the sockets they know. After a
  /// reboot the host starts with nothing, and answers segments of old connections with RST.
  void forget_all();
  /// Takes the oldest established connection from the accept queue of `port`, or
  /// nullopt. Messages that arrived before the accept (and the peer's FIN) are delivered
  /// from within this call, once the socket is the application's: the callbacks carry
  /// `user`.
  std::optional<SocketId> tcp_accept(std::uint16_t port, std::uint64_t user);
  /// Connections waiting in the accept queue of `port`.
  std::uint32_t tcp_accept_queue(std::uint16_t port) const;
  /// Opens a connection from `src` (0.0.0.0: the address of the outgoing interface)
  /// and `sport` (0: the next free ephemeral port of `src` towards dst:dport) to dst:dport.
  /// With no route to `dst` it calls on_closed(kNoSocket, user, Unreachable), with no free
  /// port on_closed(kNoSocket, user, NoLocalPort), and returns kNoSocket. Throws
  /// std::invalid_argument if an explicit `sport` makes a four-tuple that is taken.
  SocketId tcp_connect(Ipv4Address src, std::uint16_t sport, Ipv4Address dst, std::uint16_t dport, TcpApp& app,
                       std::uint64_t user);
  /// Queues a message of `bytes` (>= 1) with `tag`; sent as the window allows. At most
  /// 4 messages may be queued or unacknowledged on one socket (std::logic_error beyond:
  /// the applications do not pipeline). Ignored on a socket that is no longer open.
  void tcp_send(SocketId s, std::uint32_t bytes, std::uint64_t tag);
  /// Messages tcp_send may still queue on `s` now (0 when it is not open): applications that
  /// multiplex many requests on one connection send while this is above 0 and wait for
  /// TcpApp::on_send_room.
  int tcp_send_room(SocketId s) const;
  /// Sends FIN once the queued data is out (half close); on_closed follows when both
  /// sides are done. While connecting (SYN sent), it ends the attempt at once with
  /// on_closed(Closed).
  void tcp_close(SocketId s);
  /// Sends RST and forgets the connection at once (on_closed is not called).
  void tcp_abort(SocketId s);
  /// Sockets open now (any state but closed).
  std::size_t tcp_open_sockets() const;
  /// Connections this host closed first that are in TIME_WAIT now.
  std::size_t tcp_time_wait() const;
  /// The local port of a socket.
  std::uint16_t tcp_local_port(SocketId s) const;
  /// The local and remote address of a socket, for the applications' bookkeeping.
  Ipv4Address tcp_local_address(SocketId s) const;
  Ipv4Address tcp_remote_address(SocketId s) const;
  std::uint16_t tcp_remote_port(SocketId s) const;
  /// The state of socket `s` (TcpInfo::open is false if it is not open).
  TcpInfo tcp_info(SocketId s) const;

  // --- UDP ---------------------------------------------------------------------------
  /// Delivers datagrams for `port` to `app`. A datagram to an unbound port is answered
  /// with ICMP port unreachable.
  void udp_bind(std::uint16_t port, UdpApp& app);
  /// Stops delivering datagrams for `port` (they get ICMP port unreachable from now on).
  void udp_unbind(std::uint16_t port);
  /// Sends a message of `bytes` as ceil(bytes / (MTU - 28)) datagrams (at least one). `ttl`
  /// 0 is Linux's default: 64, or 1 to a multicast group (IP_MULTICAST_TTL); a multicast
  /// datagram leaves by the interface holding `src` (Host::join_multicast has the rest).
  void udp_send(Ipv4Address src, std::uint16_t sport, Ipv4Address dst, std::uint16_t dport, std::uint32_t bytes,
                std::uint64_t tag, std::uint8_t ttl = 0);

  const TransportStats& transport_stats() const { return stats_; }

  /// A packet for the host's own addresses: TCP, UDP, or an ICMP error about them.
  void deliver(Interface& in, PacketId p) override;
  void early_demux(const Packet& pkt) const override;

 private:
  struct Impl;  // the socket slab, tables and TCP machinery: transport/tcp_engine.hpp
  Host& host_;
  TcpConfig tcp_;
  TransportStats stats_;
  std::unique_ptr<Impl> impl_;
};

/// A host that owns a transport from the start: clients and real servers.
class EndHost : public Host, public Transport {
 public:
  EndHost(Network& net, std::string name, TcpConfig tcp = {})
      : Host(net, std::move(name)), Transport(static_cast<Host&>(*this), tcp) {}
};

}  // namespace lvs
