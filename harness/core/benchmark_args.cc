#include "harness/core/benchmark_args.h"

#include "harness/core/affinity.h"

namespace harness {

void WorkerCountArgs(benchmark::internal::Benchmark* b) {
  b->ArgName("workers");
  const int cpus = static_cast<int>(AllowedCpus().size());
  b->Arg(1)->Arg(2);
  if (cpus > 2) b->Arg(cpus);
  b->UseRealTime();
}

}  // namespace harness
