#pragma once
// A server application's defaults where the scenario says nothing, one constant each for the
// reader, the model and the GUI: 8 requests served at once, nginx's listen backlog of 511
// (nginx's `listen ... backlog=` default; Linux's somaxconn, 4096 since 5.4, caps it from
// above), 10 000 connections at once.

#include <cstdint>

namespace lvs {

inline constexpr std::uint32_t kDefaultWorkers = 8;
inline constexpr std::uint32_t kDefaultBacklog = 511;
inline constexpr std::uint32_t kDefaultMaxConnections = 10000;

}  // namespace lvs
