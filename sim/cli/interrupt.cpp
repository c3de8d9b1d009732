#include "cli/interrupt.hpp"

#include <signal.h>

#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "core/simulation.hpp"
#include "core/time.hpp"

namespace lvs::cli {

namespace {

// The one piece of process-wide state: a signal handler has nowhere else to write.
std::atomic<bool> g_sigint{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the handler may only touch a lock-free atomic");

extern "C" void on_sigint(int) { g_sigint.store(true, std::memory_order_relaxed); }

}  // namespace

const std::atomic<bool>* install_sigint_handler() {
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // the second Ctrl-C is not caught
  sigaction(SIGINT, &action, nullptr);
  return &g_sigint;
}

std::function<void(Simulation&)> sigint_test_hook() {
  const char* at = std::getenv("LVSLAB_TEST_SIGINT_AT");
  if (at == nullptr) return {};
  Time t;
  try {
    t = parse_time(at);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("LVSLAB_TEST_SIGINT_AT: ") + e.what());
  }
  return [t](Simulation& sim) { sim.schedule_at(t, [] { std::raise(SIGINT); }); };
}

}  // namespace lvs::cli
