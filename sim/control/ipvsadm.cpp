#include "control/ipvsadm.hpp"

#include "schedulers/registry.hpp"

namespace lvs::control {

namespace {

bool edit(VirtualService& vs, DestId id, const IpvsadmCommand& cmd) {
  const DestinationConfig& now = vs.config(id);
  vs.edit_destination(id, cmd.weight.value_or(now.weight), cmd.u_threshold.value_or(now.u_threshold),
                      cmd.l_threshold.value_or(now.l_threshold));
  return true;
}

}  // namespace

bool apply(const IpvsadmCommand& cmd) {
  VirtualService& vs = *cmd.service;
  if (cmd.op == IpvsadmCommand::Op::EditService) {
    vs.set_scheduler(make_scheduler(cmd.scheduler));
    return true;
  }
  const std::optional<DestId> id = vs.find(cmd.dest.addr, cmd.dest.port);
  const bool present = id && vs.has(*id);
  switch (cmd.op) {
    case IpvsadmCommand::Op::AddDest:
      if (present) return false;  // EEXIST
      vs.add_destination(cmd.dest);
      return true;
    case IpvsadmCommand::Op::DeleteDest:
      if (!present) return false;  // ENOENT
      vs.remove_destination(*id);
      return true;
    case IpvsadmCommand::Op::EditDest:
      return present && edit(vs, *id, cmd);
    case IpvsadmCommand::Op::EditService:
      break;
  }
  return false;
}

}  // namespace lvs::control
