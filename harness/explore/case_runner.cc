#include "harness/explore/case_runner.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/core/watchdog.h"

namespace harness::explore {
namespace {

namespace inject = runtime::inject;

struct RunResult {
  std::string diff;  // "" when the answer was right
  HitCounts counts{};
};

// One run: a fresh instance, built, run, checked and destroyed under the
// watchdog and the schedule's hook.
RunResult RunOnce(const CaseSpec& spec, const Schedule& schedule, const ExploreOptions& options,
                  std::ostream& out) {
  out << "begin " << schedule.Id() << std::endl;
  const auto start = std::chrono::steady_clock::now();
  RunResult result;
  {
    ScopedSchedule scheduler(schedule, options.scheduler);
    {
      Watchdog::Scope guard(absl::StrCat(spec.name, " under schedule ", schedule.Id()),
                            options.run_timeout_seconds);
      try {
        auto instance = spec.entry->make(spec.values);
        instance->Prepare();
        instance->Run();
        result.diff = instance->Check();
      } catch (const std::exception& e) {
        result.diff = absl::StrCat("threw: ", e.what());
      } catch (...) {
        result.diff = "threw a non-std exception";
      }
    }
    result.counts = scheduler.counts();
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (result.diff.empty()) {
    out << absl::StrFormat("end %s ok %.3f", schedule.Id(), secs) << std::endl;
  } else {
    out << absl::StrFormat("end %s wrong %.3f %s", schedule.Id(), secs, result.diff) << std::endl;
  }
  return result;
}

}  // namespace

int RunCaseOnce(const CaseSpec& spec, const Schedule& schedule, const ExploreOptions& options,
                std::ostream& out) {
  const RunResult r = RunOnce(spec, schedule, options, out);
  out << "done 1" << std::endl;
  return r.diff.empty() ? 0 : 1;
}

int ExploreCase(const CaseSpec& spec, const ExploreOptions& options, std::ostream& out) {
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  int runs = 0;
  HitCounts most{};     // per point, the most hits seen in one run
  int64_t steps = 1;    // the most hits (all points) seen in one run: PCT's k
  auto learn = [&](const HitCounts& counts) {
    int64_t total = 0;
    for (size_t i = 0; i < kPointCount; ++i) {
      most[i] = std::max(most[i], counts[i]);
      total += counts[i];
    }
    steps = std::max(steps, total);
  };

  RunResult plain = RunOnce(spec, Schedule::Plain(), options, out);
  ++runs;
  if (!plain.diff.empty()) return 1;
  learn(plain.counts);
  std::string line = "counts";
  for (size_t i = 0; i < kPointCount; ++i) {
    if (most[i] > 0) absl::StrAppend(&line, " ", inject::kPoints[i].name, "=", most[i]);
  }
  out << line << std::endl;

  std::set<std::string> tried;
  const uint64_t case_seed = Mix(options.seed ^ std::hash<std::string>{}(spec.name));
  uint64_t pct_runs = 0;
  bool delay_turn = options.delay;
  while (elapsed() < options.seconds) {
    std::optional<Schedule> next;
    if (delay_turn) {
      for (const Schedule& s : DelaySchedules(most, options.hits_per_point)) {
        if (!tried.contains(s.Id())) {
          next = s;
          break;
        }
      }
      if (!next && !options.pct) break;  // every delay tried, nothing else to do
    }
    if (!next) {
      next = Schedule::Pct(Mix(case_seed + pct_runs++), options.pct_depth, steps);
    }
    delay_turn = options.delay && (!options.pct || !delay_turn);
    tried.insert(next->Id());
    RunResult r = RunOnce(spec, *next, options, out);
    ++runs;
    if (!r.diff.empty()) return 1;
    learn(r.counts);
  }
  out << "done " << runs << std::endl;
  return 0;
}

}  // namespace harness::explore
