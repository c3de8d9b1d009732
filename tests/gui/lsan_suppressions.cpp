// Leaks LeakSanitizer finds in the libraries under the GUI, not in lvslab: fontconfig keeps
// its pattern caches until the process ends. (The tests' QApplication is never destroyed but
// stays reachable through a static pointer, so it is not reported.) Only the sanitizer build
// reads this.

extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
