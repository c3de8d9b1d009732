#include "run/trace.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "capture/observer_fanout.hpp"
#include "capture/pcap_writer.hpp"
#include "run/builder.hpp"
#include "run/hop_reason.hpp"
#include "run/run.hpp"
#include "run/trace_recorder.hpp"

namespace lvs::run {

namespace {

using scenario::ClientSpec;
using scenario::ScenarioSpec;

std::string client_names(const ScenarioSpec& spec) {
  std::string out;
  for (const ClientSpec& c : spec.workload.clients) out += (out.empty() ? "" : ", ") + c.name;
  return out.empty() ? "none" : out;
}

const ClientSpec& find_client(const ScenarioSpec& spec, const std::string& name) {
  if (spec.workload.clients.empty()) throw std::invalid_argument("the scenario has no client population to trace");
  if (name.empty()) return spec.workload.clients.front();
  for (const ClientSpec& c : spec.workload.clients)
    if (c.name == name || c.host == name) return c;
  throw std::invalid_argument("--client: no client population called '" + name + "'; the scenario has: " +
                              client_names(spec));
}

// Runs event by event until the recorder has seen the flow end (true), or to `end`.
bool run_until_done(Simulation& sim, const TraceRecorder& rec, Time end) {
  for (;;) {
    if (sim.interrupted()) return false;
    const Time next = sim.next_event_time();
    if (rec.done(next)) return true;
    if (next == Time::max() || next > end) return false;
    sim.step();
  }
}

std::vector<std::string> changed_fields(const Packet& a, const Packet& b) {
  std::vector<std::string> out;
  const auto differ = [&](bool d, const char* name) {
    if (d) out.emplace_back(name);
  };
  differ(a.eth_src != b.eth_src, "eth_src");
  differ(a.eth_dst != b.eth_dst, "eth_dst");
  differ(a.encapsulated != b.encapsulated, "outer");
  differ(a.encapsulated && b.encapsulated && a.outer.src != b.outer.src, "outer_src");
  differ(a.encapsulated && b.encapsulated && a.outer.dst != b.outer.dst, "outer_dst");
  differ(a.ip.src != b.ip.src, "ip_src");
  differ(a.ip.dst != b.ip.dst, "ip_dst");
  differ(a.sport != b.sport, "sport");
  differ(a.dport != b.dport, "dport");
  differ(a.is_tcp() && (a.tcp.kinds != b.tcp.kinds || a.tcp.mss != b.tcp.mss || a.tcp.toa_addr != b.tcp.toa_addr),
         "tcp_options");
  differ(a.frame_bytes() != b.frame_bytes(), "bytes");  // last, as the packet walk shows the fields
  return out;
}

// Rows from the recorder's events: times from the first row, who sent each packet, and the
// fields each frame changed relative to the same packet's previous frame. An action or drop
// is marked only when no frame of its packet follows (IPIP decapsulated at the end host).
std::vector<TraceRow> rows_of(const std::vector<RawEvent>& events, const Node& client) {
  std::vector<TraceRow> rows;
  std::map<std::uint64_t, std::size_t> frame;  // packet id -> its last frame row
  std::map<std::uint64_t, bool> to_server;     // packet id -> sent by the client
  for (const RawEvent& e : events) {
    TraceRow r;
    r.t = e.t - events.front().t;
    r.event = e.event;
    r.node = e.node->name();
    if (e.iface != nullptr) r.iface = e.iface->name();
    r.packet = e.pkt;
    r.text = e.text;
    r.to_server = to_server.try_emplace(e.pkt.id, e.pkt.ethertype == EtherType::Arp || e.node == &client).first->second;
    if (const auto prev = frame.find(e.pkt.id); prev != frame.end())
      r.changed = changed_fields(rows[prev->second].packet, e.pkt);
    if (r.is_frame()) frame[e.pkt.id] = rows.size();
    rows.push_back(std::move(r));
  }
  std::set<std::uint64_t> framed_later;
  for (auto r = rows.rbegin(); r != rows.rend(); ++r) {
    if (r->is_frame())
      framed_later.insert(r->packet.id);
    else if (framed_later.count(r->packet.id) != 0)
      r->changed.clear();
  }
  return rows;
}

TraceSummary summary_of(const std::vector<TraceRow>& rows, const Model& m) {
  std::set<std::string> directors;
  for (const Director* d : m.directors) directors.insert(d->name());
  TraceSummary s;
  std::set<std::uint64_t> packets;
  for (const TraceRow& r : rows) {
    const bool ip = r.packet.ethertype == EtherType::Ipv4;
    if (ip) packets.insert(r.packet.id);
    const bool director = ip && directors.count(r.node) != 0;
    if (director && r.event == HopEvent::Out) s.director_bytes_out += r.packet.frame_bytes();
    if (r.event != HopEvent::In) continue;
    ++(ip ? s.hops : s.arp_frames);
    if (!director) continue;
    ++s.director_frames;
    ++(r.to_server ? s.director_to_server : s.director_to_client);
    s.director_bytes_in += r.packet.frame_bytes();
  }
  s.packets = packets.size();
  if (!rows.empty()) s.span = rows.back().t;
  return s;
}

std::vector<std::pair<MacAddress, std::string>> macs_of(const Network& net) {
  std::vector<std::pair<MacAddress, std::string>> out;
  for (const auto& n : net.nodes())
    for (const auto& i : n->interfaces())
      if (i->kind() == InterfaceKind::Ethernet) out.emplace_back(i->mac(), n->name() + "/" + i->name());
  return out;
}

std::vector<const Interface*> ethernet_interfaces(const Network& net) {
  std::vector<const Interface*> points;
  for (const auto& n : net.nodes()) add_ethernet_interfaces(*n, points);
  return points;
}

// The request's frames, each as its interface sends it: the out-rows of the walk.
void write_request(PcapWriter& pcap, const std::vector<RawEvent>& events) {
  for (const RawEvent& e : events)
    if (e.event == HopEvent::Out) pcap.on_transmit(e.t, *e.iface, e.pkt);
}

[[noreturn]] void never_opened(const ClientSpec& c, const Client& client, const ScenarioSpec& spec, std::uint64_t n) {
  const std::string prefix = "--request " + std::to_string(n) + ": client " + c.name;
  if (client.sessions_started() < n)
    throw std::invalid_argument(prefix + " started only " + std::to_string(client.sessions_started()) +
                                " sessions in " + to_string(spec.duration));
  throw std::invalid_argument(prefix + " opened session " + std::to_string(n) + " but it sent no packet in " +
                              to_string(spec.duration));
}

}  // namespace

bool TraceRow::changed_field(std::string_view f) const {
  return std::find(changed.begin(), changed.end(), f) != changed.end();
}

Trace trace_request(const ScenarioSpec& spec, const TraceRequest& req) {
  const ClientSpec& c = find_client(spec, req.client);
  if (req.session == 0) throw std::invalid_argument("--request: sessions are numbered from 1");
  std::unique_ptr<Model> m = build_model(spec, spec.seed);
  const auto* client = dynamic_cast<const Client*>(m->net.node(c.host));
  if (client == nullptr) throw std::invalid_argument("--client: host " + c.host + " runs no client population");
  const std::uint32_t udp_requests = c.protocol == scenario::Protocol::Udp ? c.requests_per_connection : 0;
  const Time quiet = c.timeout + Time::s(1);
  TraceRecorder rec(*client, req.session, udp_requests, quiet);
  ObserverFanout watchers;
  watchers.add(rec);
  // Opened before the run, so that a file that cannot be written is said at once.
  std::optional<PcapWriter> pcap;
  if (req.pcap)
    pcap.emplace(*req.pcap, req.pcap_all ? default_capture_points(*m, spec) : ethernet_interfaces(m->net),
                 CaptureAt::Sender);
  if (pcap && req.pcap_all) watchers.add(*pcap);
  m->net.set_observer(&watchers);
  m->sim.set_interrupt(req.interrupt);
  if (req.on_start) req.on_start(m->sim);
  const bool done = run_until_done(m->sim, rec, spec.duration);
  m->net.set_observer(nullptr);
  const bool interrupted = m->sim.interrupted() && !rec.closed();
  if (interrupted && !rec.found())
    throw Interrupted("interrupted at " + to_string(m->sim.now()) + " of " + to_string(spec.duration) +
                      " simulated, before session " + std::to_string(req.session) + " sent a packet");
  if (!rec.found()) never_opened(c, *client, spec, req.session);
  const std::vector<RawEvent> events = rec.events();
  if (pcap && !req.pcap_all) write_request(*pcap, events);
  if (pcap) pcap->close();

  Trace t;
  t.scenario = spec.name;
  t.client = c.name;
  t.session = req.session;
  const Packet& first = rec.first();
  t.proto = first.ip.proto;
  t.src = first.ip.src, t.sport = first.sport, t.dst = first.ip.dst, t.dport = first.dport;
  t.end = rec.closed() ? Trace::End::Closed
          : interrupted ? Trace::End::Interrupted
          : done        ? Trace::End::Quiet
                        : Trace::End::Duration;
  t.stopped = m->sim.now();
  t.quiet = quiet;
  t.duration = spec.duration;
  t.start = events.front().t;
  t.rows = rows_of(events, *client);
  t.macs = macs_of(m->net);
  t.summary = summary_of(t.rows, *m);
  explain_hops(t, hop_roles(spec));
  return t;
}

}  // namespace lvs::run
