// VirtualService::add_destinations against add_destination one by one (docs/server-groups.md,
// "Scale"): the same ids, list, configurations and find() answers; a destination from the
// trash gets its id back; a refused batch adds nothing.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "lvs/virtual_service.hpp"
#include "schedulers/registry.hpp"

using namespace lvs;

namespace {

struct Service {
  Rng rng{1};
  VirtualService svc{IpProto::Tcp, Ipv4Address(10, 0, 0, 100), 80, make_scheduler("wrr"), rng};
};

DestinationConfig dest(int k, std::uint16_t port = 0) {
  return {"rs" + std::to_string(k), Ipv4Address(10, 0, 1, static_cast<std::uint8_t>(k)), port,
          ForwardingMethod::Masquerade, 1 + k % 4, 0, 0};
}

std::string listing(const VirtualService& s) {
  std::string out;
  for (const SchedDest& d : s.destinations())
    out += std::to_string(d.id) + "=" + s.config(d.id).name + ":" + std::to_string(d.port) + "w" +
           std::to_string(d.weight) + " ";
  return out;
}

}  // namespace

TEST_CASE("add_destinations gives the ids, list and lookups of add_destination one by one", "[lvs][scale]") {
  Service one, batch;
  for (Service* s : {&one, &batch}) {  // a service already in use: 3 added, the middle one removed
    for (int k = 1; k <= 3; ++k) s->svc.add_destination(dest(k));
    s->svc.remove_destination(1);
  }
  std::vector<DestinationConfig> cfgs{dest(4), dest(2), dest(5, 8080), dest(6)};
  std::vector<DestId> one_ids;
  for (const DestinationConfig& c : cfgs) one_ids.push_back(one.svc.add_destination(c));
  const std::vector<DestId> batch_ids = batch.svc.add_destinations(cfgs);

  CHECK(batch_ids == std::vector<DestId>{3, 1, 4, 5});  // rs2 back from the trash with id 1
  CHECK(batch_ids == one_ids);
  CHECK(listing(batch.svc) == "5=rs6:80w3 4=rs5:8080w2 1=rs2:80w3 3=rs4:80w1 2=rs3:80w4 0=rs1:80w2 ");
  CHECK(listing(batch.svc) == listing(one.svc));
  CHECK(batch.svc.find(Ipv4Address(10, 0, 1, 5), 8080) == DestId{4});
  CHECK(batch.svc.find(Ipv4Address(10, 0, 1, 5), 0) == std::nullopt);  // port 0 is the VIP's, 80
  CHECK(batch.svc.find(Ipv4Address(10, 0, 1, 6), 80) == DestId{5});
  CHECK(batch.svc.find(Ipv4Address(10, 0, 1, 6), 0) == DestId{5});
}

TEST_CASE("add_destinations refuses a destination in the service or twice in the batch, adding none", "[lvs][scale]") {
  Service s;
  s.svc.add_destination(dest(1));
  const std::vector<DestinationConfig> again{dest(2), dest(1)};
  CHECK_THROWS_WITH(s.svc.add_destinations(again), "destination 10.0.1.1 is already in the service");
  const std::vector<DestinationConfig> twice{dest(3), dest(4), dest(3, 80)};  // port 80 is the VIP's
  CHECK_THROWS_WITH(s.svc.add_destinations(twice), "destination 10.0.1.3 is already in the service");
  DestinationConfig heavy = dest(7);
  heavy.weight = 70000;
  const std::vector<DestinationConfig> bad_weight{dest(5), heavy};
  CHECK_THROWS_WITH(s.svc.add_destinations(bad_weight), "weight must be in 0..65535");
  CHECK(listing(s.svc) == "0=rs1:80w2 ");
  CHECK(s.svc.find(Ipv4Address(10, 0, 1, 2), 0) == std::nullopt);
  CHECK(s.svc.find(Ipv4Address(10, 0, 1, 5), 0) == std::nullopt);
  CHECK(s.svc.add_destination(dest(2)) == DestId{1});  // the refused batches took no id
}
