#include "net/tcp_options.hpp"

#include <algorithm>

#include "net/byte_order.hpp"

namespace lvs {

namespace {

constexpr std::uint8_t kNop = 1, kKindMss = 2, kKindWindowScale = 3, kKindSackPermitted = 4, kKindTimestamp = 8,
                       kKindToa = 254;
constexpr std::uint8_t kSackPermittedLength = 2, kWindowScaleLength = 3;

bool has(std::uint8_t kinds, std::uint8_t k) { return (kinds & k) != 0; }

// SACK-permitted and timestamps share one 12-byte word group; either alone is padded
// with two NOPs in front. A stripped timestamp option is ten NOPs.
std::uint8_t* write_sack_and_timestamps(std::uint8_t* at, const TcpHeader& h) {
  const bool sack = h.has_option(tcp_option::kSackPermitted);
  const bool ts = h.has_option(tcp_option::kTimestamps);
  const bool stripped = h.has_option(tcp_option::kTimestampsStripped);
  if (!ts && !stripped) {
    if (!sack) return at;
    *at++ = kNop;
    *at++ = kNop;
    *at++ = kKindSackPermitted;
    *at++ = kSackPermittedLength;
    return at;
  }
  if (sack) {
    *at++ = kKindSackPermitted;
    *at++ = kSackPermittedLength;
  } else {
    *at++ = kNop;
    *at++ = kNop;
  }
  if (stripped) {
    for (std::uint32_t i = 0; i < kTcpTimestampOption; ++i) *at++ = kNop;
    return at;
  }
  *at++ = kKindTimestamp;
  *at++ = kTcpTimestampOption;
  put32(at, h.tsval);
  put32(at + 4, h.tsecr);
  return at + 8;
}

}  // namespace

std::uint32_t tcp_option_length(std::uint8_t kinds) {
  std::uint32_t n = 0;
  if (has(kinds, tcp_option::kMss)) n += kTcpMssOption;
  if (has(kinds, tcp_option::kTimestamps | tcp_option::kTimestampsStripped))
    n += 2 + kTcpTimestampOption;
  else if (has(kinds, tcp_option::kSackPermitted))
    n += 2 + kSackPermittedLength;
  if (has(kinds, tcp_option::kWindowScale)) n += 1 + kWindowScaleLength;
  if (has(kinds, tcp_option::kToa)) n += kTcpToaOption;
  return n;
}

// Laid out in a 40-byte scratch (the most a TCP header holds) and copied, so that a
// header whose `options` length is shorter than its `kinds` need (a hand-made packet)
// never spills into the data.
std::string tcp_options_text(const TcpHeader& h) {
  std::string s;
  const auto add = [&s](const std::string& part) { s += (s.empty() ? "" : ",") + part; };
  if (h.has_option(tcp_option::kToa)) add("toa " + Ipv4Address(h.toa_addr).str() + ":" + std::to_string(h.toa_port));
  if (h.has_option(tcp_option::kMss)) add("mss " + std::to_string(h.mss));
  if (h.has_option(tcp_option::kSackPermitted)) add("sackOK");
  if (h.has_option(tcp_option::kTimestamps))
    add("TS val " + std::to_string(h.tsval) + " ecr " + std::to_string(h.tsecr));
  if (h.has_option(tcp_option::kTimestampsStripped)) add("TS stripped");
  if (h.has_option(tcp_option::kWindowScale)) add("nop,wscale " + std::to_string(h.wscale));
  return s;
}

bool tcp_options_notable(const TcpHeader& h) { return (h.kinds & ~tcp_option::kTimestamps) != 0; }

void write_tcp_options(std::uint8_t* out, const TcpHeader& h, std::uint32_t length) {
  std::uint8_t scratch[kMaxTcpOptions];
  std::uint8_t* at = scratch;
  if (h.has_option(tcp_option::kToa)) {
    at[0] = kKindToa;
    at[1] = kTcpToaOption;
    put16(at + 2, h.toa_port);
    put32(at + 4, h.toa_addr);
    at += kTcpToaOption;
  }
  if (h.has_option(tcp_option::kMss)) {
    at[0] = kKindMss;
    at[1] = kTcpMssOption;
    put16(at + 2, h.mss);
    at += kTcpMssOption;
  }
  at = write_sack_and_timestamps(at, h);
  if (h.has_option(tcp_option::kWindowScale)) {
    at[0] = kNop;
    at[1] = kKindWindowScale;
    at[2] = kWindowScaleLength;
    at[3] = h.wscale;
    at += 1 + kWindowScaleLength;
  }
  std::uint8_t* const end = scratch + kMaxTcpOptions;
  while (at < end) *at++ = kNop;
  std::copy_n(scratch, std::min<std::uint32_t>(length, kMaxTcpOptions), out);
}

}  // namespace lvs
