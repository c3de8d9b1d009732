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

bool is_active(ConnState s) {
  return s == ConnState::Established || s == ConnState::SynSent || s == ConnState::SynRecv || s == ConnState::SynAck;
}

Time state_timeout(ConnState s) {
  constexpr std::array<std::int64_t, 12> kSeconds{2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120, 300};
  return Time::s(kSeconds[static_cast<std::size_t>(s)]);
}

std::string_view state_name(ConnState s) {
  constexpr std::array<std::string_view, 12> kNames{"NONE",     "ESTABLISHED", "SYN_SENT",   "SYN_RECV",
                                                    "FIN_WAIT", "TIME_WAIT",   "CLOSE",      "CLOSE_WAIT",
                                                    "LAST_ACK", "LISTEN",      "SYNACK",     "UDP"};
  return kNames[static_cast<std::size_t>(s)];
}

}  // namespace lvs
