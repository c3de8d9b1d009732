#include "run/trace.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

#include "capture/observer_fanout.hpp"
#include "capture/pcap_writer.hpp"
#include "run/builder.hpp"
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
  std::optional<PcapWriter> pcap;
  if (req.pcap) watchers.add(pcap.emplace(*req.pcap, default_capture_points(*m, spec)));
  m->net.set_observer(&watchers);
  m->sim.set_interrupt(req.interrupt);
  if (req.on_start) req.on_start(m->sim);
  const bool done = run_until_done(m->sim, rec, spec.duration);
  m->net.set_observer(nullptr);
  if (pcap) pcap->close();
  const bool interrupted = m->sim.interrupted() && !rec.closed();
  if (interrupted && !rec.found())
    throw Interrupted("interrupted at " + to_string(m->sim.now()) + " of " + to_string(spec.duration) +
                      " simulated, before session " + std::to_string(req.session) + " sent a packet");
  if (!rec.found()) never_opened(c, *client, spec, req.session);

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
  const std::vector<RawEvent> events = rec.events();
  t.start = events.front().t;
  t.rows = rows_of(events, *client);
  t.macs = macs_of(m->net);
  t.summary = summary_of(t.rows, *m);
  return t;
}

std::string_view mode_example_file(std::string_view mode) {
  if (mode == "nat") return "nat-basic";
  if (mode == "dr") return "dr-basic";
  if (mode == "tun") return "tun-wan";
  if (mode == "fullnat") return "fullnat-cloud";
  std::string valid;
  for (std::string_view m : kTraceModes) valid += (valid.empty() ? "" : ", ") + std::string(m);
  throw std::invalid_argument("--modes: unknown mode '" + std::string(mode) + "'; valid modes: " + valid);
}

namespace {

// The findings of `spec` that `before` does not have (by severity, key and message).
std::vector<scenario::Finding> new_findings(const ScenarioSpec& spec, const std::vector<scenario::Finding>& before) {
  std::set<std::tuple<scenario::Finding::Severity, std::string, std::string>> old;
  for (const scenario::Finding& f : before) old.emplace(f.severity, f.origin.path, f.message);
  std::vector<scenario::Finding> out;
  for (const scenario::Finding& f : scenario::validate(spec))
    if (old.count({f.severity, f.origin.path, f.message}) == 0) out.push_back(f);
  return out;
}

// `spec` with every destination's method switched to `mode`.
ScenarioSpec switched(ScenarioSpec spec, std::string_view mode) {
  for (scenario::ServiceSpec& s : spec.services)
    for (scenario::DestinationSpec& d : s.destinations) d.method = scenario::method_named(mode);
  return spec;
}

ModeTrace trace_mode(const ScenarioSpec& given, const std::string& mode, const TraceRequest& req) {
  const std::string example = std::string(mode_example_file(mode));
  ModeTrace w{mode, given.file, {}, {}};
  const ScenarioSpec spec = switched(given, mode);
  const std::vector<scenario::Finding> added = new_findings(spec, scenario::validate(given));
  if (added.empty()) {
    w.note = "every destination of " + given.name + " switched to " + mode;
    w.trace = trace_request(spec, req);
    return w;
  }
  const std::string why = given.name + " does not suit " + mode + ": " + added.front().message;
  const std::filesystem::path fallback = std::filesystem::path(given.file).parent_path() / (example + ".yaml");
  if (!std::filesystem::exists(fallback)) {
    w.note = why + " (and no " + example + ".yaml next to it)";
    return w;
  }
  const ScenarioSpec other = scenario::read_scenario(fallback.string());
  for (const scenario::Finding& f : scenario::validate(other))
    if (f.severity == scenario::Finding::Severity::Error) {
      w.note = why + "; " + example + ".yaml next to it has an error: " + f.message;
      return w;
    }
  TraceRequest r = req;
  const bool has_client = std::any_of(other.workload.clients.begin(), other.workload.clients.end(),
                                      [&](const ClientSpec& c) { return c.name == r.client || c.host == r.client; });
  if (!has_client) r.client.clear();
  w.file = fallback.string();
  w.note = why + "; walked in " + example + ".yaml instead";
  w.trace = trace_request(other, r);
  return w;
}

}  // namespace

std::vector<ModeTrace> trace_modes(const ScenarioSpec& spec, const std::vector<std::string>& modes,
                                   const TraceRequest& req) {
  for (const std::string& m : modes) mode_example_file(m);  // every name checked before any run
  std::vector<ModeTrace> out;
  for (const std::string& m : modes) {
    out.push_back(trace_mode(spec, m, req));
    if (req.interrupt != nullptr && req.interrupt->load()) break;  // the walks so far
  }
  return out;
}

std::vector<ModeTrace> trace_modes(const std::string& path, const std::vector<std::string>& overrides,
                                   const std::vector<std::string>& modes, const TraceRequest& req) {
  for (const std::string& m : modes) mode_example_file(m);  // before reading: the name is the first error
  return trace_modes(scenario::read_scenario(path, overrides), modes, req);
}

}  // namespace lvs::run
