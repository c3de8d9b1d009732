#include "lvs/conn_state.hpp"

#include <array>

#include "net/packet.hpp"

namespace lvs {

namespace {

using S = ConnState;
constexpr int kTcpStates = 11;  // None .. SynAck
using Row = std::array<S, kTcpStates>;

// next[direction][flag class][current state], flag classes in the order syn, fin, ack,
// rst; states in enum order: None, Established, SynSent, SynRecv, FinWait, TimeWait,
// Close, CloseWait, LastAck, Listen, SynAck. Transcribed from the kernel's behaviour
// (mainline) as data; INPUT_ONLY differs from INPUT only in FIN from ESTABLISHED and
// FIN_WAIT, where a half-seen connection goes to FIN_WAIT rather than CLOSE_WAIT/TIME_WAIT.
constexpr std::array<std::array<Row, 4>, 3> kNext{{
    {{  // INPUT
        Row{S::SynRecv, S::Established, S::Established, S::SynRecv, S::SynRecv, S::SynRecv, S::SynRecv, S::SynRecv, S::SynRecv, S::SynRecv, S::SynRecv},
        Row{S::Close, S::CloseWait, S::SynSent, S::TimeWait, S::TimeWait, S::TimeWait, S::Close, S::CloseWait, S::LastAck, S::Listen, S::TimeWait},
        Row{S::Close, S::Established, S::SynSent, S::Established, S::FinWait, S::TimeWait, S::Close, S::CloseWait, S::Close, S::Listen, S::Established},
        Row{S::Close, S::Close, S::Close, S::SynRecv, S::Close, S::Close, S::Close, S::Close, S::LastAck, S::Listen, S::SynRecv},
    }},
    {{  // OUTPUT
        Row{S::SynSent, S::Established, S::SynSent, S::SynRecv, S::SynSent, S::SynSent, S::SynSent, S::SynSent, S::SynSent, S::Listen, S::SynRecv},
        Row{S::TimeWait, S::FinWait, S::SynSent, S::TimeWait, S::FinWait, S::TimeWait, S::Close, S::TimeWait, S::LastAck, S::Listen, S::TimeWait},
        Row{S::Established, S::Established, S::SynSent, S::Established, S::FinWait, S::TimeWait, S::Close, S::CloseWait, S::LastAck, S::Established, S::Established},
        Row{S::Close, S::Close, S::SynSent, S::Close, S::Close, S::TimeWait, S::Close, S::Close, S::Close, S::Close, S::Close},
    }},
    {{  // INPUT_ONLY
        Row{S::SynRecv, S::Established, S::Established, S::SynRecv, S::SynRecv, S::SynRecv, S::SynRecv, S::SynRecv, S::SynRecv, S::SynRecv, S::SynRecv},
        Row{S::Close, S::FinWait, S::SynSent, S::TimeWait, S::FinWait, S::TimeWait, S::Close, S::CloseWait, S::LastAck, S::Listen, S::TimeWait},
        Row{S::Close, S::Established, S::SynSent, S::Established, S::FinWait, S::TimeWait, S::Close, S::CloseWait, S::Close, S::Listen, S::Established},
        Row{S::Close, S::Close, S::Close, S::SynRecv, S::Close, S::Close, S::Close, S::Close, S::LastAck, S::Listen, S::SynRecv},
    }},
}};

int flag_class(std::uint8_t f) {
  if (f & tcp_flags::kRst) return 3;
  if (f & tcp_flags::kSyn) return 0;
  if (f & tcp_flags::kFin) return 1;
  if (f & tcp_flags::kAck) return 2;
  return -1;
}

}  // namespace

ConnState next_tcp_state(ConnState s, ConnDirection dir, std::uint8_t tcp_flags) {
  const int cls = flag_class(tcp_flags);
  if (cls < 0 || s == ConnState::Udp) return s;
  return kNext[static_cast<std::size_t>(dir)][static_cast<std::size_t>(cls)][static_cast<std::size_t>(s)];
}

std::string_view flavour_name(Flavour f) {
  constexpr std::array<std::string_view, 3> kNames{"mainline", "alibaba", "dpvs"};
  return kNames[static_cast<std::size_t>(f)];
}

bool is_active(ConnState s, Flavour f) {
  if (f != Flavour::Mainline) return s == ConnState::Established;
  return s == ConnState::Established || s == ConnState::SynSent || s == ConnState::SynRecv || s == ConnState::SynAck;
}

// Seconds per state in enum order (None, Established, SynSent, SynRecv, FinWait, TimeWait,
// Close, CloseWait, LastAck, Listen, SynAck, Udp). Mainline: ip_vs_proto_tcp.c tcp_timeouts
// and ip_vs_proto_udp.c. Alibaba: kernel/net/netfilter/ipvs/ip_vs_proto_tcp.c
// sysctl_ip_vs_tcp_timeouts. DPVS: src/ipvs/ip_vs_proto_tcp.c tcp_timeouts. Both keep UDP
// at 300 s.
Time state_timeout(ConnState s, Flavour f) {
  using Table = std::array<std::int64_t, 12>;
  constexpr Table kMainline{2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120, 300};
  constexpr Table kFullNat{2, 90, 3, 30, 7, 7, 3, 7, 7, 120, 30, 300};  // Alibaba and DPVS alike
  const Table& table = f == Flavour::Mainline ? kMainline : kFullNat;
  return Time::s(table[static_cast<std::size_t>(s)]);
}

std::string_view state_name(ConnState s) {
  constexpr std::array<std::string_view, 12> kNames{"NONE",     "ESTABLISHED", "SYN_SENT",   "SYN_RECV",
                                                    "FIN_WAIT", "TIME_WAIT",   "CLOSE",      "CLOSE_WAIT",
                                                    "LAST_ACK", "LISTEN",      "SYNACK",     "UDP"};
  return kNames[static_cast<std::size_t>(s)];
}

}  // namespace lvs
