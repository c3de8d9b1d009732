#include "lvs/fullnat_pool.hpp"

#include <algorithm>

namespace lvs {

namespace {

constexpr std::size_t kDpvsLaddrTrails = 16;  // ip_vs_laddr.c dp_vs_laddr_max_trails
constexpr std::uint64_t kDpvsSkipPercent = 5;  // ip_vs_laddr.c __laddr_step

}  // namespace

FullNatPool::FullNatPool(const VirtualService& svc, Flavour flavour, LocalPorts& ports, const LportSysctl& sysctl,
                         Rng& rng)
    : svc_(svc), flavour_(flavour), ports_(ports), sysctl_(sysctl), rng_(rng) {}

bool FullNatPool::add(Ipv4Address laddr) {
  if (owns(laddr)) return false;
  laddrs_.push_back(laddr);
  counters_.push_back(0);  // ip_vs_new_laddr: port 0
  return true;
}

bool FullNatPool::owns(Ipv4Address a) const { return std::find(laddrs_.begin(), laddrs_.end(), a) != laddrs_.end(); }

std::uint16_t FullNatPool::port_min() const { return flavour_ == Flavour::Dpvs ? kDpvsPortMin : sysctl_.min; }
std::uint16_t FullNatPool::port_max() const { return flavour_ == Flavour::Dpvs ? kDpvsPortMax : sysctl_.max; }

std::optional<FullNatPool::Local> FullNatPool::allocate(IpProto proto, Ipv4Address rip, std::uint16_t rport) {
  std::optional<Local> got;
  if (laddrs_.empty()) {
    // ip_vs_get_laddr and __get_laddr find none: refused below
  } else if (flavour_ == Flavour::Dpvs) {
    got = dpvs_allocate(rip, rport);
  } else {
    const std::size_t i = next_laddr();
    if (const std::optional<std::uint16_t> port = alibaba_port(i, proto, rip, rport)) got = Local{laddrs_[i], *port};
  }
  if (got)
    peak_ = std::max(peak_, ++in_use_);
  else
    ++refused_;
  return got;
}

void FullNatPool::release(IpProto proto, Local local, Ipv4Address rip, std::uint16_t rport) {
  if (flavour_ == Flavour::Dpvs)
    ports_.release(local.addr, local.port, rip, rport);
  else
    ports_.in_use(proto, local.addr, rip, rport).set(local.port, false);
  --in_use_;
}

// ip_vs_get_laddr, and one step of DPVS's __get_laddr: the entry after the current one,
// past the list head.
std::size_t FullNatPool::next_laddr() {
  current_ = current_ == SIZE_MAX || current_ + 1 == laddrs_.size() ? 0 : current_ + 1;
  return current_;
}

// ip_vs_hbind_laddr: every try bumps the local address's counter, so the ports go
// lport_min + 1, + 2, ... lport_max, lport_min, ... whichever real server they are for.
std::optional<std::uint16_t> FullNatPool::alibaba_port(std::size_t laddr, IpProto proto, Ipv4Address rip,
                                                       std::uint16_t rport) {
  LocalPorts::Bitmap& used = ports_.in_use(proto, laddrs_[laddr], rip, rport);
  for (std::uint32_t tries = 0; tries < sysctl_.tries; ++tries) {
    const auto port = static_cast<std::uint16_t>(sysctl_.min + ++counters_[laddr] % sysctl_.range());
    if (used.test(port)) continue;  // the kernel counts a port_conflict and goes on
    used.set(port, true);
    return port;
  }
  return std::nullopt;
}

// dp_vs_laddr_bind: up to 16 local addresses, each picked by __get_laddr (one step, or two
// in 5% of the picks under rr and wrr, drawn before the steps as random() % 100 < 5 is).
std::optional<FullNatPool::Local> FullNatPool::dpvs_allocate(Ipv4Address rip, std::uint16_t rport) {
  const std::string_view sched = svc_.scheduler().name();
  const bool rr = sched.substr(0, 2) == "rr" || sched.substr(0, 3) == "wrr";
  for (std::size_t trail = 0; trail < std::min(kDpvsLaddrTrails, laddrs_.size()); ++trail) {
    const bool skip = rr && rng_.below(100) < kDpvsSkipPercent;
    std::size_t i = next_laddr();
    if (skip) i = next_laddr();
    if (const std::optional<std::uint16_t> port = ports_.fetch(laddrs_[i], rip, rport)) return Local{laddrs_[i], *port};
  }
  return std::nullopt;
}

}  // namespace lvs
