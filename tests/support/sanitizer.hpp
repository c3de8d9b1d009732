#pragma once
// LVSLAB_ASAN is 1 in a build with AddressSanitizer, else 0. GCC defines
// __SANITIZE_ADDRESS__; clang before version 18 does not, and answers
// __has_feature(address_sanitizer) instead (clang's AddressSanitizer documentation,
// "Conditional Compilation with __has_feature(address_sanitizer)").

#if defined(__SANITIZE_ADDRESS__)
#define LVSLAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LVSLAB_ASAN 1
#endif
#endif
#ifndef LVSLAB_ASAN
#define LVSLAB_ASAN 0
#endif

namespace lvs::test {
/// True under AddressSanitizer, where a run is about 30 times slower: the longest tests
/// shorten their runs.
inline constexpr bool kSanitized = LVSLAB_ASAN != 0;
}  // namespace lvs::test
