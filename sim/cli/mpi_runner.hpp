#pragma once
// `mpirun -n N lvslab sweep ...`: the ranks split every batch of runs (job j on rank j mod N,
// each rank on its own --jobs threads), then every rank gets every run's figures
// (MPI_Allgatherv of doubles, exact), so that all ranks take the same decisions (the SLO
// search) and rank 0 writes output byte-identical to a single process's. MPI is started
// only when a launcher started this process (Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE,
// PMIx launchers such as srun set PMIX_RANK, older PMI ones PMI_SIZE), so a plain `lvslab`
// never needs an MPI runtime.

#include <memory>

#include "run/run_batch.hpp"

namespace lvs::cli {

/// True when an MPI launcher started this process (the environment variables above).
bool launched_by_mpi();

/// This process's place in the MPI job; MPI_Finalize when destroyed.
class MpiWorld {
 public:
  /// MPI_Init. Throws std::runtime_error when lvslab was built without MPI (LVSLAB_HAVE_MPI).
  MpiWorld();
  ~MpiWorld();
  MpiWorld(const MpiWorld&) = delete;
  MpiWorld& operator=(const MpiWorld&) = delete;

  int rank() const { return rank_; }  ///< 0 .. size() - 1; rank 0 writes the output
  int size() const { return size_; }  ///< the number of ranks

  /// A runner that gives this rank its share of each batch and gathers all figures.
  std::unique_ptr<run::BatchRunner> runner(run::BatchOptions options) const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace lvs::cli
