// build_sync: a scenario's sync_daemon becomes one daemon per director, each a backup.

#include <catch2/catch.hpp>

#include "run/build_sync.hpp"
#include "run_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

TEST_CASE("build_sync: a daemon per director, started as backup, with the spec's figures", "[run][sync]") {
  scenario::ScenarioSpec spec = scenario_file("dr-basic", {"duration=2s"});
  CHECK(run::build_model(spec, spec.seed)->sync == nullptr);  // no sync_daemon: none
  scenario::SyncDaemonSpec sync;
  sync.syncid = 7;
  sync.maxlen = 8 + 36 * 10;
  sync.period = 0;
  spec.sync_daemon = sync;
  std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
  REQUIRE(m->sync != nullptr);
  REQUIRE(m->sync->daemons().size() == m->directors.size());
  for (const auto& d : m->sync->daemons()) {
    CHECK(d->backup());
    CHECK_FALSE(d->master());
    CHECK(d->syncid() == 7);
    CHECK(d->entries_per_message() == 10);
    CHECK(d->director().ipvs_sysctl().sync_period == 0);
  }
  CHECK(m->log.records().size() == m->directors.size());
  CHECK(m->log.records().front().event == "sync-start");
  m->sync->daemons().front()->start_master();
  m->sim.run_until(spec.duration);
  CHECK(m->sync->daemons().front()->stats().entries_queued > 0);  // the clients' connections
  CHECK(m->clients.at(0)->totals().failed_total() == 0);
}
