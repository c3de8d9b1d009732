// The director profiles, each with the measurement it rests on. The arithmetic is written
// out in `derivation` and again, at more length, in docs/director-profiles.md; a figure no
// source gives is marked assumed, and the derivation says what fills the gap.

#include "lvs/director_profiles.hpp"

#include <algorithm>
#include <stdexcept>

namespace lvs {

namespace {

constexpr ProfileCost measured(Time t) { return ProfileCost{t, false}; }
constexpr ProfileCost assumed(Time t) { return ProfileCost{t, true}; }

// The xdp-paper's load-balancer test: one box for IPVS and Katran alike.
constexpr std::string_view kXdpBox =
    "Intel Xeon E5-1650 v4, 3.6 GHz, 6 cores; Mellanox ConnectX-5; Linux 4.18 pre-release";
constexpr std::string_view kXdpPaper =
    "Høiland-Jørgensen et al., \"The eXpress Data Path\", ACM CoNEXT 2018, load-balancer table "
    "(xdp-project/xdp-paper, xdp-paper.tex, tbl:load-balancer)";

DirectorProfile kernel_ipvs() {
  constexpr Time packet = Time::ns(833);  // 1 s / 1.2 Mpps
  return DirectorProfile{
      "kernel-ipvs",
      "Linux kernel IPVS on a current x86 server (the default)",
      kXdpBox,
      6,
      assumed(packet),
      assumed(packet),
      measured(packet),
      assumed(packet),
      assumed(Time::us(7)),  // 8.4 packet-times, DPVS's ratio
      kXdpPaper,
      "IPVS in TUN mode (IPIP, sh scheduler, 64-byte UDP packets, 100 destinations) forwarded "
      "1.2 Mpps on one core and 7.3 Mpps on six: 1 s / 1.2M = 833 ns per packet per core, linear in "
      "cores (7.3 / 6 = 1.22 Mpps each). Only TUN was measured. NAT, DR and FULLNAT are assumed to "
      "cost the same per packet they handle: the receive path, the connection lookup and the "
      "transmit path dominate, not which header is rewritten; NAT's extra load is its packet count "
      "(it carries the replies too), which the model counts packet by packet. FULLNAT is not in "
      "mainline Linux (Alibaba's patched IPVS has it); the same assumption covers it. Creating a "
      "connection was not measured: it is taken as 8.4 packet-times, the ratio measured for DPVS "
      "(see dpvs), 8.4 x 833 ns = 7 us. If the test's packets each opened a connection, part of "
      "this is already in the 833 ns and new connections are overcharged."};
}

DirectorProfile lvs_nat_pentium() {
  constexpr Time packet = Time::us(60);
  return DirectorProfile{
      "lvs-nat-pentium",
      "the LVS project's NAT director of the late 1990s, from its case for DR and TUN",
      "a Pentium PC, model and clock not stated; one CPU",
      1,
      measured(packet),
      assumed(packet),
      assumed(packet),
      std::nullopt,
      assumed(Time::zero()),
      "The LVS project, \"How virtual server works?\", section Virtual Server via NAT "
      "(linuxvirtualserver.org/how.html; the same text is in Red Hat's piranha-docs of 1999)",
      "Rewriting a packet takes about 60 us on a Pentium, for TCP packets of 536 bytes on average: "
      "536 B / 60 us = 8.93 MB/s through the director, and with real servers moving 400 KB/s each, "
      "8.93 MB/s / 400 KB/s = 22 real servers ('around 20'). A packet costs 60 us whatever its size, "
      "as the source's arithmetic counts it: 1 / 60 us = 16,667 packets/s. Only NAT has a figure. DR "
      "and TUN are assumed to cost the same 60 us per packet they handle (an upper bound: neither "
      "rewrites the IP header or its checksums; the page's case for them is that they handle fewer "
      "packets). FULLNAT did not exist yet. The arithmetic charges packets only, so creating a "
      "connection costs nothing extra."};
}

DirectorProfile dpvs() {
  constexpr Time packet = Time::ns(345);  // 1 s / 2.90 Mpps
  return DirectorProfile{
      "dpvs",
      "DPVS v1.9.2, IPVS rewritten on DPDK (kernel bypass), per worker core",
      "Intel Xeon E5-2650 v4, 2.2 GHz, 2 x 12 cores; Intel X540 10 Gbit/s NIC; CentOS 7.6",
      8,
      assumed(packet),
      assumed(packet),
      assumed(packet),
      measured(packet),
      measured(Time::ns(2910)),
      "iqiyi/dpvs, test/release/v1.9.2/performance.md",
      "UDP FULLNAT, 1-byte payloads: one worker forwards 2.90 Mpps (received, both "
      "directions): 1 s / 2.90M = 345 ns per packet. TCP FULLNAT: one worker accepts 200k new "
      "connections/s while forwarding 1.21 Mpps (6.06 per connection); those packets take "
      "1.21M x 345 ns = 0.42 s of each second, leaving 0.58 s / 200k = 2.91 us per new "
      "connection (8.4 packet-times; any extra cost of a TCP packet over a UDP one is inside it). "
      "Workers scale less than linearly: 8 reach 1.06M connections/s (66 % of 8 x 200k) and the "
      "UDP test stops at 9.45 Mpps on the 10 Gbit/s NIC; the model's cores are independent, "
      "so a many-worker DPVS comes out optimistic. Only FULLNAT was measured; NAT, DR and TUN (DPVS "
      "has all three) are assumed to cost the same per packet."};
}

DirectorProfile katran() {
  return DirectorProfile{
      "katran",
      "Katran, Facebook's XDP (eBPF) L4 balancer: IPIP encapsulation only",
      kXdpBox,
      6,
      std::nullopt,
      std::nullopt,
      measured(Time::ns(192)),  // 1 s / 5.2 Mpps
      std::nullopt,
      assumed(Time::zero()),
      kXdpPaper,
      "The same test as kernel-ipvs: 5.2 Mpps on one core, 29.3 Mpps on six (4.3 times IPVS): "
      "1 s / 5.2M = 192 ns per packet per core (six cores give 5.6 times one, a little short of "
      "linear). Katran forwards only by encapsulation (IPIP or GUE) with the replies going straight "
      "back, which is TUN here; it has no NAT, DR or FULLNAT. It keeps no connection state beyond an "
      "LRU entry and no separate figure is published for it: a new connection costs nothing extra."};
}

std::vector<DirectorProfile> make_profiles() {
  std::vector<DirectorProfile> all{kernel_ipvs(), lvs_nat_pentium(), dpvs(), katran()};
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return all;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out.append(out.empty() ? "" : ", ").append(n);
  return out;
}

std::optional<Time> time_of(const std::optional<ProfileCost>& c) {
  return c ? std::optional<Time>(c->time) : std::nullopt;
}

void note_override(std::vector<std::string>& out, std::string_view key, const std::optional<Time>& have,
                   const std::optional<ProfileCost>& profile) {
  if (have != time_of(profile)) out.push_back(std::string(key) + " " + (have ? to_string(*have) : "none"));
}

}  // namespace

const std::vector<DirectorProfile>& director_profiles() {
  static const std::vector<DirectorProfile> all = make_profiles();
  return all;
}

const DirectorProfile* find_director_profile(std::string_view name) {
  for (const DirectorProfile& p : director_profiles())
    if (p.name == name) return &p;
  return nullptr;
}

const DirectorProfile& director_profile(std::string_view name) {
  if (const DirectorProfile* p = find_director_profile(name)) return *p;
  throw std::invalid_argument("no director profile '" + std::string(name) + "'; profiles: " +
                              joined(director_profile_names()));
}

std::vector<std::string> director_profile_names() {
  std::vector<std::string> names;
  for (const DirectorProfile& p : director_profiles()) names.emplace_back(p.name);
  return names;
}

DirectorCpuConfig cpu_config(const DirectorProfile& p) {
  DirectorCpuConfig c;
  c.profile = std::string(p.name);
  c.cores = p.cores;
  c.masquerade = time_of(p.masquerade);
  c.direct_routing = time_of(p.direct_routing);
  c.tunnel = time_of(p.tunnel);
  c.full_nat = time_of(p.full_nat);
  c.connection = p.connection.time;
  return c;
}

std::vector<std::string> profile_overrides(const DirectorCpuConfig& cfg) {
  const DirectorProfile& p = director_profile(cfg.profile);
  std::vector<std::string> out;
  if (cfg.cores != p.cores) out.push_back("cores " + std::to_string(cfg.cores));
  note_override(out, "nat", cfg.masquerade, p.masquerade);
  note_override(out, "dr", cfg.direct_routing, p.direct_routing);
  note_override(out, "tun", cfg.tunnel, p.tunnel);
  note_override(out, "fullnat", cfg.full_nat, p.full_nat);
  note_override(out, "connection", cfg.connection, p.connection);
  return out;
}

}  // namespace lvs
