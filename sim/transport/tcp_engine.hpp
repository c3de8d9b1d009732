#pragma once
// The inside of a Transport: the socket slab, the demultiplexing tables, listeners and
// UDP bindings, and the TCP-lite machinery, split over
//   tcp_control.cpp  slab, listen / accept / connect / send / close / abort
//   tcp_ports.cpp    ephemeral ports (ip_local_port_range) and TIME_WAIT
//   tcp_input.cpp    segments and ICMP errors arriving
//   tcp_output.cpp   segments leaving, timers, RTT and congestion window
//   end_host.cpp     the EndHost facade, packet dispatch and UDP.
// Every callback into an application may abort, close or reuse sockets: after one,
// code re-checks the socket with alive(id, gen) before touching it again.

#include <string_view>
#include <vector>

#include "core/chunked_vector.hpp"
#include "net/network.hpp"
#include "transport/end_host.hpp"
#include "transport/port_bitmap.hpp"
#include "transport/tcp_socket.hpp"
#include "transport/time_wait.hpp"
#include "transport/tuple_map.hpp"

namespace lvs {

/// The TCP fields of an arriving segment, copied out of the packet.
struct TcpSegment {
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint32_t payload = 0;
  std::uint64_t app = 0;  ///< message tag
  std::uint32_t tsval = 0;  ///< with tcp_option::kTimestamps
  std::uint16_t window = 0; ///< the window field as received (unscaled)
  std::uint16_t mss = 0;    ///< the MSS option, with tcp_option::kMss
  std::uint8_t flags = 0;
  std::uint8_t kinds = 0;   ///< tcp_option bits
  std::uint8_t wscale = 0;  ///< with tcp_option::kWindowScale
  std::uint32_t from_socket = kNoSocket;  ///< the sender's socket (Packet::tcp_from_socket), a hint
  bool has_option(std::uint8_t k) const { return (kinds & k) != 0; }
  bool has(std::uint8_t f) const { return (flags & f) != 0; }
  /// Sequence space the segment occupies: data, plus one each for SYN and FIN.
  std::uint32_t length() const {
    return payload + (has(tcp_flags::kSyn) ? 1U : 0U) + (has(tcp_flags::kFin) ? 1U : 0U);
  }
};

struct Transport::Impl {
  struct Listener {
    std::uint16_t port = 0;
    TcpApp* app = nullptr;
    std::uint32_t backlog = 0;
    std::uint32_t queued = 0;  ///< established, not accepted
    SocketId head = kNoSocket;  ///< oldest
    SocketId tail = kNoSocket;
  };
  struct UdpBinding {
    std::uint16_t port = 0;
    UdpApp* app = nullptr;
  };
  /// Why an arriving segment was discarded (nullptr: it was consumed).
  using Verdict = const char*;
  /// What the data and FIN of a segment did to the receive side.
  struct Arrival {
    Verdict verdict = nullptr;
    bool message = false;     ///< a message completed (PSH reached in order)
    bool fin = false;         ///< the peer's FIN arrived in order
    std::uint32_t bytes = 0;  ///< the completed message's size
  };

  Impl(Host& h, TcpConfig& c, TransportStats& st)
      : host(h), cfg(c), stats(st), port_rng(h.network().sim().rng(h.name() + "/ports")) {}

  // --- tcp_control.cpp ---
  SocketId alloc_socket(const FourTuple& t, TcpApp& app, TcpState state, std::uint32_t local_mss);
  void finish(SocketId id, TcpCloseReason why, bool notify);
  bool alive(SocketId id, std::uint32_t gen) const;
  TcpSocket* open_socket(SocketId id);
  const TcpSocket* open_socket(SocketId id) const;
  Listener* listener(std::uint16_t port);
  const Listener* listener(std::uint16_t port) const;
  // --- tcp_ports.cpp ---
  /// A free local port of `src` towards dst:dport, in Linux's order; nullopt if none (EADDRNOTAVAIL).
  std::optional<std::uint16_t> ephemeral_port(Ipv4Address src, Ipv4Address dst, std::uint16_t dport);
  /// True if no socket and no TIME_WAIT entry (unless tcp_tw_reuse may take it over) holds `t`.
  bool tuple_available(const FourTuple& t);
  /// A socket or TIME_WAIT entry now holds `t` / no longer does.
  void hold_tuple(const FourTuple& t);
  void release_tuple(const FourTuple& t);
  /// The side that closed first keeps the tuple in TIME_WAIT for 60 s.
  void enter_time_wait(const TcpSocket& s);
  Verdict time_wait_input(TimeWaitEntry& tw, const TcpSegment& seg);
  void send_time_wait_ack(const TimeWaitEntry& tw);
  void on_time_wait_timer();
  bool time_wait_reusable(const TimeWaitEntry& tw) const;
  std::uint32_t local_mss(Ipv4Address dst) const;
  void offer_options(TcpSocket& s) const;
  void agree_options(TcpSocket& s, const TcpSegment& syn);
  /// TSval towards raddr now: this host's millisecond clock (+ the per-destination offset).
  std::uint32_t timestamp_to(Ipv4Address laddr, Ipv4Address raddr) const;
  void enqueue_accept(Listener& l, SocketId id);
  void unlink_accept(SocketId id);
  SocketId connect(Ipv4Address src, std::uint16_t sport, Ipv4Address dst, std::uint16_t dport, TcpApp& app,
                   std::uint64_t user);
  std::optional<SocketId> accept(std::uint16_t port, std::uint64_t user);
  void send(SocketId id, std::uint32_t bytes, std::uint64_t tag);
  void close(SocketId id);
  void abort(SocketId id);
  TcpInfo info(SocketId id) const;

  // --- tcp_input.cpp ---
  Verdict tcp_input(const Packet& pkt);
  Verdict udp_input(const Packet& pkt);
  /// The open socket holding `t`: `hint` if it names that socket, else demux's answer.
  SocketId find_socket(const FourTuple& t, std::uint32_t hint) const;
  Verdict listen_input(const FourTuple& t, const TcpSegment& seg);
  Verdict socket_input(SocketId id, const TcpSegment& seg);
  Verdict rst_input(SocketId id, const TcpSegment& seg);
  Verdict syn_sent_input(SocketId id, const TcpSegment& seg);
  Verdict syn_received_input(SocketId id, const TcpSegment& seg);
  Verdict open_input(SocketId id, const TcpSegment& seg);
  void ack_input(TcpSocket& s, const TcpSegment& seg);
  Arrival data_input(TcpSocket& s, const TcpSegment& seg);
  bool deliver(SocketId id, const Arrival& a, std::uint64_t tag);
  bool tell_send_room(SocketId id);
  void after_input(SocketId id);
  void icmp_input(const Packet& pkt);
  void path_mtu(SocketId id, std::uint16_t next_hop_mtu);

  // --- tcp_output.cpp ---
  void send_segment(TcpSocket& s, std::uint32_t seq, std::uint8_t flags, std::uint32_t len, std::uint64_t tag,
                    std::uint32_t message_bytes);
  void send_syn(TcpSocket& s);
  void put_options(const TcpSocket& s, TcpHeader& h) const;
  void note_timestamp(TcpSocket& s, const TcpSegment& seg);
  void send_reset(const FourTuple& t, const TcpSegment& answered);
  void output(SocketId id);
  bool send_data(TcpSocket& s);
  void note_sent(TcpSocket& s, std::uint32_t seq, std::uint32_t len);
  void count_reset_sent();
  void count_retransmit(const TcpSocket& s);
  void handshake_acked(TcpSocket& s);
  void new_ack(TcpSocket& s, std::uint32_t ack);
  void grow_cwnd(TcpSocket& s, std::uint32_t acked, std::uint32_t flight_before);
  void fast_retransmit(TcpSocket& s);
  void rtt_sample(TcpSocket& s, Time r);
  void arm_rto(TcpSocket& s);
  void on_rto(SocketId id, std::uint32_t gen);
  void data_timeout(SocketId id);
  void arm_delack(TcpSocket& s);
  void on_delack(SocketId id, std::uint32_t gen);
  void maybe_finish(SocketId id);

  Simulation& sim() const { return host.network().sim(); }
  Network& net() const { return host.network(); }

  Host& host;
  TcpConfig& cfg;
  TransportStats& stats;
  ChunkedVector<TcpSocket> sockets;  // references stay valid while the slab grows
  std::vector<SocketId> free_ids;
  TupleMap demux;       // (laddr, lport, raddr, rport) -> socket
  /// Per destination connect() has used, (laddr, raddr, 0, rport) -> its PortRange.
  struct PortRange {
    PortBitmap taken;            // ephemeral ports towards that destination held by a socket or TIME_WAIT
    std::uint32_t perturb = 0;   // Linux's table_perturb: where the next scan starts
  };
  TupleMap port_ranges;
  std::vector<PortRange> ranges;
  TimeWaitTable time_wait;
  EventId time_wait_timer;
  Rng& port_rng;        // the random part of each scan's next start (Linux >= 5.19)
  std::vector<Listener> listeners;
  std::vector<UdpBinding> udp;
  std::size_t open_count = 0;
  std::uint32_t next_iss = 0xffff0000U;  // near the wrap, so that tests cross it
};

}  // namespace lvs
