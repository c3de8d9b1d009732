#include "scenario/validate_load.hpp"

#include <algorithm>
#include <cmath>

#include "scenario/director_capacity.hpp"

namespace lvs::scenario::checks {

namespace {

constexpr double kShortestSession = 0.001;  // s: a session takes at least a round trip
// Estimates from huge rates (the reader takes any finite rate) stay far from long long's limit.
constexpr double kCountLimit = 1e15;

}  // namespace

bool uses(const ClientSpec& c, const ServiceSpec& s) {
  return c.target == s.vip && c.port == s.port && c.protocol == s.protocol;
}

const HostSpec* of_kind(const SpecIndex& index, const std::string& name, HostKind kind) {
  const HostSpec* h = index.host(name);
  return h != nullptr && h->kind == kind ? h : nullptr;
}

// The application serving destination `d` of `s`, or nullptr.
const ServerAppSpec* app_of(const SpecIndex& index, const ServiceSpec& s, const DestinationSpec& d) {
  for (const ServerAppSpec* a : index.apps_on(d.server))
    if (a->protocol == s.protocol && a->port == d.port.value_or(s.port)) return a;
  return nullptr;
}

Serving serving(const SpecIndex& index, const ServiceSpec& s) {
  Serving out;
  int apps = 0;
  out.response_segments = 0;
  for (const DestinationSpec& d : s.destinations) {
    const ServerAppSpec* a = app_of(index, s, d);
    if (a == nullptr || d.weight == 0) continue;
    ++apps;
    out.service_s += a->service_time.mean();
    out.response += a->response_size.mean();
    out.response_segments += segments(a->response_size, s.protocol);
    out.capacity += a->service_time.mean() > 0 ? a->workers / a->service_time.mean() : INFINITY;
  }
  if (apps > 0) out.service_s /= apps, out.response /= apps, out.response_segments /= apps;
  if (apps == 0) out.response_segments = 1;
  return out;
}

Load load_of(const ScenarioSpec& spec, const ClientSpec& c, const Serving& srv) {
  Load l;
  l.session_s = c.requests_per_connection * srv.service_s;
  const double start = c.start.seconds();
  const double end = std::min(c.stop.value_or(spec.duration), spec.duration).seconds();
  if (end <= start) return l;
  if (c.users > 0) {
    l.rate = c.users / std::max(c.think_time.mean() + l.session_s, kShortestSession);
    l.sessions = l.rate * (end - start);
    return l;
  }
  for (std::size_t k = 0; k < c.rate.size(); ++k) {  // piecewise constant, clipped to [start, end)
    const double from = std::max(c.rate[k].at.seconds(), start);
    const double to = std::min(k + 1 < c.rate.size() ? c.rate[k + 1].at.seconds() : end, end);
    if (to <= from) continue;
    l.rate = std::max(l.rate, c.rate[k].rate);
    l.sessions += c.rate[k].rate * (to - from);
  }
  return l;
}

// `v` to one decimal, without a trailing ".0": "11", "6.5".
std::string tenths(double v) {
  const long long t = std::llround(v * 10);
  std::string out = std::to_string(t / 10);
  if (t % 10 != 0) out.append(".").append(std::to_string(t % 10));
  return out;
}


// `v` rounded: "12"; "more than 1000000000000000" beyond kCountLimit (or for inf).
std::string count(double v) {
  if (!(v <= kCountLimit)) return "more than " + std::to_string(static_cast<long long>(kCountLimit));
  return std::to_string(static_cast<long long>(std::llround(v)));
}

// An estimate to 3 significant digits: "~80000", "~2400000", "~4800"; "more than ..." beyond kCountLimit.
std::string rough(double v) {
  if (!(v <= kCountLimit)) return count(v);
  const double unit = v < 1000 ? 1 : std::pow(10.0, std::floor(std::log10(v)) - 2);
  std::string out = "~";  // appended, not "~" + count(): GCC 12's -Wrestrict misfires on that
  return out.append(count(std::round(v / unit) * unit));
}

std::string plural(long long n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : (word.back() == 's' ? "es" : "s"));
}

// "at least 3 local addresses"; "more than 1000000 local addresses" when `n` exceeds `limit`.
std::string at_least(double n, long long limit, const std::string& word) {
  if (!(n <= static_cast<double>(limit))) return "more than " + plural(limit, word);
  return "at least " + plural(static_cast<long long>(n), word);
}

}  // namespace lvs::scenario::checks
