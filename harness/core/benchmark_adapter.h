// Runs registry cases under Google Benchmark.
//
// Each case is one benchmark named after the case. Per run: the untimed
// Prepare(), the timed Run() (wall clock, reported as manual time), then the
// untimed exact Check(); a mismatch ends the case with SkipWithError naming
// the case and what differed.
//
// Columns and counters:
//   real_time             wall time of Run() alone (manual time), per run.
//   cpu_time              CPU time of every thread of the process while Run()
//                         ran (MeasureProcessCPUTime; Google Benchmark's timer
//                         is paused over Prepare() and Check()), per run; so
//                         cpu_time / real_time is the number of cores the case
//                         kept busy (spinning included).
//   cpu_seconds_per_run   the same quantity from the same clock
//                         (CLOCK_PROCESS_CPUTIME_ID) read tight around Run(),
//                         in seconds.
//   ctx_switches_per_run  voluntary + involuntary context switches of the
//                         process (getrusage) over Run() plus the timer's
//                         pause/resume calls beside it.
//   checked_runs          the runs whose answer was really compared: every
//                         run, unless the check was disabled for a self-test.
//   items_per_second, workers, and the scenario's own figures.
#ifndef HARNESS_CORE_BENCHMARK_ADAPTER_H_
#define HARNESS_CORE_BENCHMARK_ADAPTER_H_

#include <vector>

#include "harness/core/cases.h"

namespace harness {

// What Google Benchmark appends to a case's name in the result files: the
// case measures process CPU time (MeasureProcessCPUTime) and uses manual
// (wall) time, so every benchmark name is `<case name>` + this suffix.
inline constexpr char kBenchmarkNameSuffix[] = "/process_time/manual_time";

// Registers every case with Google Benchmark. `cases` must outlive the run.
// A case that runs longer than `case_limit_seconds` (0: no limit) is reported
// as a hang by the watchdog, which ends the process with exit status 3.
void RegisterBenchmarks(const std::vector<CaseSpec>& cases, double case_limit_seconds);

// Destroys the instance kept for the last case (its pool, actor system, ...).
// Call after benchmark::RunSpecifiedBenchmarks, before the process exits:
// library runtimes (CAF, oneTBB) must not be torn down by static destructors.
void ReleaseCaseInstances();

// Test only (`harness detectors --disable_detector=check`, passed on to its
// `harness run` child): with false, runs are no longer checked against the
// reference, and checked_runs counts 0, so the check's controls must be
// reported missed. Call before the benchmarks run; never set otherwise.
void SetAnswerCheckEnabled(bool enabled);

}  // namespace harness

#endif  // HARNESS_CORE_BENCHMARK_ADAPTER_H_
