#pragma once
// Running a main window's scenario to its end in a widget test.

#include <catch2/catch.hpp>

#include "gui_fixture.hpp"
#include "main_window.hpp"

namespace lvs::test {

/// Starts `w`'s scenario and waits for the redraw after the run; the window keeps the result.
inline void run_to_end(gui::MainWindow& w) {
  REQUIRE(w.loaded());
  w.start();
  REQUIRE(wait_for(&w, &gui::MainWindow::redrawn));
  REQUIRE(w.last_result().has_value());
}

}  // namespace lvs::test
