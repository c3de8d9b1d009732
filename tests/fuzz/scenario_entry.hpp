#pragma once
// The one entry the scenario fuzzer (fuzz_scenario.cpp, libFuzzer) and the corpus replay
// (replay_corpus.cpp, an ordinary test) feed their inputs through: read the text as a
// scenario file, apply the overrides written at its top, validate. Every input must end
// with ok or with a ScenarioError; anything else (another exception, a crash, a hang, memory
// without bound) is a bug.
//
// Overrides: leading lines "#--set KEY.PATH=VALUE" (YAML comments, so the file stays the
// scenario it was, line numbers too): the input "#--set seed=-1\n<scenario>" is
// `lvslab validate <scenario> --set seed=-1`.

#include <string>
#include <string_view>

namespace lvs::fuzz {

/// "ok: 4 hosts, 1 services, 1 client populations", "error: FILE:LINE:COL: ..." (a refused
/// input or a validate() error finding, the first one), for the input `data` read as the file `name`.
std::string check_scenario(std::string_view data, const std::string& name);

}  // namespace lvs::fuzz
