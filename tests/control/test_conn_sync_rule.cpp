// ip_vs_sync_conn_needed as rows: the state after each inbound packet, its count, and
// whether the connection is sent (sync_threshold "3 50" unless the row says otherwise).

#include <catch2/catch.hpp>

#include "lvs/sync_entry.hpp"

using namespace lvs;
using S = ConnState;

namespace {

struct Step {
  S state;
  std::uint32_t pkts;
  bool synced;
};

struct Row {
  const char* name;
  IpProto proto;
  std::uint32_t period;
  std::vector<Step> steps;
};

}  // namespace

TEST_CASE("conn sync rule: which inbound packets send a connection", "[control][sync]") {
  const std::vector<Row> rows{
      {"a DR connection's life", IpProto::Tcp, 50,
       {{S::SynRecv, 1, false}, {S::Established, 2, false}, {S::Established, 3, true}, {S::Established, 4, false},
        {S::Established, 52, false}, {S::Established, 53, true}, {S::FinWait, 54, true}, {S::FinWait, 55, false},
        {S::Close, 56, true}}},
      {"into ESTABLISHED waits for the count", IpProto::Tcp, 50,
       {{S::SynRecv, 1, false}, {S::SynRecv, 2, false}, {S::SynRecv, 3, false}, {S::Established, 4, false},
        {S::Established, 53, true}}},
      {"FIN before the 3rd packet is sent at once", IpProto::Tcp, 50,
       {{S::SynRecv, 1, false}, {S::Established, 2, false}, {S::FinWait, 3, true}}},
      {"NAT close: CLOSE_WAIT and TIME_WAIT at once, LAST_ACK never", IpProto::Tcp, 50,
       {{S::Established, 3, true}, {S::CloseWait, 4, true}, {S::LastAck, 5, false}, {S::TimeWait, 6, true}}},
      {"UDP: the count alone", IpProto::Udp, 50,
       {{S::Udp, 1, false}, {S::Udp, 3, true}, {S::Udp, 4, false}, {S::Udp, 53, true}, {S::Udp, 103, true}}},
      {"sync_period 0: the 3rd packet only", IpProto::Tcp, 0,
       {{S::Established, 3, true}, {S::Established, 53, false}, {S::FinWait, 54, true}}},
  };
  for (const Row& row : rows) {
    Connection c;
    c.proto = row.proto;
    for (const Step& step : row.steps) {
      INFO(row.name << ": " << state_name(step.state) << " on packet " << step.pkts);
      c.state = step.state;
      CHECK(sync_conn_needed(c, step.pkts, 3, row.period) == step.synced);
    }
  }
}

TEST_CASE("conn sync rule: the entry carries the master's timeout for the state", "[control][sync]") {
  Connection c;
  c.state = S::FinWait;
  c.counted_active = false;
  c.no_output = true;
  CHECK(sync_entry(c).timeout_s == 120);
  CHECK(sync_entry(c).inactive);
  c.state = S::Established;
  c.counted_active = true;
  CHECK(sync_entry(c).timeout_s == 900);
  CHECK_FALSE(sync_entry(c).inactive);
  CHECK(kSyncEntryBytes == 36);
}
