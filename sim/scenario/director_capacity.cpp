#include "scenario/director_capacity.hpp"

#include <algorithm>
#include <cmath>

#include "scenario/director_cpu_spec.hpp"

namespace lvs::scenario {

double segments(const Distribution& size, Protocol protocol) {
  const double mss = protocol == Protocol::Udp ? kFullDatagram : kFullSegment;
  const double n = size.variance() == 0 ? std::ceil(size.mean() / mss) : size.mean() / mss + 0.5;
  return std::max(1.0, n);
}

// TCP: the request's data segments and the client's ACKs of every second response segment
// go to the server; the response's segments and the server's ACKs of every second request
// segment come back (RFC 1122 §4.2.3.2; a lone segment is acknowledged by the next data or
// by the FIN, so it adds no packet). The connection's SYN, handshake ACK, FIN and last ACK
// go to the server, SYN-ACK and the server's FIN (carrying its ACK) come back (RFC 9293
// §3.5), shared by the connection's requests.
RequestPackets request_packets(double req, double resp, std::uint32_t per_connection, Protocol protocol) {
  if (protocol == Protocol::Udp) return RequestPackets{req, resp};  // one datagram each way, in fragments
  const double share = 1.0 / std::max<std::uint32_t>(per_connection, 1);
  return RequestPackets{req + std::floor(resp / 2) + 4 * share, resp + std::floor(req / 2) + 2 * share};
}

double director_packets(Method m, const RequestPackets& p) {
  return m == Method::Nat || m == Method::FullNat ? p.to_server + p.to_client : p.to_server;
}

std::optional<DirectorCapacity> director_capacity(const DirectorCpuConfig& cpu, Method m, const RequestPackets& p,
                                                  std::uint32_t per_connection) {
  const std::optional<Time> cost = packet_cost(cpu, m);
  if (!cost) return std::nullopt;
  DirectorCapacity c;
  c.mode = m;
  c.profile = cpu.profile;
  c.cores = cpu.cores;
  c.packets_per_request = director_packets(m, p);
  c.per_packet = *cost;
  c.per_connection = cpu.connection;
  c.connections_per_request = 1.0 / std::max<std::uint32_t>(per_connection, 1);
  const double seconds = c.packets_per_request * cost->seconds() + c.connections_per_request * cpu.connection.seconds();
  if (!(seconds > 0)) return std::nullopt;
  c.max_requests_per_s = cpu.cores / seconds;
  return c;
}

}  // namespace lvs::scenario
