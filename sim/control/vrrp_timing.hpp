#pragma once
// VRRP's timers as keepalived computes them (include/vrrp.h: VRRP_TIMER_SKEW_CALC,
// VRRP_TIMER_SKEW_MIN, VRRP_MS_DOWN_TIMER). keepalived counts in integer microseconds
// (TIMER_HZ = 1 000 000), and its integer division truncates: the model does the same, so
// v2 priority 254 skews 7812 us, not 7812.5.
//
// RFC 3768 (v2) 6.1: Skew_Time = (256 - Priority) / 256 s, NOT scaled by the interval;
// Master_Down_Interval = 3 * Advertisement_Interval + Skew_Time.
// RFC 5798 (v3) 6.1: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256;
// Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time. keepalived computes the v3
// skew as ((256 - prio) * (interval_us / 10000) * 625) / 16 (625 / 16 = 10000 / 256), and
// lets the 3 be configured (down_timer_adverts).

#include <cstdint>

#include "core/time.hpp"

namespace lvs::control {

inline constexpr std::int64_t kVrrpTimerHz = 1'000'000;    ///< keepalived TIMER_HZ: timers in us
inline constexpr std::int64_t kVrrpTimerCentiHz = 10'000;  ///< keepalived TIMER_CENTI_HZ: us per centisecond

/// keepalived's VRRP_TIMER_SKEW_CALC(factor): the skew for (256 - priority) = `factor`.
constexpr Time vrrp_skew_factor(int version, std::int64_t factor, Time master_adver_int) {
  const std::int64_t adver_us = master_adver_int.count() / 1000;
  const std::int64_t us = version == 3 ? factor * (adver_us / kVrrpTimerCentiHz) * 625 / 16 : factor * kVrrpTimerHz / 256;
  return Time::us(us);
}

/// Skew_Time of `priority` (1..255), truncated to whole microseconds (VRRP_TIMER_SKEW).
constexpr Time vrrp_skew(int version, std::uint32_t priority, Time master_adver_int) {
  return vrrp_skew_factor(version, 256 - std::int64_t{priority}, master_adver_int);
}

/// The smallest skew, for (256 - priority) = 1 (VRRP_TIMER_SKEW_MIN): a `state MASTER`
/// non-owner starts with a down timer of one interval plus this (vrrp_init_state).
constexpr Time vrrp_skew_min(int version, Time master_adver_int) { return vrrp_skew_factor(version, 1, master_adver_int); }

/// Master_Down_Interval (VRRP_MS_DOWN_TIMER): `adverts` intervals plus the skew.
constexpr Time vrrp_master_down(int version, std::uint32_t priority, Time master_adver_int,
                                std::uint32_t adverts = 3) {
  const Time interval_us = Time::us(master_adver_int.count() / 1000);
  return interval_us * adverts + vrrp_skew(version, priority, master_adver_int);
}

}  // namespace lvs::control
