// Test vector 24 of ipvs-semantics.md (§4): IP_VS_DEST_F_OVERLOAD set by ip_vs_bind_dest when
// activeconns + inactconns reaches -x, cleared by ip_vs_unbind_dest below -y, or below 3/4
// of -x when -y is 0, and on an edit that raises or removes -x. Templates do not count.

#include <catch2/catch.hpp>

#include "lvs/virtual_service.hpp"
#include "schedulers/registry.hpp"

using namespace lvs;

namespace {

struct Service {
  Rng rng{1};
  VirtualService svc{IpProto::Tcp, Ipv4Address(10, 0, 0, 100), 80, make_scheduler("wlc"), rng};
  DestId id;
  Service(std::int32_t u, std::int32_t l) {
    id = svc.add_destination({"rs1", Ipv4Address(10, 0, 0, 11), 80, ForwardingMethod::DirectRouting, 1, u, l});
  }
  bool overloaded() const { return svc.dest(id).overloaded; }
};

}  // namespace

TEST_CASE("thresholds -x 4 -y 0: overloaded at the 4th connection, still at 3, clear at 2 (below 3/4 of 4)", "[lvs][thresholds]") {
  Service s(4, 0);
  for (int k = 0; k < 3; ++k) s.svc.bind(s.id);
  CHECK_FALSE(s.overloaded());
  s.svc.bind(s.id);
  CHECK(s.overloaded());
  s.svc.unbind(s.id, false);  // total 3: 12 < 12 is false
  CHECK(s.overloaded());
  s.svc.unbind(s.id, false);  // total 2
  CHECK_FALSE(s.overloaded());
}

TEST_CASE("thresholds -x 4 -y 2: still overloaded at 3 and 2, clear at 1", "[lvs][thresholds]") {
  Service s(4, 2);
  for (int k = 0; k < 4; ++k) s.svc.bind(s.id);
  CHECK(s.overloaded());
  s.svc.unbind(s.id, false);
  CHECK(s.overloaded());
  s.svc.unbind(s.id, false);
  CHECK(s.overloaded());
  s.svc.unbind(s.id, false);
  CHECK_FALSE(s.overloaded());
}

TEST_CASE("active connections count like inactive ones, templates do not", "[lvs][thresholds]") {
  Service s(2, 0);
  s.svc.bind_template(s.id);
  s.svc.bind_template(s.id);
  CHECK_FALSE(s.overloaded());
  CHECK(s.svc.dest(s.id).persistconns == 2);
  s.svc.bind(s.id);
  s.svc.set_active(s.id, true);
  CHECK_FALSE(s.overloaded());
  s.svc.bind(s.id);
  CHECK(s.overloaded());
  CHECK(s.svc.dest(s.id).activeconns == 1);
  CHECK(s.svc.dest(s.id).inactconns == 1);
}

TEST_CASE("an edit that raises or removes -x clears the flag, one that lowers it does not", "[lvs][thresholds]") {
  Service s(2, 0);
  s.svc.bind(s.id);
  s.svc.bind(s.id);
  REQUIRE(s.overloaded());
  s.svc.edit_destination(s.id, 1, 1, 0);  // lowered: stays
  CHECK(s.overloaded());
  s.svc.edit_destination(s.id, 1, 3, 0);  // raised: cleared (and set again only at the next bind)
  CHECK_FALSE(s.overloaded());
  s.svc.bind(s.id);
  CHECK(s.overloaded());
  s.svc.edit_destination(s.id, 1, 0, 0);  // removed
  CHECK_FALSE(s.overloaded());
}
