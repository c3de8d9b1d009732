// The control plane's ipvsadm commands and its timeline, against a bare virtual service.

#include <catch2/catch.hpp>

#include "control/ipvsadm.hpp"
#include "control/timeline.hpp"
#include "schedulers/registry.hpp"

using namespace lvs;
using namespace lvs::control;
using Op = IpvsadmCommand::Op;

namespace {

struct Service {
  Rng rng{1};
  VirtualService vs{IpProto::Tcp, Ipv4Address(10, 0, 0, 100), 80, make_scheduler("wrr"), rng};
};

DestinationConfig rs(std::uint8_t last, std::int32_t weight = 1) {
  return DestinationConfig{.name = "rs" + std::to_string(last), .addr = Ipv4Address(10, 0, 1, last),
                           .method = ForwardingMethod::DirectRouting, .weight = weight};
}

IpvsadmCommand command(Op op, VirtualService& vs, DestinationConfig dest) {
  IpvsadmCommand c;
  c.op = op;
  c.service = &vs;
  c.dest = std::move(dest);
  return c;
}

std::vector<std::string> list_order(const VirtualService& vs) {
  std::vector<std::string> out;
  for (const SchedDest& d : vs.destinations()) out.push_back(vs.config(d.id).name);
  return out;
}

}  // namespace

TEST_CASE("control: ipvsadm -a links at the head, -d unlinks, and EEXIST / ENOENT change nothing",
          "[control]") {
  Service s;
  CHECK(apply(command(Op::AddDest, s.vs, rs(11))));
  CHECK(apply(command(Op::AddDest, s.vs, rs(12))));
  CHECK(list_order(s.vs) == std::vector<std::string>{"rs12", "rs11"});  // list_add_rcu: newest first
  CHECK_FALSE(apply(command(Op::AddDest, s.vs, rs(11, 5))));           // EEXIST
  CHECK(s.vs.config(*s.vs.find(Ipv4Address(10, 0, 1, 11), 0)).weight == 1);
  CHECK(apply(command(Op::DeleteDest, s.vs, rs(11))));
  CHECK_FALSE(apply(command(Op::DeleteDest, s.vs, rs(11))));  // ENOENT
  CHECK_FALSE(apply(command(Op::EditDest, s.vs, rs(11))));    // ENOENT
  CHECK(apply(command(Op::AddDest, s.vs, rs(11))));
  CHECK(list_order(s.vs) == std::vector<std::string>{"rs11", "rs12"});  // back at the head
}

TEST_CASE("control: ipvsadm -e changes what it names and keeps the rest, -E -s binds a scheduler", "[control]") {
  Service s;
  DestinationConfig cfg = rs(11, 3);
  cfg.u_threshold = 100;
  cfg.l_threshold = 50;
  REQUIRE(apply(command(Op::AddDest, s.vs, cfg)));
  IpvsadmCommand edit = command(Op::EditDest, s.vs, rs(11));
  edit.weight = 0;
  CHECK(apply(edit));
  const DestId id = *s.vs.find(Ipv4Address(10, 0, 1, 11), 0);
  CHECK(s.vs.config(id).weight == 0);
  CHECK(s.vs.config(id).u_threshold == 100);
  CHECK(s.vs.config(id).l_threshold == 50);
  CHECK(s.vs.dest(id).last_weight == 3);  // the latest non-zero weight
  IpvsadmCommand sched = command(Op::EditService, s.vs, {});
  sched.scheduler = "sh";
  CHECK(apply(sched));
  CHECK(s.vs.scheduler().name() == "sh");
}

TEST_CASE("control: the timeline carries out each command at its time, in the order given", "[control]") {
  Service s;
  Simulation sim(1);
  Timeline timeline(sim);
  timeline.at(Time::s(2), command(Op::DeleteDest, s.vs, rs(11)));
  timeline.at(Time::s(1), command(Op::AddDest, s.vs, rs(11)));
  timeline.at(Time::s(1), command(Op::AddDest, s.vs, rs(12)));
  timeline.at(Time::s(3), command(Op::DeleteDest, s.vs, rs(11)));  // already gone: refused
  sim.run_until(Time::ms(1500));
  CHECK(list_order(s.vs) == std::vector<std::string>{"rs12", "rs11"});
  CHECK(timeline.applied() == 2);
  sim.run_until(Time::s(4));
  CHECK(list_order(s.vs) == std::vector<std::string>{"rs12"});
  CHECK(timeline.applied() == 3);
  CHECK(timeline.refused() == 1);
}
