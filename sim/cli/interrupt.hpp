#pragma once
// Ctrl-C during `run`, `compare` and `trace`: a SIGINT handler that only sets a flag; the
// simulation checks it after every event and stops, and the command prints what it has,
// marked as interrupted, and exits with 130 (128 + SIGINT, as a shell reports it).

#include <atomic>
#include <functional>

namespace lvs {
class Simulation;
}

namespace lvs::cli {

/// Exit status of a command stopped by SIGINT.
inline constexpr int kExitInterrupted = 130;

/// Installs the SIGINT handler (once; a second Ctrl-C gets the default action and ends the
/// process at once) and returns the flag it sets.
const std::atomic<bool>* install_sigint_handler();

/// The test hook: with LVSLAB_TEST_SIGINT_AT=TIME in the environment (e.g. "3.5s"), an event
/// at that simulated time raises SIGINT in the process, as Ctrl-C would; otherwise nothing.
/// Throws std::invalid_argument for a malformed TIME.
std::function<void(Simulation&)> sigint_test_hook();

}  // namespace lvs::cli
