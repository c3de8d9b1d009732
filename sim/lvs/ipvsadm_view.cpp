#include "lvs/ipvsadm_view.hpp"

#include "lvs/ipvsadm_format.hpp"

namespace lvs {

std::string ipvsadm_view(Director& d, const IpvsadmCommand& c, Time now) {
  switch (c.view) {
    case IpvsadmView::List: return ipvsadm_list(d);
    case IpvsadmView::Stats: return ipvsadm_stats(d, c.exact);
    case IpvsadmView::Rate: d.update_estimators(now); return ipvsadm_rate(d, c.exact);
    case IpvsadmView::Thresholds: return ipvsadm_thresholds(d);
    case IpvsadmView::PersistentConn: return ipvsadm_persistent_conn(d);
    case IpvsadmView::Connections: return ipvsadm_connections(d, now);
    case IpvsadmView::Timeout: return ipvsadm_timeout(d);
    case IpvsadmView::Save: return ipvsadm_save(d);
  }
  return {};
}

}  // namespace lvs
