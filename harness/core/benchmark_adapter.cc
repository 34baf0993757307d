#include "harness/core/benchmark_adapter.h"

#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <regex>
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

double ContextSwitches(const rusage& r) { return static_cast<double>(r.ru_nvcsw + r.ru_nivcsw); }

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

// --- Test-only slowdown knob (the sensitivity check of paired A/B sweeps) --
// HARNESS_SLOWDOWN='<regex on the case name>:<percent>' makes every matching
// case spin for `percent`% of each run's measured time inside the timed
// region, a real and proportional slowdown. Never set by scripts/bench. A
// malformed value ends the process with exit status 2.
struct Slowdown {
  std::regex pattern;
  double fraction = 0;  // 0: off
};

const Slowdown& SlowdownFromEnvironment() {
  static const Slowdown* knob = [] {
    auto* k = new Slowdown();
    const char* text = std::getenv("HARNESS_SLOWDOWN");
    if (text == nullptr || *text == '\0') return k;
    const std::string value = text;
    const size_t colon = value.rfind(':');
    char* end = nullptr;
    const double percent =
        colon == std::string::npos ? -1 : std::strtod(value.c_str() + colon + 1, &end);
    try {
      if (percent <= 0 || percent > 1000 || end == nullptr || *end != '\0') {
        throw std::exception();
      }
      k->pattern = std::regex(value.substr(0, colon));
    } catch (const std::exception&) {
      std::fprintf(stderr,
                   "harness: HARNESS_SLOWDOWN='%s' is not '<regex>:<percent>' "
                   "(0 < percent <= 1000)\n",
                   text);
      std::exit(2);
    }
    k->fraction = percent / 100;
    return k;
  }();
  return *knob;
}

// Spins for the knob's fraction of [start, stop) when `name` matches; returns
// the new stop time.
std::chrono::steady_clock::time_point SlowDown(const std::string& name,
                                               std::chrono::steady_clock::time_point start,
                                               std::chrono::steady_clock::time_point stop) {
  const Slowdown& knob = SlowdownFromEnvironment();
  if (knob.fraction == 0 || !std::regex_search(name, knob.pattern)) return stop;
  const auto until = stop + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                (stop - start) * knob.fraction);
  while (std::chrono::steady_clock::now() < until) {
  }
  return std::chrono::steady_clock::now();
}
// --- end of the slowdown knob ---

void RunCase(benchmark::State& state, const CaseSpec& spec) {
  CaseInstance* instance = InstanceFor(spec, state);
  if (instance == nullptr) return;
  int64_t runs = 0, checked = 0;
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
    const auto stop = SlowDown(spec.name, start, std::chrono::steady_clock::now());
    const double cpu_stop = ProcessCpuSeconds();
    state.PauseTiming();
    getrusage(RUSAGE_SELF, &after);
    const double elapsed = std::chrono::duration<double>(stop - start).count();
    state.SetIterationTime(elapsed);
    if (answer_check_enabled) {
      ++checked;
      if (std::string diff = instance->Check(); !diff.empty()) {
        state.SkipWithError(absl::StrCat(spec.name, ": wrong answer: ", diff).c_str());
        break;
      }
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

void RegisterBenchmarks(const std::vector<CaseSpec>& cases, double case_limit_seconds) {
  SlowdownFromEnvironment();  // a malformed knob is refused before any case runs
  for (const CaseSpec& spec : cases) {
    benchmark::RegisterBenchmark(spec.name.c_str(),
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
