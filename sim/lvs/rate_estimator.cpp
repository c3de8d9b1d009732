#include "lvs/rate_estimator.hpp"

namespace lvs {

namespace {

// avg += (rate - avg) >> 2, in signed arithmetic as the kernel's (s64) casts; the shift of
// a negative difference rounds towards minus infinity, as on every architecture Linux runs.
void smooth(std::int64_t& avg, std::uint64_t delta, int shift) {
  const auto rate = static_cast<std::int64_t>(delta << shift);
  avg += (rate - avg) >> 2;
}

std::uint64_t scaled(std::int64_t avg, int bits) {
  return static_cast<std::uint64_t>(avg + ((std::int64_t{1} << (bits - 1)) - 1)) >> bits;
}

}  // namespace

// estimation_timer: delta << 9 for conns and packets (x 2^10 per 2 s), << 4 for bytes (x 2^5).
void RateEstimator::tick(const IpvsStats& now) {
  smooth(cps_, now.conns - last_.conns, 9);
  smooth(inpps_, now.in_packets - last_.in_packets, 9);
  smooth(outpps_, now.out_packets - last_.out_packets, 9);
  smooth(inbps_, now.in_bytes - last_.in_bytes, 4);
  smooth(outbps_, now.out_bytes - last_.out_bytes, 4);
  last_ = now;
}

// ip_vs_read_estimator: (avg + 0x1FF) >> 10 and (avg + 0xF) >> 5.
IpvsRates RateEstimator::read() const {
  return IpvsRates{scaled(cps_, 10), scaled(inpps_, 10), scaled(outpps_, 10), scaled(inbps_, 5),
                   scaled(outbps_, 5)};
}

void DirectorEstimators::advance(Time now, const std::vector<std::unique_ptr<VirtualService>>& services) {
  for (; next_ <= now; next_ = next_ + kEstimatorPeriod) tick(services);
}

void DirectorEstimators::tick(const std::vector<std::unique_ptr<VirtualService>>& services) {
  if (services_.size() < services.size()) services_.resize(services.size());
  for (std::size_t i = 0; i < services.size(); ++i) {
    const VirtualService& s = *services[i];
    ServiceEstimators& e = services_[i];
    e.service.tick(s.stats());
    for (const SchedDest& d : s.destinations()) {
      if (e.dests.size() <= d.id) e.dests.resize(d.id + 1);
      e.dests[d.id].tick(s.stats(d.id));
    }
  }
}

IpvsRates DirectorEstimators::service(std::size_t index) const {
  return index < services_.size() ? services_[index].service.read() : IpvsRates{};
}

IpvsRates DirectorEstimators::destination(std::size_t index, DestId id) const {
  if (index >= services_.size() || id >= services_[index].dests.size()) return IpvsRates{};
  return services_[index].dests[id].read();
}

}  // namespace lvs
