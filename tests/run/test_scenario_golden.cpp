// Every file in scenarios/ is a golden test: it must validate without errors and its run
// summary (every figure but the wall time, with the trajectory fingerprint) must equal the
// approved tests/golden/NAME.summary. A change to a summary must be deliberate: run the
// test with LVSLAB_APPROVE=1 to rewrite the approved files, and review the diff.

#include <catch2/catch.hpp>

#include "support/source_tree.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "run/run.hpp"

namespace fs = std::filesystem;
using namespace lvs;

namespace {

std::string summary_of(const fs::path& file) {
  const scenario::ScenarioSpec spec = scenario::read_scenario(file.string());
  for (const scenario::Finding& f : scenario::validate(spec)) {
    INFO(f.str(spec.file));
    CHECK(f.severity != scenario::Finding::Severity::Error);
  }
  run::RunResult r = run::run_scenario(spec, {});
  r.file = file.filename().string();
  std::ostringstream out;
  run::print_summary(out, r, false);
  return out.str();
}

}  // namespace

TEST_CASE("every scenario file runs and matches its approved summary") {
  const std::vector<fs::path> files = lvs::test::bundled_scenarios();
  REQUIRE(files.size() >= 4);
  const bool approve = std::getenv("LVSLAB_APPROVE") != nullptr;
  for (const fs::path& file : files) {
    SECTION(file.filename().string()) {
      const std::string actual = summary_of(file);
      const fs::path approved = lvs::test::kSource / "tests" / "golden" / (file.stem().string() + ".summary");
      if (approve) std::ofstream(approved) << actual;
      INFO("approved: " << approved.string() << "\n(run with LVSLAB_APPROVE=1 to approve a deliberate change)");
      REQUIRE(fs::exists(approved));
      CHECK(actual == lvs::test::read_file(approved));
    }
  }
}
