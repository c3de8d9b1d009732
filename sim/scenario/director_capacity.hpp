#pragma once
// What one request costs a director, by forwarding mode, and the requests/s its cores can
// forward: packets per request (TCP's segments, ACKs, handshake and close; NAT and FULLNAT
// see both directions, DR and TUN the client's half only) times the profile's cost per
// packet, plus the cost of the connection IPVS creates, shared by the connection's
// requests. validate's capacity warnings and `lvslab theory` both use it, so they agree.
// Sources: RFC 9293 §3.5 (three-way handshake, FIN each way), RFC 1122 §4.2.3.2 (an ACK
// for at least every second full-sized segment); docs/queueing-theory.md, "Director capacity".

#include <cstdint>
#include <optional>
#include <string>

#include "core/distribution.hpp"
#include "lvs/director_cpu.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::scenario {

/// Bytes of payload in a full TCP segment on a 1500-byte MTU (1500 - 20 IP - 20 TCP).
inline constexpr double kFullSegment = 1460;

/// Packets of one request and its response, on average, by direction.
struct RequestPackets {
  double to_server = 0;   ///< client -> real server: data, ACKs of the response, its share of SYN/ACK/FIN/ACK
  double to_client = 0;   ///< real server -> client: data, ACKs of the request, its share of SYN-ACK/FIN
};

/// Bytes of payload in a full UDP datagram's share of IP fragments (1500 - 20 IP - 8 UDP).
inline constexpr double kFullDatagram = 1472;

/// Packets carrying `size` bytes (a distribution of bytes): ceil(size / MSS) for a fixed
/// size; mean / MSS + 1/2 otherwise (the last one is on average half full). At least 1.
/// MSS: kFullSegment for TCP, kFullDatagram (per fragment) for UDP.
double segments(const Distribution& size, Protocol protocol);

/// The packets of one request of `request_segments` answered by `response_segments` (from
/// segments()), on a connection carrying `per_connection` requests (TCP) or none (UDP: the
/// datagrams alone, no handshake).
RequestPackets request_packets(double request_segments, double response_segments, std::uint32_t per_connection,
                               Protocol protocol);

/// The packets a director in mode `m` forwards per request: both directions for NAT and
/// FULLNAT, the client's half for DR and TUN (replies go straight to the client).
double director_packets(Method m, const RequestPackets& p);

/// What the requests of one mode cost a director and what it can forward.
struct DirectorCapacity {
  Method mode = Method::Dr;
  std::string profile;
  int cores = 1;
  double packets_per_request = 0;  ///< director_packets()
  Time per_packet;                 ///< the profile's (or scenario's) cost in this mode
  Time per_connection;             ///< added once per connection IPVS creates
  double connections_per_request = 1;  ///< 1 / requests per connection
  double max_requests_per_s = 0;   ///< cores / (packets x per_packet + per_connection / requests per connection)
};

/// The director capacity for requests of mode `m` on `cpu`; none if the profile has no such
/// mode (validate refuses that) or a request costs nothing.
std::optional<DirectorCapacity> director_capacity(const DirectorCpuConfig& cpu, Method m, const RequestPackets& p,
                                                  std::uint32_t per_connection);

}  // namespace lvs::scenario
