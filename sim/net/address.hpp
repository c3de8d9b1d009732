#pragma once
// Link-layer and IPv4 addresses as small value types.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lvs {

/// A 48-bit Ethernet MAC address, held in the low 48 bits (first octet most significant).
class MacAddress {
 public:
  constexpr MacAddress() = default;
  constexpr explicit MacAddress(std::uint64_t bits) : bits_(bits & 0xffff'ffff'ffffULL) {}
  /// ff:ff:ff:ff:ff:ff
  static constexpr MacAddress broadcast() { return MacAddress(0xffff'ffff'ffffULL); }
  /// A locally administered unicast address (02:...) numbered `n`, for generated hosts.
  static constexpr MacAddress local(std::uint64_t n) { return MacAddress(0x0200'0000'0000ULL | (n & 0xff'ffff'ffffULL)); }
  /// Parses "02:00:00:00:00:01" (case-insensitive); nullopt if malformed.
  static std::optional<MacAddress> parse(std::string_view text);

  constexpr std::uint64_t bits() const { return bits_; }
  constexpr bool is_broadcast() const { return bits_ == 0xffff'ffff'ffffULL; }
  /// The I/G bit (the first octet's lowest): a group address, multicast or broadcast.
  constexpr bool is_group() const { return (bits_ >> 40 & 1U) != 0; }
  constexpr bool is_zero() const { return bits_ == 0; }
  /// Octet i (0 = first on the wire).
  constexpr std::uint8_t octet(int i) const { return static_cast<std::uint8_t>(bits_ >> (8 * (5 - i))); }
  std::string str() const;
  constexpr auto operator<=>(const MacAddress&) const = default;

 private:
  std::uint64_t bits_ = 0;
};

/// An IPv4 address in host byte order.
class Ipv4Address {
 public:
  constexpr Ipv4Address() = default;
  constexpr explicit Ipv4Address(std::uint32_t v) : v_(v) {}
  constexpr Ipv4Address(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d)
      : v_(std::uint32_t{a} << 24 | std::uint32_t{b} << 16 | std::uint32_t{c} << 8 | d) {}
  /// Parses dotted quad "192.168.10.101"; nullopt if malformed.
  static std::optional<Ipv4Address> parse(std::string_view text);

  constexpr std::uint32_t value() const { return v_; }
  constexpr bool is_unspecified() const { return v_ == 0; }
  /// 224.0.0.0/4, class D (RFC 1112 4).
  constexpr bool is_multicast() const { return (v_ >> 28) == 0xe; }
  constexpr std::uint8_t octet(int i) const { return static_cast<std::uint8_t>(v_ >> (8 * (3 - i))); }
  std::string str() const;
  constexpr auto operator<=>(const Ipv4Address&) const = default;

 private:
  std::uint32_t v_ = 0;
};

/// The Ethernet address of IPv4 multicast group `group` (RFC 1112 6.4): 01:00:5e and the
/// group's low 23 bits; 224.0.0.18 (VRRP) is 01:00:5e:00:00:12.
constexpr MacAddress ipv4_multicast_mac(Ipv4Address group) {
  return MacAddress(0x0100'5e00'0000ULL | (group.value() & 0x7f'ffffU));
}

/// An IPv4 network: address and prefix length, e.g. 192.168.10.0/24.
class Ipv4Prefix {
 public:
  constexpr Ipv4Prefix() = default;
  /// The network of `addr` with `length` bits (the host bits are kept as given; see network()).
  constexpr Ipv4Prefix(Ipv4Address addr, int length) : addr_(addr), length_(length) {}
  /// Parses "192.168.10.0/24" or a bare address (/32); nullopt if malformed.
  static std::optional<Ipv4Prefix> parse(std::string_view text);

  constexpr Ipv4Address address() const { return addr_; }
  constexpr int length() const { return length_; }
  constexpr std::uint32_t mask() const { return length_ == 0 ? 0 : ~std::uint32_t{0} << (32 - length_); }
  constexpr Ipv4Address network() const { return Ipv4Address(addr_.value() & mask()); }
  constexpr Ipv4Address broadcast_address() const { return Ipv4Address(addr_.value() | ~mask()); }
  constexpr bool contains(Ipv4Address a) const { return (a.value() & mask()) == (addr_.value() & mask()); }
  std::string str() const;
  constexpr auto operator<=>(const Ipv4Prefix&) const = default;

 private:
  Ipv4Address addr_;
  int length_ = 32;
};

}  // namespace lvs
