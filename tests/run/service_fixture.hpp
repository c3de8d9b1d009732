#pragma once
// nat-basic with extra YAML (events, persistence) appended, built into a model that a test
// can run in steps and look into: the director's service, templates and the real servers.

#include <memory>
#include <string>
#include <vector>

#include "run/builder.hpp"
#include "run_fixture.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::test {

/// nat-basic's text with `extra` appended (a top-level section such as `events:`), read with
/// `overrides` and validated.
inline scenario::ScenarioSpec nat_with(const std::string& extra, const std::vector<std::string>& overrides = {}) {
  const std::string text = read_file(kSource / "scenarios" / "nat-basic.yaml") + "\n" + extra;
  return checked(scenario::read_scenario_text(text, "nat-basic.yaml", overrides));
}

/// A built model of `spec` (seed 1) and handles on its parts.
struct ServiceModel {
  explicit ServiceModel(const scenario::ScenarioSpec& spec) : model(run::build_model(spec, 1)) {}
  std::unique_ptr<run::Model> model;
  Director& director() const { return *model->directors.front(); }
  VirtualService& service() const { return *director().services().front(); }
  RealServer& server(std::size_t i) const { return *model->servers.at(i); }
  /// The destination on real server `name` (in the list or the trash).
  const SchedDest& dest(const std::string& name) const {
    for (RealServer* r : model->servers)
      if (r->name() == name) return service().dest(*service().find(r->interfaces().front()->primary_address(), 80));
    throw std::invalid_argument("no real server " + name);
  }
  void run_until(Time t) const { model->sim.run_until(t); }
};

}  // namespace lvs::test
