#pragma once
// Counts heap allocations in a test executable that compiles allocation_counter.cpp,
// which replaces the global operator new. Under AddressSanitizer the allocator is ASan's
// and is left alone: counting_allocations() is false there and the count stays 0.

#include "support/sanitizer.hpp"

namespace lvs::test {

/// operator new calls so far in this process.
long allocations();
/// Whether allocations are really being counted (false in sanitizer builds).
constexpr bool counting_allocations() {
#if LVSLAB_ASAN
  return false;
#else
  return true;
#endif
}

}  // namespace lvs::test
