#include "cli/schedule_command.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <ostream>
#include <stdexcept>

#include "cli/option_error.hpp"
#include "net/address.hpp"
#include "schedulers/dest_table.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/sched_flags.hpp"

namespace lvs::cli {

namespace {

// A per-destination list must have one value per weight, or be absent.
void check_length(const std::string& option, std::size_t n, std::size_t expected) {
  if (n != 0 && n != expected)
    throw option_error(option, "expected " + std::to_string(expected) + " values (one per destination, as --weights), got " +
                                   std::to_string(n));
}

void check_range(const std::string& option, const std::vector<std::int64_t>& v, std::int64_t lo, std::int64_t hi) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i] < lo || v[i] > hi)
      throw option_error(option, "value " + std::to_string(i + 1) + " is " + std::to_string(v[i]) + ", expected " +
                                     std::to_string(lo) + ".." + std::to_string(hi));
}

std::int32_t value_or(const std::vector<std::int64_t>& v, std::size_t i, std::int64_t fallback) {
  return static_cast<std::int32_t>(i < v.size() ? v[i] : fallback);
}

InetAddr parse_inet(const std::string& option, const std::string& text) {
  if (const auto v4 = Ipv4Address::parse(text)) return InetAddr::v4(v4->value());
  unsigned char bytes[16];
  if (inet_pton(AF_INET6, text.c_str(), bytes) != 1)
    throw option_error(option, "'" + text + "' is not an IPv4 or IPv6 address");
  std::array<std::uint32_t, 4> words{};
  for (std::size_t w = 0; w < 4; ++w)
    for (std::size_t b = 0; b < 4; ++b) words[w] = (words[w] << 8) | bytes[w * 4 + b];
  return InetAddr::v6(words);
}

// --dests IP:PORT (IPv6 as [ADDR]:PORT).
SchedDest parse_dest(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size())
    throw option_error("--dests", "'" + text + "' is not IP:PORT");
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port = text.substr(colon + 1);
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) || port.size() > 5 ||
      std::stol(port) > 65535)
    throw option_error("--dests", "'" + text + "': the port must be 0..65535");
  SchedDest d;
  d.addr = parse_inet("--dests", host);
  d.port = static_cast<std::uint16_t>(std::stol(port));
  return d;
}

std::uint32_t parse_flags(const std::vector<std::string>& flags) {
  std::uint32_t out = 0;
  for (const std::string& f : flags) {
    const std::optional<std::uint32_t> bit = sched_flag_bit(f);
    if (!bit) {
      std::string valid;
      for (const std::string& n : sched_flag_names()) valid.append(valid.empty() ? "" : ", ").append(n);
      throw option_error("--flags", "unknown flag '" + f + "'; valid flags: " + valid);
    }
    out |= *bit;
  }
  return out;
}

void check_options(const ScheduleOptions& o) {
  const std::size_t n = o.weights.size();
  check_range("--weights", o.weights, 0, 65535);
  check_length("--active", o.active.size(), n);
  check_range("--active", o.active, 0, 1 << 23);
  check_length("--inactive", o.inactive.size(), n);
  check_range("--inactive", o.inactive, 0, 1 << 23);
  check_length("--overloaded", o.overloaded.size(), n);
  check_range("--overloaded", o.overloaded, 0, 1);
  check_length("--last-weights", o.last_weights.size(), n);
  check_range("--last-weights", o.last_weights, 0, 65535);
  for (std::size_t i = 0; i < o.last_weights.size(); ++i)
    if (o.weights[i] != 0 && o.last_weights[i] != o.weights[i])
      throw option_error("--last-weights", "value " + std::to_string(i + 1) +
                                               " differs from the weight; the kernel's last_weight is the latest non-zero "
                                               "weight, so it can differ only where the weight is 0");
  check_length("--dests", o.dests.size(), n);
  if (!o.ports.empty() && o.ports.size() != o.addrs.size())
    throw option_error("--ports", "expected " + std::to_string(o.addrs.size()) + " values (one per --addrs), got " +
                                      std::to_string(o.ports.size()));
  check_range("--ports", o.ports, 0, 65535);
}

// The service as the kernel would hold it: destinations added last-to-first, so that index
// 0 is the head; a last weight is the weight the destination had before an edit to 0.
// The scheduler is bound once the list is complete (ipvsadm -E -s), then the counts are set.
DestTable build_service(const ScheduleOptions& o, Scheduler& sched) {
  DestTable table(sched);
  for (std::size_t i = o.weights.size(); i-- > 0;) {
    SchedDest d = o.dests.empty() ? SchedDest{} : parse_dest(o.dests[i]);
    if (o.dests.empty()) {
      d.addr = InetAddr::v4(Ipv4Address(10, 1, 0, 0).value() + static_cast<std::uint32_t>(i + 1));  // 10.1.0.1, ...
      d.port = 80;
    }
    d.id = static_cast<DestId>(i);
    d.weight = value_or(o.last_weights, i, o.weights[i]);
    table.add(d);
    if (d.weight != o.weights[i]) table.edit_weight(d.id, static_cast<std::int32_t>(o.weights[i]));
  }
  table.bind_scheduler(sched);
  for (std::size_t i = 0; i < o.weights.size(); ++i) {
    const auto id = static_cast<DestId>(i);
    table.set_counts(id, value_or(o.active, i, 0), value_or(o.inactive, i, 0));
    table.set_overloaded(id, value_or(o.overloaded, i, 0) != 0);
  }
  return table;
}

void print_pick(std::ostream& out, const DestTable& table, std::optional<std::size_t> i) {
  if (i) {
    out << table.dests()[*i].id << '\n';
  } else {
    out << "none\n";
  }
}

// A new connection on the chosen destination: activeconns + 1.
void grow_active(DestTable& table, std::optional<std::size_t> i) {
  if (!i) return;
  const SchedDest& d = table.dests()[*i];
  table.set_counts(d.id, d.activeconns + 1, d.inactconns);
}

// One flow per address: sh, mh and ring read it as the source, dh, lblc and lblcr as the
// destination, so it is given as both.
std::vector<SchedFlow> flows(const ScheduleOptions& o) {
  std::vector<SchedFlow> out;
  for (std::size_t k = 0; k < o.addrs.size(); ++k) {
    SchedFlow flow;
    flow.saddr = flow.daddr = parse_inet("--addrs", o.addrs[k]);
    flow.sport = static_cast<std::uint16_t>(k < o.ports.size() ? o.ports[k] : 0);
    flow.dport = 80;
    out.push_back(flow);
  }
  return out;
}

}  // namespace

void run_schedule(const ScheduleOptions& o, std::ostream& out) {
  check_options(o);
  const std::uint32_t flags = parse_flags(o.flags);
  const std::vector<SchedFlow> by_addr = flows(o);
  auto sched = make_scheduler(o.scheduler);
  DestTable table = build_service(o, *sched);
  table.set_svc_flags(flags);
  Rng rng(o.seed, "schedule/" + o.scheduler);
  if (by_addr.empty()) {
    for (std::int64_t k = 0; k < o.picks; ++k) {
      const auto i = table.schedule(rng);
      print_pick(out, table, i);
      grow_active(table, i);
    }
    return;
  }
  const bool locality = o.scheduler == "lblc" || o.scheduler == "lblcr";
  for (const SchedFlow& flow : by_addr) {
    const auto i = table.schedule(rng, flow);
    print_pick(out, table, i);
    if (locality) grow_active(table, i);  // as the probe defines it for lblc and lblcr
  }
}

}  // namespace lvs::cli
