// Replays fuzz corpus inputs through the fuzzer's entry, without clang or libFuzzer: one ctest
// test per file of tests/fuzz/corpus/. Prints check_scenario's outcome ("ok: ..." or
// "error: ...") and exits 0 when the input ended that way; an unexpected exception exits 1.

#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "fuzz/scenario_entry.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: lvslab_fuzz_replay CORPUS_FILE\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << argv[1] << '\n';
    return 2;
  }
  std::ostringstream text;
  text << in.rdbuf();
  try {
    std::cout << lvs::fuzz::check_scenario(text.str(), "fuzz.yaml") << '\n';
  } catch (const std::exception& e) {
    std::cout << "unexpected exception: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
