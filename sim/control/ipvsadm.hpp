#pragma once
// The control plane's one way into a director's IPVS tables: the operations ipvsadm (and
// keepalived, through the same netlink calls) makes on a running service. Everything that
// changes the cluster while it runs, the scenario's timeline today and health checkers,
// VRRP and connection sync tomorrow, says what it wants as one of these.

#include <cstdint>
#include <optional>
#include <string>

#include "lvs/virtual_service.hpp"

namespace lvs::control {

/// One ipvsadm command on one virtual service.
struct IpvsadmCommand {
  enum class Op : std::uint8_t {
    AddDest,     ///< ipvsadm -a -r RIP:PORT -m|-g|-i -w W -x U -y L
    EditDest,    ///< ipvsadm -e: weight and thresholds; those not given keep their value
    DeleteDest,  ///< ipvsadm -d -r RIP:PORT
    EditService  ///< ipvsadm -E -s SCHED
  };
  Op op = Op::EditDest;
  VirtualService* service = nullptr;
  DestinationConfig dest;                    ///< the destination (its address and port name it)
  std::optional<std::int32_t> weight;        ///< EditDest: -w
  std::optional<std::int32_t> u_threshold;   ///< EditDest: -x
  std::optional<std::int32_t> l_threshold;   ///< EditDest: -y
  std::string scheduler;                     ///< EditService: -s
};

/// Carries `cmd` out on its service, as the kernel's IP_VS_SO_SET_* handlers would. A
/// command about a destination the service does not have (or already has, for AddDest)
/// changes nothing and returns false, as ipvsadm reports ENOENT / EEXIST.
bool apply(const IpvsadmCommand& cmd);

}  // namespace lvs::control
