#pragma once
// The observer behind `lvslab trace` (run/trace.hpp): finds the N-th flow a client sends,
// keeps every event of that flow's packets, and every ARP event, from which it picks, at
// the end, the ARP exchanges the flow's packets waited for.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "net/host.hpp"
#include "net/observer.hpp"
#include "run/trace.hpp"

namespace lvs::run {

/// An observer call, with a copy of the packet as it was then.
struct RawEvent {
  std::uint64_t seq = 0;  ///< call order
  Time t;
  HopEvent event = HopEvent::Out;
  const Node* node = nullptr;
  const Interface* iface = nullptr;  ///< in/out only
  Packet pkt;
  std::string text;
};

class TraceRecorder : public PacketObserver {
 public:
  /// Traces the `session`-th flow `client` sends. A UDP session ends after `udp_requests`
  /// responses; any session is given up after `quiet` without a frame of it.
  TraceRecorder(const Host& client, std::uint64_t session, std::uint32_t udp_requests, Time quiet);

  void on_transmit(Time t, const Interface& out, const Packet& p) override;
  void on_receive(Time t, const Interface& in, const Packet& p) override;
  void on_action(Time t, const Node& n, const Packet& p, std::string_view what) override;
  void on_drop(Time t, const Node& n, const Packet& p, std::string_view why) override;

  /// The flow has been seen.
  bool found() const { return found_; }
  /// Flows the client has started so far.
  std::uint64_t flows() const { return flows_; }
  /// The flow has ended (both FINs, a RST, or the UDP responses in).
  bool closed() const { return closed_; }
  /// True when nothing of the flow can happen any more by time `next`.
  bool done(Time next) const;
  /// The flow's first frame as the client sent it.
  const Packet& first() const { return first_; }
  /// The flow's events and the ARP exchanges they waited for, in order; in-rows of unicast
  /// frames for another MAC (which the NIC drops) left out.
  std::vector<RawEvent> events() const;

 private:
  using Key = std::tuple<IpProto, std::uint32_t, std::uint16_t, std::uint32_t, std::uint16_t>;
  void observe(RawEvent e);
  bool count_flow(const RawEvent& e);
  bool belongs(const RawEvent& e);
  bool nfs_of_request(const RawEvent& e);
  void track_end(const RawEvent& e);
  void add_exchanges(const RawEvent& e, std::set<std::uint64_t>& arp_ids) const;
  void add_answers(std::set<std::uint64_t>& arp_ids) const;

  const Host& client_;
  std::uint64_t wanted_;
  std::uint32_t udp_requests_;
  Time quiet_;
  std::uint64_t seq_ = 0;
  std::uint64_t flows_ = 0;
  std::set<Key> client_flows_;
  bool found_ = false;
  Packet first_;
  std::set<Key> forms_;                     ///< the flow's address forms, both directions
  std::map<std::uint64_t, bool> ids_;       ///< the flow's packet ids: sent by the client?
  std::optional<std::uint32_t> file_;       ///< the file the traced request names
  std::set<std::pair<std::uint32_t, std::uint32_t>> nfs_xids_;  ///< (NFS client address, xid) of its calls
  std::set<std::uint64_t> nfs_ids_;         ///< the ids of those calls' and replies' frames
  std::vector<RawEvent> events_;
  std::vector<RawEvent> arp_;
  bool fin_client_ = false, fin_server_ = false, closed_ = false;
  Time closed_at_, last_;
  std::map<std::uint64_t, std::uint32_t> udp_bytes_;  ///< response bytes in, by request tag
  std::uint32_t udp_done_ = 0;
};

}  // namespace lvs::run
