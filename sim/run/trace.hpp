#pragma once
// `lvslab trace`: the hop-by-hop walk of one request and its reply. The scenario runs as
// configured (other sessions interleave, unseen) until the traced session has closed; a
// PacketObserver keeps the frames, actions and drops of that session's packets (followed
// through rewrites and encapsulation by Packet::id and by every form their addresses take)
// and the ARP exchanges its packets waited for.
//
// The traced session is the N-th flow (protocol, source address and port, destination)
// the client population starts sending, in the order of its first frame; that is the order
// in which the client opens its sessions, since one interface sends them first-in first-out.

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.hpp"
#include "net/packet.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs {
class Simulation;
}

namespace lvs::run {

/// Which request to trace.
struct TraceRequest {
  std::string client;         ///< the client population's name (or its host's); "" = the first
  std::uint64_t session = 1;  ///< the N-th session the population opens, from 1
  /// Also write the request's frames to this pcap file: every frame of the walk (its
  /// packets both ways, the ARP exchanges they waited for, ICMP about them), each once, as
  /// its interface sends it.
  std::optional<std::string> pcap;
  /// With `pcap`: write instead every frame that crosses the default capture points (run.hpp)
  /// while the trace runs, other sessions' included, each once, as it is sent.
  bool pcap_all = false;
  /// When it becomes true (SIGINT), the walk stops after the executing event: Trace::End::Interrupted.
  const std::atomic<bool>* interrupt = nullptr;
  /// Called with the simulation before it runs (tests: an event raising SIGINT).
  std::function<void(Simulation&)> on_start;
};

/// Thrown when an interrupt stops a trace before the traced session sent anything.
struct Interrupted : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class HopEvent { In, Out, Action, Drop };

/// One row: a frame reaching (in) or leaving (out) an interface, or a node's action on a
/// packet or its drop.
struct TraceRow {
  Time t;                            ///< since the trace's first row
  HopEvent event = HopEvent::Out;
  std::string node;
  std::string iface;                 ///< in/out rows only
  Packet packet;                     ///< the frame as it was at this row (actions: as reported)
  std::string text;                  ///< the action, or why the packet was dropped
  /// Fields that differ from this packet's previous row: eth_src, eth_dst, outer (the IPIP
  /// header added or removed), outer_src, outer_dst, ip_src, ip_dst, sport, dport, bytes,
  /// tcp_options (an option added, removed or rewritten: FULLNAT's TOA and MSS).
  std::vector<std::string> changed;
  bool to_server = true;             ///< the packet was sent by the client (ARP: by anyone)
  /// Why a director or real server acted as it did at this hop, one sentence (hop_reason.hpp); "" elsewhere.
  std::string reason;

  bool is_frame() const { return event == HopEvent::In || event == HopEvent::Out; }
  bool changed_field(std::string_view f) const;
};

/// What one request cost, for the comparison of modes.
struct TraceSummary {
  std::uint64_t packets = 0;             ///< distinct IP packets of the request (ARP not counted)
  std::uint64_t hops = 0;                ///< frames of them received by a host (link traversals)
  std::uint64_t arp_frames = 0;          ///< ARP frames received by a host
  std::uint64_t director_frames = 0;     ///< frames of the request the directors received
  std::uint64_t director_to_server = 0;  ///< of which sent by the client
  std::uint64_t director_to_client = 0;  ///< of which sent by the server side
  std::uint64_t director_bytes_in = 0;   ///< their frame bytes
  std::uint64_t director_bytes_out = 0;  ///< frame bytes of the request the directors sent (IPIP: 20 more each)
  Time span;                             ///< first row to last
};

struct Trace {
  std::string scenario;   ///< the scenario's name
  std::string client;     ///< the population's name
  std::uint64_t session = 1;
  IpProto proto = IpProto::Tcp;  ///< the flow, as the client sends it
  Ipv4Address src, dst;
  std::uint16_t sport = 0, dport = 0;
  Time start;             ///< simulated time of the first row
  /// How the walk ended: the session closed (TCP: both FINs or a RST; UDP: every
  /// response in), went quiet (nothing of it for the client's timeout and a second),
  /// the scenario's duration ran out first, or an interrupt (SIGINT) stopped it at `stopped`.
  enum class End { Closed, Quiet, Duration, Interrupted } end = End::Closed;
  Time stopped;           ///< simulated time when the walk ended early (End::Interrupted)
  Time quiet;             ///< the quiet limit
  Time duration;          ///< the scenario's duration
  std::vector<TraceRow> rows;
  /// Every Ethernet interface's MAC and "node/iface", for the legend.
  std::vector<std::pair<MacAddress, std::string>> macs;
  TraceSummary summary;
};

/// Runs `spec` (validated) until session `req.session` of `req.client` has closed, and
/// returns its walk. Throws std::invalid_argument naming --client or --request when there
/// is no such client or the run never opens that session.
Trace trace_request(const scenario::ScenarioSpec& spec, const TraceRequest& req);

/// The forwarding modes --modes knows, as the YAML writes them.
inline constexpr std::array<std::string_view, 4> kTraceModes{"nat", "dr", "tun", "fullnat"};
/// The bundled scenario file that shows each mode (scenarios/FILE.yaml).
std::string_view mode_example_file(std::string_view mode);

/// One walk of --modes: the trace, or why there is none.
struct ModeTrace {
  std::string mode;
  std::string file;   ///< the scenario file walked
  std::string note;   ///< how the topology was chosen (the changes made), or why the mode was not run
  std::vector<std::string> changes;  ///< what the derived variant changed besides the methods (none: fell back)
  std::optional<Trace> trace;
  std::optional<scenario::ScenarioSpec> spec;  ///< the scenario walked: derived, or the example
};

/// For each mode: the scenario at `path` (with `overrides`) derived for the mode
/// (derive_mode_variant: every destination's method switched, and what the mode needs), when
/// that is possible and adds no validation error; otherwise the mode's example scenario next
/// to `path` (mode_example_file), with a note saying why. Throws std::invalid_argument for a
/// mode not in kTraceModes.
std::vector<ModeTrace> trace_modes(const std::string& path, const std::vector<std::string>& overrides,
                                   const std::vector<std::string>& modes, const TraceRequest& req);
/// As above, on a scenario already read: the mode examples are looked up next to `spec.file`,
/// and ModeTrace::file of a mode walked in place is `spec.file`.
std::vector<ModeTrace> trace_modes(const scenario::ScenarioSpec& spec, const std::vector<std::string>& modes,
                                   const TraceRequest& req);

/// How to print a trace.
struct TraceFormat {
  bool colour = false;     ///< ANSI colours (a terminal)
  std::size_t width = 80;  ///< columns
};

/// The walk as text: a header, two lines per frame, one per action; then the summary.
std::string format_trace(const Trace& t, const TraceFormat& f);
/// The walks one after another, then one comparison line per mode.
std::string format_modes(const std::vector<ModeTrace>& walks, const TraceFormat& f);
/// The trace as JSON: header fields, "rows" (each field separately, "changed": [names]), "summary".
std::string trace_to_json(const Trace& t);
/// --modes as JSON: {"modes": [{"mode", "file", "note", "trace"}]}.
std::string modes_to_json(const std::vector<ModeTrace>& walks);

}  // namespace lvs::run
