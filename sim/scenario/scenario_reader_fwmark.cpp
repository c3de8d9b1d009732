// Reading firewall-mark services (`fwmark:` and `mark:` of a service) and the prefixes a
// host puts on lo (`loopback:`). docs/fwmark.md; scenarios/README.md has the keys.

#include <string>

#include "scenario/scenario_reader_detail.hpp"

namespace lvs::scenario::reader {

namespace {

constexpr std::int64_t kMaxMark = 4294967295;  // skb->mark is 32 bits; 0 means "no mark"

// An address with or without "/len" (a bare address is /32).
Ipv4Prefix read_prefix(const Cursor& c) {
  const std::string text = c.as<std::string>();
  return text.find('/') == std::string::npos ? Ipv4Prefix{c.as<Ipv4Address>(), 32} : c.as<Ipv4Prefix>();
}

// One rule: `{destination: 10.1.0.0/16, port: 80, protocol: tcp}`. The protocol defaults to
// the service's; `all` is iptables' `-p all`, which --dport refuses (it needs -p tcp or udp).
MarkRuleSpec read_mark_rule(const Cursor& c, Protocol service_protocol) {
  c.allow_keys({"destination", "port", "protocol"});
  MarkRuleSpec r;
  r.origin = origin_of(c);
  const std::string proto = c.choice("protocol", {"tcp", "udp", "all"}, protocol_name(service_protocol));
  if (proto != "all") r.protocol = proto == "udp" ? Protocol::Udp : Protocol::Tcp;
  if (const std::optional<Cursor> d = c.find("destination")) r.destination = read_prefix(*d);
  if (c.has("port")) {
    if (!r.protocol)
      c.at("port").fail("a port needs protocol tcp or udp (iptables: --dport is an option of -p tcp and -p udp)");
    r.port = optional_port(c, "port", 0);
  }
  return r;
}

}  // namespace

bool read_fwmark(const Cursor& c, ServiceSpec& s) {
  if (!c.has("fwmark")) {
    if (c.has("mark")) c.at("mark").fail("mark rules set the mark of a fwmark service; add `fwmark: N` too");
    return false;
  }
  for (const char* key : {"vip", "port"})
    if (c.has(key))
      c.at(key).fail(std::string("a fwmark service has no ") + key +
                     ": its packets are those the mark rules select (ipvsadm -f MARK instead of -t VIP:port)");
  s.fwmark = static_cast<std::uint32_t>(c.required<std::int64_t>("fwmark", Range<std::int64_t>{1, kMaxMark}));
  s.vip = Ipv4Address();
  s.port = 0;
  if (const std::optional<Cursor> mark = c.find("mark")) {
    if (mark->is_sequence())
      for (const Cursor& item : mark->items()) s.marks.push_back(read_mark_rule(item, s.protocol));
    else
      s.marks.push_back(read_mark_rule(*mark, s.protocol));
  }
  return true;
}

void read_loopback(const Cursor& host, HostSpec& h) {
  for (const Cursor& item : optional_items(host, "loopback")) {
    const Ipv4Prefix p = read_prefix(item);
    if (p.length() == 32) {
      h.loopback.push_back(p.address());
      continue;
    }
    // fib_add_ifaddr adds no prefix route for a zero network (ipv4_is_zeronet: 0.0.0.0/8).
    if ((p.network().value() >> 24) == 0)
      item.fail(p.str() + " on lo makes no address local (Linux adds no route for a prefix in 0.0.0.0/8); "
                          "give the prefix the clients' destinations are in, e.g. 10.1.0.0/16");
    h.loopback_prefixes.push_back(p);
  }
}

}  // namespace lvs::scenario::reader
