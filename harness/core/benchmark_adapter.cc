#include "harness/core/benchmark_adapter.h"

#include <sys/resource.h>

#include <chrono>
#include <exception>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "harness/core/watchdog.h"

namespace harness {
namespace {

double CpuSeconds(const rusage& r) {
  return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
         static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) * 1e-6;
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

// Set before the benchmarks run (single-threaded), read by their bodies.
bool answer_check_enabled = true;

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
  int64_t runs = 0, checked = 0;
  double seconds = 0, cpu = 0, switches = 0;
  RunFigures figures;
  for (auto _ : state) {
    instance->Prepare();
    rusage before{}, after{};
    getrusage(RUSAGE_SELF, &before);
    const auto start = std::chrono::steady_clock::now();
    try {
      instance->Run();
    } catch (const std::exception& e) {
      state.SkipWithError(absl::StrCat(spec.name, ": threw: ", e.what()).c_str());
      break;
    }
    const auto stop = std::chrono::steady_clock::now();
    getrusage(RUSAGE_SELF, &after);
    const double elapsed = std::chrono::duration<double>(stop - start).count();
    state.SetIterationTime(elapsed);
    if (answer_check_enabled) {
      ++checked;
      if (std::string diff = instance->Check(); !diff.empty()) {
        state.SkipWithError(
            absl::StrCat(spec.name, ": wrong answer: ", diff).c_str());
        break;
      }
    }
    ++runs;
    seconds += elapsed;
    cpu += CpuSeconds(after) - CpuSeconds(before);
    switches += ContextSwitches(after) - ContextSwitches(before);
    instance->AddFigures(figures);
  }
  if (state.error_occurred() || runs == 0) return;
  state.SetItemsProcessed(instance->Items() * runs);
  state.counters["cpu_seconds_per_run"] = cpu / runs;
  state.counters["ctx_switches_per_run"] = switches / runs;
  state.counters["checked_runs"] = static_cast<double>(checked);
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

void SetAnswerCheckEnabled(bool enabled) { answer_check_enabled = enabled; }

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
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace harness
