// libFuzzer target over the scenario reader and validation (docs/fuzzing.md). Built with
// -DLVSLAB_FUZZ=ON by clang only; every input goes through check_scenario, which must end.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/scenario_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  lvs::fuzz::check_scenario(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
  return 0;
}
