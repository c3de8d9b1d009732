#pragma once
// A waiter that records when each blocked read or write of a mount finished, with its token
// and result (the storage tests' common NfsWaiter).

#include <cstdint>
#include <vector>

#include "core/simulation.hpp"
#include "storage/mount.hpp"

namespace lvs::test {

struct RecordingWaiter : storage::NfsWaiter {
  struct Done {
    Time t;
    std::uint64_t token;
    storage::NfsResult result;
  };
  explicit RecordingWaiter(Simulation& sim) : sim_(sim) {}
  std::vector<Done> done;
  void on_nfs_done(std::uint64_t token, storage::NfsResult result) override {
    done.push_back({sim_.now(), token, result});
  }

 private:
  Simulation& sim_;
};

}  // namespace lvs::test
