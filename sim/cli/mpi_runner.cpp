#include "cli/mpi_runner.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <tuple>

#ifdef LVSLAB_HAVE_MPI
#include <mpi.h>
#endif

namespace lvs::cli {

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

#ifdef LVSLAB_HAVE_MPI

namespace {

// One run's figures on the wire: its status, then RunFigures::values, then ::bottleneck.
constexpr int kBottleneckFields = static_cast<int>(std::tuple_size_v<decltype(run::RunFigures::bottleneck)>);
constexpr int kRecord = 1 + static_cast<int>(run::kRunMetrics) + kBottleneckFields;

class MpiRunner : public run::BatchRunner {
 public:
  MpiRunner(run::BatchOptions options, int rank, int size)
      : local_(std::move(options), true), rank_(rank), size_(size) {}

  std::vector<run::RunFigures> run(std::span<const run::RunJob> jobs) override {
    const int n = static_cast<int>(jobs.size());
    std::vector<run::RunJob> mine;
    for (int j = rank_; j < n; j += size_) mine.push_back(jobs[static_cast<std::size_t>(j)]);
    std::vector<double> send;
    for (const run::RunFigures& f : local_.run(mine)) {
      send.push_back(static_cast<double>(f.status));
      send.insert(send.end(), f.values.begin(), f.values.end());
      send.insert(send.end(), f.bottleneck.begin(), f.bottleneck.end());
    }
    std::vector<int> counts(static_cast<std::size_t>(size_)), offsets(static_cast<std::size_t>(size_));
    for (int r = 0, at = 0; r < size_; ++r) {
      counts[static_cast<std::size_t>(r)] = (r < n ? (n - r + size_ - 1) / size_ : 0) * kRecord;
      offsets[static_cast<std::size_t>(r)] = at;
      at += counts[static_cast<std::size_t>(r)];
    }
    std::vector<double> all(static_cast<std::size_t>(n) * kRecord);
    MPI_Allgatherv(send.data(), static_cast<int>(send.size()), MPI_DOUBLE, all.data(), counts.data(), offsets.data(),
                   MPI_DOUBLE, MPI_COMM_WORLD);
    return unpack(jobs, all, offsets);
  }

 private:
  // Rank r's k-th record is job r + k * size.
  std::vector<run::RunFigures> unpack(std::span<const run::RunJob> jobs, const std::vector<double>& all,
                                      const std::vector<int>& offsets) const {
    std::vector<run::RunFigures> figures(jobs.size());
    for (std::size_t j = 0; j < jobs.size(); ++j) {
      const std::size_t r = j % static_cast<std::size_t>(size_), k = j / static_cast<std::size_t>(size_);
      const double* rec = all.data() + offsets[r] + k * kRecord;
      figures[j].status = static_cast<run::RunStatus>(static_cast<int>(rec[0]));
      const double* values = rec + 1;
      const double* bottleneck = values + run::kRunMetrics;
      std::copy(values, bottleneck, figures[j].values.begin());
      std::copy(bottleneck, rec + kRecord, figures[j].bottleneck.begin());
    }
    for (std::size_t j = 0; j < jobs.size(); ++j)  // every rank reruns the first failure and throws its error
      if (figures[j].status == run::RunStatus::Failed) local_.rethrow_failure(jobs[j]);
    return figures;
  }

  run::ThreadRunner local_;
  int rank_, size_;
};

}  // namespace

MpiWorld::MpiWorld() {
  MPI_Init(nullptr, nullptr);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiWorld::~MpiWorld() { MPI_Finalize(); }

std::unique_ptr<run::BatchRunner> MpiWorld::runner(run::BatchOptions options) const {
  return std::make_unique<MpiRunner>(std::move(options), rank_, size_);
}

#else

MpiWorld::MpiWorld() {
  throw std::runtime_error("started by an MPI launcher (mpirun, srun), but this lvslab was built without MPI "
                           "(install libopenmpi-dev and configure again)");
}

MpiWorld::~MpiWorld() = default;

std::unique_ptr<run::BatchRunner> MpiWorld::runner(run::BatchOptions options) const {
  return std::make_unique<run::ThreadRunner>(std::move(options));
}

#endif

}  // namespace lvs::cli
