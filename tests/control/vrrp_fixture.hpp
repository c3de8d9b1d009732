#pragma once
// Directors and a router on one LAN, each director with a VRRP daemon, and an observer that
// records every VRRP advert and gratuitous ARP as it leaves and as it arrives. Built by hand,
// as the network tests build theirs.

#include <memory>
#include <string>
#include <vector>

#include "control/vrrp_daemon.hpp"
#include "control/vrrp_timing.hpp"
#include "lvs/director.hpp"
#include "net/network.hpp"

namespace lvs::test {

using namespace lvs::literals;

inline constexpr TxParams kLan{1'000'000'000, 10_us, 1'000'000};
inline const Ipv4Prefix kVip = *Ipv4Prefix::parse("10.0.0.100/24");

/// One frame seen: when, at which node, and what.
struct Seen {
  Time at;
  std::string node;
  std::uint8_t priority = 0;  ///< adverts
  Ipv4Address ip;             ///< GARPs: the address announced
  std::uint32_t frame_bytes = 0;
};

class VrrpWatch : public PacketObserver {
 public:
  std::vector<Seen> adverts_sent, adverts_received, garps_sent, garps_received;
  void on_transmit(Time t, const Interface& out, const Packet& p) override {
    if (is_advert(p)) adverts_sent.push_back(Seen{t, out.node().name(), p.vrrp.priority, {}, p.frame_bytes()});
    if (p.ethertype == EtherType::Arp && p.arp.sender_ip == p.arp.target_ip)
      garps_sent.push_back(Seen{t, out.node().name(), 0, p.arp.sender_ip, p.frame_bytes()});
  }
  void on_receive(Time t, const Interface& in, const Packet& p) override {
    if (is_advert(p)) adverts_received.push_back(Seen{t, in.node().name(), p.vrrp.priority, {}, p.frame_bytes()});
    if (p.ethertype == EtherType::Arp && p.arp.sender_ip == p.arp.target_ip)
      garps_received.push_back(Seen{t, in.node().name(), 0, p.arp.sender_ip, p.frame_bytes()});
  }
  /// Adverts `from` sent in [begin, end).
  std::size_t sent(const std::string& from, Time begin, Time end) const { return count(adverts_sent, from, begin, end); }
  std::size_t garps(const std::string& from, Time begin, Time end) const { return count(garps_sent, from, begin, end); }
  /// The last advert `at` received before `before` (Time::max() if none), and its priority.
  Seen last_received(const std::string& at, Time before) const {
    Seen last{Time::max(), "", 0, {}, 0};
    for (const Seen& s : adverts_received)
      if (s.node == at && s.at < before) last = s;
    return last;
  }

 private:
  static bool is_advert(const Packet& p) { return p.ethertype == EtherType::Ipv4 && p.ip.proto == IpProto::Vrrp; }
  static std::size_t count(const std::vector<Seen>& v, const std::string& from, Time begin, Time end) {
    std::size_t n = 0;
    for (const Seen& s : v) n += s.node == from && s.at >= begin && s.at < end;
    return n;
  }
};

/// lvs1..lvsN at 10.0.0.1.. and a router at 10.0.0.254, all on one switched LAN.
struct VrrpLan {
  Simulation sim{1};
  Network net{sim};
  control::EventLog log;
  VrrpWatch watch;
  Segment& lan = net.add_segment("lan", kLan);
  Host& router = net.add_node<Host>("router");
  std::vector<Director*> directors;
  std::vector<std::unique_ptr<control::VrrpDaemon>> daemons;

  explicit VrrpLan(int count) {
    for (int i = 0; i < count; ++i) {
      Director& d = net.add_node<Director>("lvs" + std::to_string(i + 1));
      const auto octet = static_cast<std::uint8_t>(i + 1);
      lan.attach(d.add_ethernet("eth0", MacAddress::local(octet), Ipv4Prefix(Ipv4Address(10, 0, 0, octet), 24)));
      directors.push_back(&d);
      daemons.push_back(std::make_unique<control::VrrpDaemon>(d, log));
    }
    lan.attach(router.add_ethernet("eth0", MacAddress::local(254), *Ipv4Prefix::parse("10.0.0.254/24")));
    net.set_observer(&watch);
  }
  control::VrrpDaemon& daemon(int i) { return *daemons[static_cast<std::size_t>(i)]; }
  /// Instance VI_1 (VRID 51, the VIP 10.0.0.100) on director i's eth0.
  control::VrrpInstance& add(int i, control::VrrpConfig cfg) {
    return daemon(i).add_instance(*directors[static_cast<std::size_t>(i)]->interface("eth0"), std::move(cfg));
  }
  /// Runs `fn` at `t`.
  template <class F>
  void at(Time t, F fn) {
    sim.schedule_at(t, std::move(fn));
  }
};

/// VI_1: VRID 51, VIP 10.0.0.100/24, version `version`, interval `advert_int`.
inline control::VrrpConfig vi_1(std::uint8_t priority, int version = 2, Time advert_int = Time::s(1),
                                bool initial_master = false) {
  control::VrrpConfig c;
  c.name = "VI_1";
  c.vrid = 51;
  c.version = version;
  c.advert_int = advert_int;
  c.virtual_ipaddress = {kVip};
  c.priority = priority;
  c.initial_master = initial_master;
  return c;
}

/// The first time `instance` was seen in `state` in the log at or after `from`, or Time::max().
inline Time entered(const control::EventLog& log, const std::string& component, const std::string& detail_to,
                    Time from = Time::zero()) {
  for (const control::LogRecord& r : log.records())
    if (r.component == component && r.event == "vrrp-state" && r.at >= from &&
        r.detail.size() >= detail_to.size() && r.detail.compare(r.detail.size() - detail_to.size(), detail_to.size(), detail_to) == 0)
      return r.at;
  return Time::max();
}

}  // namespace lvs::test
