#pragma once
// The thread pool that `compare` and `sweep` run their replications on: jobs are numbered,
// threads take the next number until there is none left or the caller says stop, and every
// job writes its result at its own index, so that nothing a command prints depends on how
// many threads ran or which finished first.

#include <atomic>
#include <functional>

namespace lvs::run {

/// Calls work(j) once for each j in [0, total), in increasing order of start, on
/// min(threads, total) threads (the calling thread alone when that is 1), until every job
/// has started or `stop` is true (a job already running finishes). `work` must not throw;
/// it may set `stop`. Returns when every started job has finished.
void for_each_job(int total, int threads, const std::atomic<bool>& stop, const std::function<void(int)>& work);

}  // namespace lvs::run
