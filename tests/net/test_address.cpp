#include <catch2/catch.hpp>

#include "net/address.hpp"

using namespace lvs;

TEST_CASE("IPv4 addresses parse and print as dotted quads", "[net][address]") {
  const auto a = Ipv4Address::parse("192.168.10.101");
  REQUIRE(a);
  CHECK(a->value() == 0xC0A80A65u);
  CHECK(a->str() == "192.168.10.101");
  CHECK(*a == Ipv4Address(192, 168, 10, 101));
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "a.b.c.d", "1..2.3", "1.2.3.4 ", "01234.1.1.1"})
    CHECK_FALSE(Ipv4Address::parse(bad));
}

TEST_CASE("prefixes contain, mask and name their network", "[net][address]") {
  const auto p = Ipv4Prefix::parse("192.168.10.101/24");
  REQUIRE(p);
  CHECK(p->network().str() == "192.168.10.0");
  CHECK(p->broadcast_address().str() == "192.168.10.255");
  CHECK(p->mask() == 0xFFFFFF00u);
  CHECK(p->contains(*Ipv4Address::parse("192.168.10.7")));
  CHECK_FALSE(p->contains(*Ipv4Address::parse("192.168.11.7")));
  CHECK(Ipv4Prefix::parse("0.0.0.0/0")->contains(Ipv4Address(8, 8, 8, 8)));
  CHECK(Ipv4Prefix::parse("10.0.0.1")->length() == 32);
  CHECK_FALSE(Ipv4Prefix::parse("10.0.0.0/33"));
  CHECK_FALSE(Ipv4Prefix::parse("10.0.0.0/"));
}

TEST_CASE("MAC addresses parse, print and know broadcast", "[net][address]") {
  const auto m = MacAddress::parse("02:00:5E:10:00:FF");
  REQUIRE(m);
  CHECK(m->str() == "02:00:5e:10:00:ff");
  CHECK(m->octet(0) == 0x02);
  CHECK(m->octet(5) == 0xff);
  CHECK(MacAddress::broadcast().is_broadcast());
  CHECK(MacAddress::local(1).str() == "02:00:00:00:00:01");
  CHECK_FALSE(MacAddress::parse("02:00:5e:10:00"));
  CHECK_FALSE(MacAddress::parse("02-00-5e-10-00-ff"));
}
