// Argument sets for the runtime's Google Benchmark micro-benchmarks
// (harness/runtime/*_benchmark.cc), shared so every one counts CPUs the same
// way: the CPUs this process may run on (AllowedCpus(), affinity.h), not
// std::thread::hardware_concurrency, which ignores the CPU mask.
#ifndef HARNESS_CORE_BENCHMARK_ARGS_H_
#define HARNESS_CORE_BENCHMARK_ARGS_H_

#include "benchmark/benchmark.h"

namespace harness {

// For Benchmark::Apply: the argument `workers` at 1, 2 and the number of
// allowed CPUs (when above 2), timed on the wall clock (UseRealTime). The
// caller sets the unit.
void WorkerCountArgs(benchmark::internal::Benchmark* b);

}  // namespace harness

#endif  // HARNESS_CORE_BENCHMARK_ARGS_H_
