#pragma once
// One TCP-lite connection: a compact record in the EndHost's socket slab.
//
// Data is not buffered, only counted: the send side is sequence numbers plus a ring
// of message boundaries (end sequence number and tag of each queued message); the
// receive side is rcv_nxt and where the current message began. Sequence numbers wrap
// (RFC 793 3.3): compare them only with seq_lt and friends.
//
// States: Linux's ESTABLISHED, FIN_WAIT_1/2, CLOSE_WAIT, CLOSING and LAST_ACK are all
// Open here, told apart by fin_queued (this side closed), snd_una past the FIN (our FIN
// acknowledged) and peer_fin (the peer's FIN received). The socket is freed as soon as
// both FINs are exchanged and acknowledged; if this side closed first its tuple lives on
// in the host's TIME_WAIT table (transport/time_wait.hpp), not as a socket.

#include <cstdint>

#include "core/simulation.hpp"
#include "transport/end_host.hpp"
#include "transport/tuple_map.hpp"

namespace lvs {

inline bool seq_lt(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) < 0; }
inline bool seq_le(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) <= 0; }
inline bool seq_gt(std::uint32_t a, std::uint32_t b) { return seq_lt(b, a); }
inline bool seq_ge(std::uint32_t a, std::uint32_t b) { return seq_le(b, a); }

enum class TcpState : std::uint8_t {
  Free,         ///< slot on the free list
  SynSent,      ///< active open, SYN sent
  SynReceived,  ///< passive open, SYN-ACK sent
  Open,         ///< handshake done (ESTABLISHED through LAST_ACK)
  Dead,         ///< closed; on_closed is running, the slot is freed when it returns
};

struct TcpSocket {
  /// Messages queued for sending and not yet acknowledged. The applications are not
  /// pipelined (one message in flight per direction), so 4 is ample; tcp_send throws
  /// std::logic_error beyond it.
  static constexpr int kMaxMessages = kMaxSocketMessages;
  /// Complete messages received while the connection waits in the accept queue, kept
  /// for delivery at tcp_accept (a client sends one request, then waits); more throws.
  /// They are kept in the first entries of the send ring (msg_tag, msg_end), and the
  /// accept queue's links in its last two ends: the ring is empty until the application
  /// knows the socket, since it cannot send on a socket it has not accepted
  /// (pending_count > 0 and in_queue only while !accepted, and then msg_count == 0).
  static constexpr int kMaxPending = 2;
  static_assert(kMaxPending + 2 <= kMaxMessages, "pending messages and queue links live in the send ring");

  TcpApp* app = nullptr;
  std::uint64_t user = 0;
  Time srtt;       ///< smoothed RTT; zero until the first sample
  Time rttvar;
  Time rto;        ///< current retransmission timeout (backed off)
  Time rtt_start;  ///< when the timed segment was sent
  Timer rto_timer;
  Timer delack_timer;
  std::uint64_t msg_tag[kMaxMessages] = {};  ///< before accept: the pending messages' tags
  std::uint32_t msg_end[kMaxMessages] = {};  ///< before accept: the pending messages' sizes, the queue links

  FourTuple tuple;
  SocketId self = kNoSocket;    ///< this socket's index in the slab
  std::uint32_t gen = 0;        ///< bumped on every allocation of the slot; timers check it
  std::uint32_t iss = 0;        ///< initial send sequence number
  std::uint32_t snd_una = 0;    ///< oldest unacknowledged
  std::uint32_t snd_nxt = 0;    ///< next to send (moves back on go-back-N)
  std::uint32_t snd_max = 0;    ///< highest ever sent + 1
  std::uint32_t snd_end = 0;    ///< end of queued data (our FIN, if any, takes snd_end)
  std::uint32_t msg_start = 0;  ///< first sequence number of the oldest queued message
  std::uint32_t recover = 0;    ///< snd_max at the last loss event (RFC 6582)
  std::uint32_t rtt_seq = 0;    ///< the timed segment is acknowledged when snd_una reaches this
  std::uint32_t rcv_nxt = 0;    ///< next expected from the peer
  std::uint32_t rcv_acked = 0;  ///< the last ACK number sent
  std::uint32_t rcv_msg_start = 0;  ///< first sequence number of the message being received
  std::uint32_t cwnd = 0;       ///< bytes
  std::uint32_t ssthresh = 0;   ///< bytes
  std::uint32_t peer_window = 65535;  ///< bytes the peer's last window field allows (scaled)
  std::uint32_t ts_recent = 0;  ///< the peer's latest TSval, echoed as TSecr (RFC 7323 4.3)
  /// The peer's socket index as its last segment named it (Packet::tcp_from_socket): sent
  /// back as Packet::tcp_to_socket, a hint that spares the peer its demultiplexing lookup.
  std::uint32_t peer_socket = kNoSocket;
  std::uint16_t mss = 0;        ///< data bytes per segment (the timestamp option's 12 taken off)
  std::uint16_t rcv_mss = 0;    ///< the largest segment received (Linux icsk_ack.rcv_mss)
  std::uint8_t snd_wscale = 0;  ///< the peer's window scale shift
  TcpState state = TcpState::Free;
  std::uint8_t msg_head = 0;
  std::uint8_t msg_count = 0;
  std::uint8_t pending_count = 0;
  std::uint8_t dupacks = 0;
  std::uint8_t retries = 0;     ///< consecutive timeouts (SYN, SYN-ACK or data)
  bool accepted : 1 = false;    ///< the application knows the socket (connect, or accepted)
  bool in_queue : 1 = false;    ///< waiting in a listener's accept queue
  bool fin_queued : 1 = false;  ///< tcp_close called: FIN follows the data
  bool peer_fin : 1 = false;    ///< FIN received in order
  bool peer_fin_undelivered : 1 = false;  ///< on_peer_closed waits for tcp_accept
  bool ack_now : 1 = false;     ///< an ACK must go out before the current event ends
  bool rtt_timing : 1 = false;  ///< a segment is being timed (Karn: never a retransmitted one)
  // Options: offered in our SYN until the peer's SYN or SYN-ACK answers, agreed after.
  bool ts_ok : 1 = false;       ///< timestamps on every segment
  bool sack_ok : 1 = false;     ///< SACK-permitted
  bool wscale_ok : 1 = false;   ///< window scaling both ways
  bool confirm_pending : 1 = false;  ///< an ACK made progress: the next segment confirms the neighbour (sk_dst_confirm)
  bool closed_first : 1 = false;     ///< this side sent its FIN before the peer's came: TIME_WAIT follows
  bool room_freed : 1 = false;       ///< an ACK retired whole messages: the app hears on_send_room

  bool live() const { return state != TcpState::Free && state != TcpState::Dead; }
  /// The tag of pending message `i` (< pending_count), received before accept.
  std::uint64_t& pending_tag(int i) { return msg_tag[i]; }
  /// The size of pending message `i`, bytes.
  std::uint32_t& pending_bytes(int i) { return msg_end[i]; }
  /// Accept queue links (valid while in_queue).
  SocketId& q_prev() { return msg_end[kMaxMessages - 2]; }
  SocketId& q_next() { return msg_end[kMaxMessages - 1]; }
  /// True once our FIN is acknowledged.
  bool fin_acked() const { return fin_queued && seq_gt(snd_una, snd_end); }
};

// A host with 100 000 connections must stay well under 1 KB per connection; the accept
// queue's pending messages and links share the send ring (above). 232 bytes with the
// demultiplexing hint (peer_socket). The slab is a ChunkedVector (core/chunked_vector.hpp).
static_assert(sizeof(TcpSocket) <= 232, "TcpSocket grew past 232 bytes");

}  // namespace lvs
