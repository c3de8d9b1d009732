// IPVS connection sync between two DR directors: what a takeover keeps and loses, the
// datagrams on the wire, and the master thread's timing (docs/conn-sync.md).

#include <catch2/catch.hpp>

#include "conn_sync_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

/// Every sync datagram lvs1 sends, as it leaves.
struct SyncWire : PacketObserver {
  struct Datagram {
    Time at;
    Packet pkt;
  };
  std::vector<Datagram> sent;
  void on_transmit(Time t, const Interface& out, const Packet& p) override {
    if (out.node().name() == "lvs1" && p.ip.proto == IpProto::Udp && p.dport == control::kSyncPort)
      sent.push_back({t, p});
  }
};

/// Notes when the director hands each entry to the daemon, and passes it on.
struct EntryClock : ConnSyncSink {
  EntryClock(Simulation& sim, ConnSyncSink& next) : sim(sim), next(next) {}
  Simulation& sim;
  ConnSyncSink& next;
  std::vector<Time> at;
  void sync_conn(const SyncEntry& e) override {
    at.push_back(sim.now());
    next.sync_conn(e);
  }
};

// Ten connections from 0.1 s (synced: their 3rd packet came, and the buffer left at 3 s),
// three from 4.5 s (their entries wait in a buffer begun at 4.5 s), lvs1 crashes at 5.3 s.
constexpr int kOld = 10, kNew = 3;
constexpr Time kCrash = Time::ms(5300);

void open_sessions(SyncPair& t) {
  for (int i = 0; i < kOld; ++i) t.sessions->open_at(Time::ms(100 + 10 * i));
  for (int i = 0; i < kNew; ++i) t.sessions->open_at(Time::ms(4500 + 10 * i));
  t.crash_master_at(kCrash);
}

}  // namespace

TEST_CASE("conn sync: after a takeover the synced connections keep their real server, the unsynced are reset",
          "[control][sync]") {
  SyncPair t;
  t.start_sync();
  open_sessions(t);
  t.sim.run_until(kCrash - Time::ms(1));
  const control::SyncDaemon& master = *t.sync.daemons()[0];
  CHECK(master.stats().entries_queued == kOld + kNew);
  CHECK(master.stats().datagrams_sent == 1);  // the ten, flushed at 3 s; the three wait
  CHECK(master.stats().bytes_sent == 8 + 36 * kOld);
  CHECK(t.lvs[1]->connections().size() == kOld);
  std::vector<Ipv4Address> before;
  for (const auto& s : t.sessions->sessions) before.push_back(t.real_server_of(0, s.port));

  t.sim.run_until(Time::s(10));
  CHECK(master.stats().entries_discarded == kNew);  // stopped with them unsent
  for (int i = 0; i < kOld; ++i) {
    const Sessions::Session& s = t.sessions->sessions[i];
    INFO("old connection " << i);
    CHECK_FALSE(s.closed);
    CHECK(s.responses == 10);  // one a second from 0.1 s, through the takeover
    CHECK(t.real_server_of(1, s.port) == before[i]);
    CHECK(!before[i].is_unspecified());
  }
  for (int i = kOld; i < kOld + kNew; ++i) {
    const Sessions::Session& s = t.sessions->sessions[i];
    INFO("new connection " << i);
    CHECK(s.closed);
    CHECK(s.why == TcpCloseReason::Reset);  // lvs2's own TCP: no socket for the VIP
    CHECK(s.responses == 1);
    CHECK(s.closed_at > kCrash);
    CHECK(s.closed_at < kCrash + Time::ms(300));  // the next request, at about 5.5 s
  }
  CHECK(t.lvs[1]->counters().not_syn == kNew);
  CHECK(t.local[1]->transport_stats().resets_sent == kNew);
  CHECK(t.lvs[1]->counters().synced_new == kOld);
}

TEST_CASE("conn sync: without sync every connection open at the crash is reset mid-stream", "[control][sync]") {
  SyncPair t;
  open_sessions(t);
  t.sim.run_until(Time::s(10));
  for (const Sessions::Session& s : t.sessions->sessions) {
    CHECK(s.closed);
    CHECK(s.why == TcpCloseReason::Reset);
    CHECK(s.closed_at > kCrash);
    CHECK(s.closed_at < kCrash + Time::s(1));  // each at its next request
  }
  CHECK(t.lvs[1]->connections().size() == 0);
  CHECK(t.lvs[1]->counters().not_syn == kOld + kNew);
  CHECK(t.local[1]->transport_stats().resets_sent == kOld + kNew);
}

TEST_CASE("conn sync: 100 connections make 3 datagrams of 40, 40 and 20 entries", "[control][sync]") {
  SyncPair t;
  SyncWire wire;
  t.net.set_observer(&wire);
  t.start_sync();
  EntryClock clock(t.sim, *t.sync.daemons()[0]);
  t.lvs[0]->set_sync_sink(&clock);
  for (int i = 0; i < 100; ++i) t.sessions->open_at(Time::ms(10 + i));
  t.sim.run_until(Time::s(4));

  REQUIRE(clock.at.size() == 100);  // one entry each, on its 3rd inbound packet
  REQUIRE(wire.sent.size() == 3);   // ceil(100 / 40)
  const std::uint32_t entries[] = {40, 40, 20};
  for (int k = 0; k < 3; ++k) {
    const Packet& p = wire.sent[k].pkt;
    INFO("datagram " << k);
    CHECK(p.payload == 8 + 36 * entries[k]);  // 1448, 1448, 728
    CHECK(p.ip_bytes() == 28 + 8 + 36 * entries[k]);
    CHECK(p.ip.dst == control::kSyncGroup);
    CHECK(p.ip.src == Ipv4Address(10, 0, 0, 11));
    CHECK(p.ip.ttl == 1);
    CHECK(p.eth_dst == *MacAddress::parse("01:00:5e:00:00:51"));
  }
  // A buffer leaves 20 ms after the entry that found it full (the 41st, the 81st); the
  // last, partial, at the thread's first run at least 2 s after its first entry: the
  // thread last woke at t81 + 20 ms and then runs every second.
  CHECK(wire.sent[0].at == clock.at[40] + Time::ms(20));
  CHECK(wire.sent[1].at == clock.at[80] + Time::ms(20));
  CHECK(wire.sent[2].at == clock.at[80] + Time::ms(20) + Time::s(2));

  const control::SyncDaemon& backup = *t.sync.daemons()[1];
  CHECK(backup.stats().datagrams_received == 3);
  CHECK(backup.stats().entries_installed == 100);
  CHECK(t.lvs[1]->connections().size() == 100);
  t.lvs[1]->connections().for_each([&](const Connection& c) {
    CHECK(c.synced);
    CHECK(c.state == ConnState::Established);
    CHECK(c.daddr == t.real_server_of(0, c.cport));
    CHECK(c.expires - t.sim.now() <= Time::s(900));  // the master's ESTABLISHED timeout, from receipt
    CHECK(c.expires - t.sim.now() > Time::s(896));
  });
  const VirtualService& svc = *t.lvs[1]->services().front();
  for (const SchedDest& d : svc.destinations()) {
    CHECK(d.activeconns == 50);  // rr on lvs1 split them; the flags say active
    CHECK(svc.stats(d.id).conns == 0);  // --stats counts scheduled connections only
  }
}

TEST_CASE("conn sync: the 8th queued buffer wakes the master thread at once, the first after 20 ms",
          "[control][sync]") {
  SyncPair t;
  SyncWire wire;
  t.net.set_observer(&wire);
  t.start_sync(8 + 36);  // one entry a message
  EntryClock clock(t.sim, *t.sync.daemons()[0]);
  t.lvs[0]->set_sync_sink(&clock);
  for (int i = 0; i < 10; ++i) t.sessions->open_at(Time::ms(10 + i));
  t.sim.run_until(Time::s(4));
  REQUIRE(clock.at.size() == 10);
  REQUIRE(wire.sent.size() == 10);
  for (int k = 0; k < 8; ++k) CHECK(wire.sent[k].at == clock.at[8]);  // entry 9 queued buffer 8
  // Entry 10 queued buffer 9 while the wake-up armed by buffer 1 (at entry 2) was pending:
  // that one sends it.
  CHECK(clock.at[9] < clock.at[1] + Time::ms(20));
  CHECK(wire.sent[8].at == clock.at[1] + Time::ms(20));
  CHECK(wire.sent[9].at == clock.at[1] + Time::ms(20) + Time::s(2));  // entry 10's partial buffer
  for (const auto& d : wire.sent) CHECK(d.pkt.payload == 44);
}

TEST_CASE("conn sync: a few entries wait for the thread's poll, 2 to 3 s after the first", "[control][sync]") {
  SyncPair t;
  SyncWire wire;
  t.net.set_observer(&wire);
  t.start_sync();  // at 0: the thread runs at 1, 2, 3 ... s
  EntryClock clock(t.sim, *t.sync.daemons()[0]);
  t.lvs[0]->set_sync_sink(&clock);
  for (int i = 0; i < 5; ++i) t.sessions->open_at(Time::ms(300 + 10 * i));
  t.sim.run_until(Time::ms(2999));
  CHECK(wire.sent.empty());
  CHECK(t.lvs[1]->connections().size() == 0);
  t.sim.run_until(Time::s(4));
  REQUIRE(clock.at.size() == 5);
  REQUIRE(wire.sent.size() == 1);
  CHECK(wire.sent[0].at == Time::s(3));  // 2.7 s after the first entry
  CHECK(wire.sent[0].pkt.payload == 8 + 36 * 5);
  CHECK(t.lvs[1]->connections().size() == 5);
}

TEST_CASE("conn sync: a backup ignores another syncid, and a stopped one has left the group", "[control][sync]") {
  SyncPair t;
  scenario::SyncDaemonSpec spec;
  spec.syncid = 51;
  t.sync.add(*t.lvs[0], *t.local[0], spec, &t.log).start_master();
  spec.syncid = 52;
  control::SyncDaemon& other = t.sync.add(*t.lvs[1], *t.local[1], spec, &t.log);
  other.start_backup();
  for (int i = 0; i < 5; ++i) t.sessions->open_at(Time::ms(300 + 10 * i));
  t.sim.run_until(Time::s(4));
  CHECK(other.stats().datagrams_received == 1);
  CHECK(other.stats().other_syncid == 1);
  CHECK(t.lvs[1]->connections().size() == 0);

  other.stop();
  CHECK_FALSE(t.lvs[1]->joined_multicast(*t.lvs[1]->interface("eth0"), control::kSyncGroup));
  for (int i = 0; i < 5; ++i) t.sessions->open_at(Time::ms(4300 + 10 * i));
  t.sim.run_until(Time::s(8));
  CHECK(t.sync.daemons()[0]->stats().datagrams_sent == 2);
  CHECK(other.stats().datagrams_received == 1);  // the NIC no longer takes the group
  CHECK(t.local[1]->transport_stats().udp_datagrams_in == 1);
  CHECK(t.log.records().size() == 3);
  CHECK(t.log.records()[0].line == "IPVS: sync thread started: state = MASTER, mcast_ifn = eth0, syncid = 51, id = 0");
  CHECK(t.log.records()[2].event == "sync-stop");
}
