#include "harness/explore/case_runner.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

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

// The options with the delay adapted to the machine's load (adapt_delay).
ExploreOptions Adapted(const ExploreOptions& options, std::ostream& out) {
  ExploreOptions o = options;
  const std::chrono::microseconds latency = SchedulingLatency();
  if (o.adapt_delay) {
    o.scheduler.delay =
        std::max(o.scheduler.delay, std::min(std::chrono::microseconds(250000), 8 * latency));
  }
  out << "delay " << o.scheduler.delay.count() << " latency " << latency.count() << std::endl;
  return o;
}

}  // namespace

std::chrono::microseconds SchedulingLatency() {
  constexpr auto kSleep = std::chrono::microseconds(200);
  std::vector<int64_t> overshoot;
  for (int i = 0; i < 5; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(kSleep);
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - t0 - kSleep)
                        .count();
    overshoot.push_back(std::max<int64_t>(0, us));
  }
  std::sort(overshoot.begin(), overshoot.end());
  return std::chrono::microseconds(overshoot[overshoot.size() / 2]);
}

int RunCaseOnce(const CaseSpec& spec, const Schedule& schedule, const ExploreOptions& given,
                std::ostream& out) {
  const ExploreOptions options = Adapted(given, out);
  const RunResult r = RunOnce(spec, schedule, options, out);
  out << "done 1" << std::endl;
  return r.diff.empty() ? 0 : 1;
}

int ExploreCase(const CaseSpec& spec, const ExploreOptions& given, std::ostream& out) {
  const auto start = std::chrono::steady_clock::now();
  const ExploreOptions options = Adapted(given, out);
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  int runs = 0;
  HitCounts most{};   // per point, the most hits seen in one run
  int64_t steps = 1;  // the most hits (all points) seen in one run: PCT's k
  auto learn = [&](const HitCounts& counts) {
    int64_t total = 0;
    for (size_t i = 0; i < kPointCount; ++i) {
      most[i] = std::max(most[i], counts[i]);
      total += counts[i];
    }
    steps = std::max(steps, total);
  };

  const auto plain_start = std::chrono::steady_clock::now();
  RunResult plain = RunOnce(spec, Schedule::Plain(), options, out);
  ++runs;
  if (!plain.diff.empty()) return 1;
  ExploreOptions o = options;  // later runs: a limit from the plain run's time
  o.run_timeout_seconds = std::clamp(
      30 * std::chrono::duration<double>(std::chrono::steady_clock::now() - plain_start).count(),
      std::min(options.min_run_timeout_seconds, options.run_timeout_seconds),
      options.run_timeout_seconds);
  out << "timeout " << o.run_timeout_seconds << std::endl;
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
  uint64_t turn = 0;
  int delay_rounds = 0;
  while (elapsed() < options.seconds) {
    std::optional<Schedule> next;
    if (delay_turn) {
      const std::vector<Schedule> all = DelaySchedules(most, options.hits_per_point);
      for (int pass = 0; pass < 2 && !next; ++pass) {
        for (const Schedule& s : all) {
          if (!tried.contains(s.Id())) {
            next = s;
            break;
          }
        }
        // Every delay tried: the outcome of one also depends on the OS's
        // scheduling around it, so go through them again.
        if (!next) {
          tried.clear();
          ++delay_rounds;
        }
      }
      if (!next && !options.pct) break;  // no point reached: nothing to delay
    }
    if (!options.delay && !options.pct) {
      next = Schedule::Plain();  // exploration switched off: plain runs only
    } else if (!next) {
      next = Schedule::Pct(Mix(case_seed + pct_runs++), options.pct_depth, steps);
    }
    // Three delay runs to one PCT run.
    ++turn;
    delay_turn = options.delay && (!options.pct || turn % 4 != 0);
    tried.insert(next->Id());
    RunResult r = RunOnce(spec, *next, o, out);
    ++runs;
    if (!r.diff.empty()) return 1;
    learn(r.counts);
  }
  out << "done " << runs << " delay_rounds " << delay_rounds << std::endl;
  return 0;
}

}  // namespace harness::explore
