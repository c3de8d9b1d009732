#include "run/trace_recorder.hpp"

#include <algorithm>
#include <iterator>

#include "net/interface.hpp"
#include "net/node.hpp"
#include "nodes/request_tag.hpp"
#include "storage/nfs_wire.hpp"

namespace lvs::run {

namespace {

// How long the run goes on after the flow has closed: its last ACK still has to arrive.
constexpr Time kAfterClose = Time::s(1);
constexpr std::string_view kArpFailure = "ARP: no reply from ";

bool is_l4(const Packet& p) {
  return p.ethertype == EtherType::Ipv4 && (p.ip.proto == IpProto::Tcp || p.ip.proto == IpProto::Udp);
}

bool is_icmp(const Packet& p) { return p.ethertype == EtherType::Ipv4 && p.ip.proto == IpProto::Icmp; }

// A frame the NIC drops: unicast to another MAC (flooded by a switch that has not learnt it yet).
bool filtered(const RawEvent& e) {
  return e.event == HopEvent::In && !e.pkt.eth_dst.is_broadcast() && e.pkt.eth_dst != e.iface->mac();
}

bool is_arp(const RawEvent& e, HopEvent event, ArpOp op) {
  return e.event == event && e.pkt.arp.op == op;
}

}  // namespace

TraceRecorder::TraceRecorder(const Host& client, std::uint64_t session, std::uint32_t udp_requests, Time quiet)
    : client_(client), wanted_(session), udp_requests_(udp_requests), quiet_(quiet) {}

void TraceRecorder::on_transmit(Time t, const Interface& out, const Packet& p) {
  observe(RawEvent{0, t, HopEvent::Out, &out.node(), &out, p, {}});
}

void TraceRecorder::on_receive(Time t, const Interface& in, const Packet& p) {
  observe(RawEvent{0, t, HopEvent::In, &in.node(), &in, p, {}});
}

void TraceRecorder::on_action(Time t, const Node& n, const Packet& p, std::string_view what) {
  observe(RawEvent{0, t, HopEvent::Action, &n, nullptr, p, std::string(what)});
}

void TraceRecorder::on_drop(Time t, const Node& n, const Packet& p, std::string_view why) {
  observe(RawEvent{0, t, HopEvent::Drop, &n, nullptr, p, std::string(why)});
}

void TraceRecorder::observe(RawEvent e) {
  e.seq = seq_++;
  if (e.pkt.ethertype == EtherType::Arp) {
    arp_.push_back(std::move(e));
    return;
  }
  const bool first = !found_ && count_flow(e);
  if (!found_ || (!first && !belongs(e))) return;
  if (first) ids_[e.pkt.id] = true;
  track_end(e);
  last_ = e.t;
  events_.push_back(std::move(e));
}

// A TCP or UDP frame the client sends (or drops on its way out) with a four-tuple it has
// not sent before starts its next flow.
bool TraceRecorder::count_flow(const RawEvent& e) {
  const Packet& p = e.pkt;
  if ((e.event != HopEvent::Out && e.event != HopEvent::Drop) || e.node != &client_ || !is_l4(p) ||
      !client_.is_local(p.ip.src))
    return false;
  const Key k{p.ip.proto, p.ip.src.value(), p.sport, p.ip.dst.value(), p.dport};
  if (!client_flows_.insert(k).second || ++flows_ != wanted_) return false;
  found_ = true;
  first_ = p;
  forms_.insert(k);
  forms_.insert(Key{p.ip.proto, p.ip.dst.value(), p.dport, p.ip.src.value(), p.sport});
  return true;
}

// A packet of the flow: one already seen (its id), one with an address form of the flow
// (a reply, or a rewritten packet), or an ICMP error quoting one. Every form a packet of the
// flow takes is learnt, so that replies to rewritten packets are recognised.
bool TraceRecorder::belongs(const RawEvent& e) {
  const Packet& p = e.pkt;
  if (nfs_ids_.count(p.id) != 0) return true;  // an NFS frame of the request, at a later hop
  if (ids_.count(p.id) == 0) {
    Key k;
    if (is_l4(p))
      k = Key{p.ip.proto, p.ip.src.value(), p.sport, p.ip.dst.value(), p.dport};
    else if (is_icmp(p))
      k = Key{p.icmp.quoted_ip.proto, p.icmp.quoted_ip.src.value(), p.icmp.quoted_sport, p.icmp.quoted_ip.dst.value(),
              p.icmp.quoted_dport};
    else
      return false;
    if (forms_.count(k) == 0) return nfs_of_request(e);
    ids_[p.id] = e.node == &client_;
    if (!file_ && ids_[p.id] && p.payload > 0) file_ = RequestTag::file(p.app);
  }
  if (is_l4(p)) {
    forms_.insert(Key{p.ip.proto, p.ip.src.value(), p.sport, p.ip.dst.value(), p.dport});
    forms_.insert(Key{p.ip.proto, p.ip.dst.value(), p.dport, p.ip.src.value(), p.sport});
  }
  return true;
}

// The NFS calls the traced request causes (a web server opening its file) and their
// replies: calls for the request's file while the session is open, replies by their xid.
// Another request for the same file on the same server at the same time would show too.
bool TraceRecorder::nfs_of_request(const RawEvent& e) {
  const Packet& p = e.pkt;
  if (!file_ || closed_ || !p.is_tcp() || p.payload == 0 || p.is_later_fragment()) return false;
  if (p.dport == storage::kNfsPort) {
    const storage::RpcCallTag call = storage::decode_call(p.app);
    if (call.file != *file_) return false;
    nfs_xids_.insert({p.ip.src.value(), call.xid});
  } else if (p.sport == storage::kNfsPort) {
    if (nfs_xids_.count({p.ip.dst.value(), storage::decode_reply(p.app).xid}) == 0) return false;
  } else {
    return false;
  }
  ids_[p.id] = false;
  nfs_ids_.insert(p.id);
  return true;
}

// TCP: closed by a RST, or once both sides have sent their FIN. UDP: closed when the
// client has every response of the session.
void TraceRecorder::track_end(const RawEvent& e) {
  const Packet& p = e.pkt;
  if (!is_l4(p) || closed_) return;
  if (p.ip.proto == IpProto::Tcp) {
    if (p.has_flag(tcp_flags::kFin)) (ids_[p.id] ? fin_client_ : fin_server_) = true;
    closed_ = p.has_flag(tcp_flags::kRst) || (fin_client_ && fin_server_);
  } else if (e.event == HopEvent::In && e.node == &client_ && !ids_[p.id]) {
    std::uint32_t& got = udp_bytes_[p.app];
    const bool was_complete = got >= p.message_bytes;
    got += p.payload;
    if (!was_complete && got >= p.message_bytes) ++udp_done_;
    closed_ = udp_done_ >= udp_requests_;
  }
  if (closed_) closed_at_ = e.t;
}

bool TraceRecorder::done(Time next) const {
  if (!found_) return false;
  return (closed_ && next > closed_at_ + kAfterClose) || next > last_ + quiet_;
}

// The ARP exchange a frame of the flow waited for: an ARP reply received on the interface
// the frame leaves by, at the same instant, from the MAC the frame goes to (Host::learn
// sends the waiting packets at once); with the requests for that address sent from that
// interface since the previous such reply. For a packet dropped because ARP got no answer:
// the requests for that address sent from that node.
void TraceRecorder::add_exchanges(const RawEvent& e, std::set<std::uint64_t>& arp_ids) const {
  if (e.event == HopEvent::Drop && e.text.starts_with(kArpFailure)) {
    const std::string target = e.text.substr(kArpFailure.size(), e.text.find(' ', kArpFailure.size()) - kArpFailure.size());
    for (const RawEvent& q : arp_)
      if (q.seq < e.seq && q.node == e.node && is_arp(q, HopEvent::Out, ArpOp::Request) && q.pkt.arp.target_ip.str() == target)
        arp_ids.insert(q.pkt.id);
    return;
  }
  if (e.event != HopEvent::Out) return;
  const auto reply = std::find_if(arp_.begin(), arp_.end(), [&](const RawEvent& r) {
    return r.seq < e.seq && r.t == e.t && r.iface == e.iface && is_arp(r, HopEvent::In, ArpOp::Reply) &&
           r.pkt.arp.sender_mac == e.pkt.eth_dst;
  });
  if (reply == arp_.end()) return;
  arp_ids.insert(reply->pkt.id);
  const Ipv4Address target = reply->pkt.arp.sender_ip;
  std::uint64_t since = 0;  // the previous reply from `target` on this interface
  for (auto r = arp_.begin(); r != reply; ++r)
    if (r->iface == e.iface && is_arp(*r, HopEvent::In, ArpOp::Reply) && r->pkt.arp.sender_ip == target) since = r->seq;
  for (auto q = arp_.begin(); q != reply; ++q)
    if (q->seq > since && q->iface == e.iface && is_arp(*q, HopEvent::Out, ArpOp::Request) &&
        q->pkt.arp.target_ip == target)
      arp_ids.insert(q->pkt.id);
}

// Every answer to the requests kept: the first reply a host sends to the requester after
// receiving the request (a host answers after its reply delay; the ARP problem of DR shows
// as several answers to one request).
void TraceRecorder::add_answers(std::set<std::uint64_t>& arp_ids) const {
  std::set<std::uint64_t> answers;
  for (auto q = arp_.begin(); q != arp_.end(); ++q) {
    if (arp_ids.count(q->pkt.id) == 0 || !is_arp(*q, HopEvent::In, ArpOp::Request)) continue;
    const auto answer = std::find_if(std::next(q), arp_.end(), [&](const RawEvent& r) {
      return r.node == q->node && is_arp(r, HopEvent::Out, ArpOp::Reply) && r.pkt.arp.target_ip == q->pkt.arp.sender_ip &&
             answers.count(r.pkt.id) == 0;
    });
    if (answer != arp_.end()) answers.insert(answer->pkt.id);
  }
  arp_ids.insert(answers.begin(), answers.end());
}

std::vector<RawEvent> TraceRecorder::events() const {
  std::set<std::uint64_t> arp_ids;
  for (const RawEvent& e : events_) add_exchanges(e, arp_ids);
  add_answers(arp_ids);
  std::vector<RawEvent> out;
  for (const RawEvent& e : events_)
    if (!filtered(e)) out.push_back(e);
  for (const RawEvent& e : arp_)
    if (arp_ids.count(e.pkt.id) != 0 && !filtered(e)) out.push_back(e);
  std::sort(out.begin(), out.end(), [](const RawEvent& a, const RawEvent& b) { return a.seq < b.seq; });
  return out;
}

}  // namespace lvs::run
