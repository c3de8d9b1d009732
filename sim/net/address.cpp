#include "net/address.hpp"

#include <charconv>
#include <cstdio>

namespace lvs {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses a decimal 0..max with no sign, no leading '+', at most 3 digits.
std::optional<unsigned> small_decimal(std::string_view s, unsigned max) {
  if (s.empty() || s.size() > 3) return std::nullopt;
  unsigned v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v > max) return std::nullopt;
  return v;
}

}  // namespace

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
  if (text.size() != 17) return std::nullopt;
  std::uint64_t bits = 0;
  for (int i = 0; i < 6; ++i) {
    const int hi = hex_digit(text[3 * i]);
    const int lo = hex_digit(text[3 * i + 1]);
    if (hi < 0 || lo < 0 || (i < 5 && text[3 * i + 2] != ':')) return std::nullopt;
    bits = bits << 8 | static_cast<std::uint64_t>(hi << 4 | lo);
  }
  return MacAddress(bits);
}

std::string MacAddress::str() const {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", octet(0), octet(1), octet(2), octet(3),
                octet(4), octet(5));
  return buf;
}

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const std::size_t dot = i < 3 ? text.find('.') : text.size();
    if (dot == std::string_view::npos) return std::nullopt;
    const auto octet = small_decimal(text.substr(0, dot), 255);
    if (!octet) return std::nullopt;
    v = v << 8 | *octet;
    text.remove_prefix(i < 3 ? dot + 1 : dot);
  }
  return Ipv4Address(v);
}

std::string Ipv4Address::str() const {
  return std::to_string(octet(0)) + '.' + std::to_string(octet(1)) + '.' + std::to_string(octet(2)) + '.' +
         std::to_string(octet(3));
}

std::optional<Ipv4Prefix> Ipv4Prefix::parse(std::string_view text) {
  const std::size_t slash = text.find('/');
  const auto addr = Ipv4Address::parse(text.substr(0, slash));
  if (!addr) return std::nullopt;
  if (slash == std::string_view::npos) return Ipv4Prefix(*addr, 32);
  const auto length = small_decimal(text.substr(slash + 1), 32);
  if (!length) return std::nullopt;
  return Ipv4Prefix(*addr, static_cast<int>(*length));
}

std::string Ipv4Prefix::str() const { return addr_.str() + '/' + std::to_string(length_); }

}  // namespace lvs
