// The link warning: a link direction or a segment's port whose rate is below the bytes/s the
// workload puts through it. Requests go client -> director -> real server; responses take
// their mode's path: NAT back through the director (the real server's gateway), FULLNAT to
// the director's local address and on to the client, DR and TUN straight to the client
// (docs/queueing-theory.md, "Links"). Bytes per packet: payload plus Ethernet, IPv4 and
// TCP headers (54), the outer IPv4 header (20) between a TUN director and its real servers.

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "net/packet.hpp"
#include "scenario/director_capacity.hpp"
#include "scenario/validate_load.hpp"

namespace lvs::scenario::checks {

namespace {

constexpr double kFrameHeaders = 54;

// Bytes/s through one medium toward one host (a link's direction, a segment's port).
struct Crossing {
  double bytes = 0;
  std::set<std::string> services, modes;
};
// (medium, receiver): views of the spec's names, which outlive the check; ordered as the names.
using Crossings = std::map<std::pair<std::string_view, std::string_view>, Crossing>;

// Adds `bytes`/s to every medium from `from` to `to`, hop by hop along the routes.
void walk(const SpecIndex& index, const HostSpec& from, Ipv4Address to, double bytes, const std::string& service,
          Method m, Crossings& out) {
  const HostSpec* host = &from;
  for (int hop = 0; hop < 32 && host != nullptr; ++hop) {
    const std::optional<RouteChoice> r = route(*host, to);
    if (!r || r->iface == nullptr) return;
    const HostSpec* next = index.owner(r->next_hop);
    if (next == nullptr) return;
    Crossing& c = out[{r->iface->link.empty() ? r->iface->segment : r->iface->link, next->name}];
    c.bytes += bytes;
    c.services.insert(service);
    c.modes.insert(method_name(m));
    if (r->next_hop == to || next == host) return;
    host = next;
  }
}

struct Flow {
  const ServiceSpec* service;
  const HostSpec* client;
  const HostSpec* director;
  double requests;  // per second, to this destination
  double request_bytes, response_bytes;
  double tunnel_bytes;  // TUN: the outer headers of a request's packets, director -> real server
};

void walk_destination(const SpecIndex& index, const Flow& f, const DestinationSpec& d, Crossings& out) {
  const HostSpec* server = of_kind(index, d.server, HostKind::Server);
  if (server == nullptr) return;
  const ServiceSpec& s = *f.service;
  const Ipv4Address rip = d.address.value_or(primary_address(*server));
  const Ipv4Address caddr = primary_address(*f.client);
  walk(index, *f.client, s.vip, f.requests * f.request_bytes, s.name, d.method, out);
  walk(index, *f.director, rip, f.requests * (f.request_bytes + f.tunnel_bytes), s.name, d.method, out);
  if (d.method == Method::FullNat && !s.local_addresses.empty()) {
    walk(index, *server, s.local_addresses.front(), f.requests * f.response_bytes, s.name, d.method, out);
    walk(index, *f.director, caddr, f.requests * f.response_bytes, s.name, d.method, out);
  } else {
    walk(index, *server, caddr, f.requests * f.response_bytes, s.name, d.method, out);
  }
}

void add_service(const SpecIndex& index, const ServiceSpec& s, Crossings& out) {
  const HostSpec* director = of_kind(index, s.director, HostKind::Director);
  double total = 0;
  for (const DestinationSpec& d : s.destinations) total += d.weight;
  if (director == nullptr || total == 0) return;
  const Serving srv = serving(index, s);
  double offered = 0;
  for (const ClientSpec& c : index.spec().workload.clients)
    if (uses(c, s) && c.users == 0) offered += load_of(index.spec(), c, srv).rate * c.requests_per_connection;
  const double cap = offered > 0 ? std::min(1.0, srv.capacity / offered) : 0;
  for (const ClientSpec& c : index.spec().workload.clients) {
    const HostSpec* client = of_kind(index, c.host, HostKind::Client);
    if (!uses(c, s) || client == nullptr) continue;
    const double rps = load_of(index.spec(), c, srv).rate * c.requests_per_connection * (c.users == 0 ? cap : 1);
    const RequestPackets p = request_packets(segments(c.request_size, s.protocol), srv.response_segments,
                                             c.requests_per_connection, s.protocol);
    for (const DestinationSpec& d : s.destinations) {
      const Flow f{&s, client, director, rps * d.weight / total, c.request_size.mean() + p.to_server * kFrameHeaders,
             srv.response + p.to_client * kFrameHeaders, d.method == Method::Tun ? p.to_server * kIpv4Header : 0};
      walk_destination(index, f, d, out);
    }
  }
}

const TxSpec* medium_rate(const ScenarioSpec& spec, std::string_view name, const Origin*& origin, bool& segment) {
  for (const SegmentSpec& s : spec.topology.segments)
    if (s.name == name) return origin = &s.origin, segment = true, &s.port;
  for (const LinkSpec& l : spec.topology.links)
    if (l.name == name) return origin = &l.origin, segment = false, &l.tx;
  return nullptr;
}

std::string megabits(double bits) { return rough(bits / 1e6) + " Mbit/s"; }

std::string joined(const std::set<std::string>& names, bool upper) {
  std::string out;
  for (std::string n : names) {
    if (upper)
      for (char& ch : n) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    out += (out.empty() ? "" : ", ") + n;
  }
  return out;
}

}  // namespace

void warn_links(const SpecIndex& index, Findings& out) {
  Crossings crossings;
  for (const ServiceSpec& s : index.spec().services) add_service(index, s, crossings);
  for (const auto& [key, c] : crossings) {
    const Origin* origin = nullptr;
    bool segment = false;
    const TxSpec* tx = medium_rate(index.spec(), key.first, origin, segment);
    if (tx == nullptr) continue;
    const double bits = c.bytes * 8, rate = static_cast<double>(tx->rate.bits_per_second());
    if (bits <= rate) continue;
    out.warning(index.key(*origin, "rate"),
                std::string(segment ? "segment " + std::string(key.first) + "'s port to "
                                    : "link " + std::string(key.first) + " toward ") +
                    std::string(key.second) + " would carry " + megabits(bits) + " of service " + joined(c.services, false) +
                    " (" + joined(c.modes, true) + ": requests in, responses on the mode's path), above its rate " +
                    tx->rate.str() + ": its queue fills and drops packets; use a faster link or " +
                    (c.modes.count("nat") != 0 ? "DR, whose responses bypass the director" : "spread the load"));
  }
}

}  // namespace lvs::scenario::checks
