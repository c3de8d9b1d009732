#include "scenario/failover_spec.hpp"

namespace lvs::scenario {

std::string check_kind_name(CheckKind kind) {
  switch (kind) {
    case CheckKind::Tcp: return "TCP_CHECK";
    case CheckKind::Http: return "HTTP_GET";
    case CheckKind::Misc: return "MISC_CHECK";
  }
  return "";
}

std::string failure_kind_name(FailureKind kind) {
  switch (kind) {
    case FailureKind::Crash: return "crash";
    case FailureKind::Stop: return "stop";
    case FailureKind::LinkDown: return "link-down";
  }
  return "";
}

}  // namespace lvs::scenario
