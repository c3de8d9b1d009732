#pragma once
// IPVS connection states and how TCP flags move a connection between them
// (ipvs-semantics.md §3; net/netfilter/ipvs/ip_vs_proto_tcp.c: tcp_states, set_tcp_state).

#include <cstdint>
#include <string_view>

#include "core/time.hpp"

namespace lvs {

/// Whose IPVS a connection follows. Mainline Linux has no FULLNAT; FULLNAT connections follow
/// the implementation that ships it: Alibaba's LVS kernel (2.6.32) or DPVS. They differ from
/// mainline in their timeout table and in which states count as active (docs/fullnat.md).
enum class Flavour : std::uint8_t { Mainline, Alibaba, Dpvs };
/// "mainline", "alibaba", "dpvs".
std::string_view flavour_name(Flavour f);

/// IP_VS_TCP_S_*; UDP connections stay in Udp.
enum class ConnState : std::uint8_t {
  None, Established, SynSent, SynRecv, FinWait, TimeWait, Close, CloseWait, LastAck, Listen, SynAck, Udp
};

/// Which table a packet is looked up in: NAT connections see both directions; DR and TUN
/// connections carry IP_VS_CONN_F_NOOUTPUT and use INPUT_ONLY until a reply is ever seen.
enum class ConnDirection : std::uint8_t { Input, Output, InputOnly };

/// The state after a TCP packet with `flags` in `dir`; the flags are tested in the
/// order RST, SYN, FIN, ACK (tcp_state_idx), so SYN+ACK counts as SYN and FIN+ACK as FIN.
/// A packet with none of them leaves the state unchanged.
ConnState next_tcp_state(ConnState s, ConnDirection dir, std::uint8_t tcp_flags);
/// Whether a state counts in activeconns. Mainline (since Linux 4.8, tcp_state_active):
/// ESTABLISHED, SYN_SENT, SYN_RECV, SYNACK. Alibaba and DPVS (set_tcp_state,
/// tcp_state_trans): ESTABLISHED only.
bool is_active(ConnState s, Flavour f = Flavour::Mainline);
/// The default timeout of a state in the flavour's table (tcp_timeouts[], UDP 300 s).
Time state_timeout(ConnState s, Flavour f = Flavour::Mainline);
/// The name ipvsadm -lnc prints: "ESTABLISHED", "SYN_RECV", "UDP" ...
std::string_view state_name(ConnState s);

}  // namespace lvs
