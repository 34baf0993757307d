#include "harness/core/benchmark_adapter.h"

#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <exception>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "harness/core/watchdog.h"

namespace harness {
namespace {

// CPU time of every thread of the process, the clock Google Benchmark's
// MeasureProcessCPUTime() reads for cpu_time.
double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double ContextSwitches(const rusage& r) {
  return static_cast<double>(r.ru_nvcsw + r.ru_nivcsw);
}

// The instance of the case being run, kept across its repetitions (Google
// Benchmark calls the case body once per repetition): the untimed setup, such
// as a reference answer over 2^25 elements or a started pool, is done once.
// One case at a time: the next case replaces it.
struct CachedInstance {
  const CaseSpec* spec = nullptr;
  std::unique_ptr<CaseInstance> instance;
};

CachedInstance& Cache() {
  static CachedInstance* cache = new CachedInstance();  // released explicitly
  return *cache;
}

CaseInstance* InstanceFor(const CaseSpec& spec, benchmark::State& state) {
  CachedInstance& cache = Cache();
  if (cache.spec != &spec) {
    cache.instance.reset();  // free the previous case's memory first
    cache.spec = nullptr;
    try {
      cache.instance = spec.entry->make(spec.values);
    } catch (const std::exception& e) {
      state.SkipWithError(absl::StrCat(spec.name, ": setup threw: ", e.what()).c_str());
      return nullptr;
    }
    cache.spec = &spec;
  }
  return cache.instance.get();
}

void RunCase(benchmark::State& state, const CaseSpec& spec) {
  CaseInstance* instance = InstanceFor(spec, state);
  if (instance == nullptr) return;
  int64_t runs = 0;
  double seconds = 0, cpu = 0, switches = 0;
  RunFigures figures;
  // Google Benchmark's timer (process CPU time, for the cpu_time column)
  // runs only around Run(): it is paused over Prepare() and Check(). Wall
  // time is the manual time of Run() alone.
  for (auto _ : state) {
    state.PauseTiming();
    instance->Prepare();
    rusage before{}, after{};
    getrusage(RUSAGE_SELF, &before);
    state.ResumeTiming();
    const double cpu_start = ProcessCpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    try {
      instance->Run();
    } catch (const std::exception& e) {
      state.SkipWithError(absl::StrCat(spec.name, ": threw: ", e.what()).c_str());
      break;
    }
    const auto stop = std::chrono::steady_clock::now();
    const double cpu_stop = ProcessCpuSeconds();
    state.PauseTiming();
    getrusage(RUSAGE_SELF, &after);
    const double elapsed = std::chrono::duration<double>(stop - start).count();
    state.SetIterationTime(elapsed);
    if (std::string diff = instance->Check(); !diff.empty()) {
      state.SkipWithError(
          absl::StrCat(spec.name, ": wrong answer: ", diff).c_str());
      break;
    }
    ++runs;
    seconds += elapsed;
    cpu += cpu_stop - cpu_start;
    switches += ContextSwitches(after) - ContextSwitches(before);
    instance->AddFigures(figures);
    state.ResumeTiming();
  }
  if (state.error_occurred() || runs == 0) return;
  state.SetItemsProcessed(instance->Items() * runs);
  state.counters["cpu_seconds_per_run"] = cpu / runs;
  state.counters["ctx_switches_per_run"] = switches / runs;
  state.counters["checked_runs"] = static_cast<double>(runs);
  state.counters["workers"] = spec.values.workers();
  for (const auto& [k, v] : figures.values) state.counters[k] = v / runs;
  for (const auto& [k, v] : figures.per_second) {
    state.counters[k] = benchmark::Counter(v, benchmark::Counter::kIsRate);
  }
}

}  // namespace

void ReleaseCaseInstances() {
  Cache().instance.reset();
  Cache().spec = nullptr;
}

void RegisterBenchmarks(const std::vector<CaseSpec>& cases,
                        double case_limit_seconds) {
  for (const CaseSpec& spec : cases) {
    benchmark::RegisterBenchmark(
        spec.name.c_str(),
        [&spec, case_limit_seconds](benchmark::State& state) {
          Watchdog::Scope guard(spec.name, case_limit_seconds);
          RunCase(state, spec);
        })
        ->UseManualTime()
        ->MeasureProcessCPUTime()
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace harness
