#pragma once
// Helpers shared by the scenario tests.

#include <string>

#include "scenario/yaml_reader.hpp"

namespace lvs::test {

/// what() of the ScenarioError thrown by f, or "no error".
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const scenario::ScenarioError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace lvs::test
