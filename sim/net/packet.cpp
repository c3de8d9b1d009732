#include "net/packet.hpp"

namespace lvs {

std::string tcp_flags_text(const Packet& p) {
  std::string f;
  if (p.has_flag(tcp_flags::kSyn)) f += 'S';
  if (p.has_flag(tcp_flags::kFin)) f += 'F';
  if (p.has_flag(tcp_flags::kRst)) f += 'R';
  if (p.has_flag(tcp_flags::kPsh)) f += 'P';
  if (p.has_flag(tcp_flags::kAck)) f += '.';
  return f;
}

}  // namespace lvs
