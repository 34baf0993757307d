#include "harness/explore/scheduler.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace harness::explore {
namespace {

namespace inject = runtime::inject;
using std::memory_order_relaxed;

constexpr int kMaxThreads = 256;  // PCT: threads beyond this only count
constexpr int kMaxChanges = 63;   // PCT: depth <= 64

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct ThreadSlot {
  std::atomic<uint64_t> priority{0};
  std::atomic<int64_t> last_seen_ns{0};
};

// The one scheduler state (one ScopedSchedule at a time).
struct State {
  std::atomic<uint64_t> generation{0};
  std::atomic<int64_t> hits[kPointCount] = {};

  // Delay-bounded.
  std::atomic<size_t> target_point{0};
  std::atomic<int64_t> target_hit{0};
  std::atomic<int64_t> delay_us{0};
  std::atomic<bool> fired{false};

  // PCT.
  std::atomic<int> depth{1};
  std::atomic<int64_t> steps_bound{0};
  std::atomic<uint64_t> seed{0};
  std::atomic<int> num_changes{0};
  std::atomic<int64_t> change_steps[kMaxChanges] = {};
  std::atomic<int> changes_done{0};
  std::atomic<int64_t> step{0};
  std::atomic<int> next_slot{0};
  std::atomic<int64_t> waited_ns{0};
  std::atomic<int64_t> quantum_ns{0};
  std::atomic<int64_t> window_ns{0};
  std::atomic<int64_t> max_wait_hit_ns{0};
  std::atomic<int64_t> max_wait_run_ns{0};
  ThreadSlot slots[kMaxThreads];
};

State& S() {
  static State* state = new State();  // never destroyed: hooks may run late
  return *state;
}

struct ThreadState {
  uint64_t generation = 0;
  int slot = -1;
};
thread_local ThreadState tls;

void CountingHook(Point p) { S().hits[static_cast<size_t>(p)].fetch_add(1, memory_order_relaxed); }

void DelayHook(Point p) {
  State& s = S();
  const size_t i = static_cast<size_t>(p);
  const int64_t n = s.hits[i].fetch_add(1, memory_order_relaxed) + 1;
  if (i == s.target_point.load(memory_order_relaxed) &&
      n == s.target_hit.load(memory_order_relaxed)) {
    s.fired.store(true, memory_order_relaxed);
    std::this_thread::sleep_for(std::chrono::microseconds(s.delay_us.load(memory_order_relaxed)));
  }
}

// Initial priorities are above every changed priority (which are < 64) and
// distinct (the slot is in the low bits).
uint64_t InitialPriority(uint64_t seed, int slot) {
  return (uint64_t{1} << 48) | ((Mix(seed ^ Mix(static_cast<uint64_t>(slot) + 1)) >> 40) << 8) |
         static_cast<uint64_t>(slot);
}

void PctHook(Point p) {
  State& s = S();
  s.hits[static_cast<size_t>(p)].fetch_add(1, memory_order_relaxed);
  const int64_t step = s.step.fetch_add(1, memory_order_relaxed) + 1;
  const uint64_t generation = s.generation.load(memory_order_relaxed);
  if (tls.generation != generation) {
    tls.generation = generation;
    const int slot = s.next_slot.fetch_add(1, memory_order_relaxed);
    tls.slot = slot < kMaxThreads ? slot : -1;
    if (tls.slot >= 0) {
      s.slots[slot].priority.store(InitialPriority(s.seed.load(memory_order_relaxed), slot),
                                   memory_order_relaxed);
    }
  }
  if (tls.slot < 0) return;
  ThreadSlot& me = s.slots[tls.slot];
  const int changes = s.num_changes.load(memory_order_relaxed);
  for (int c = 0; c < changes; ++c) {
    if (s.change_steps[c].load(memory_order_relaxed) == step) {
      // The c-th change (0-based): priority d - 1 - c, below all initial ones.
      me.priority.store(static_cast<uint64_t>(s.depth.load(memory_order_relaxed) - 1 - c),
                        memory_order_relaxed);
      s.changes_done.fetch_add(1, memory_order_relaxed);
    }
  }
  const int64_t start = NowNs();
  me.last_seen_ns.store(start, memory_order_relaxed);
  if (step > s.steps_bound.load(memory_order_relaxed) ||
      s.waited_ns.load(memory_order_relaxed) >= s.max_wait_run_ns.load(memory_order_relaxed)) {
    return;  // past the explored prefix: count only
  }
  const int64_t window = s.window_ns.load(memory_order_relaxed);
  const int64_t max_wait = s.max_wait_hit_ns.load(memory_order_relaxed);
  const auto quantum = std::chrono::nanoseconds(s.quantum_ns.load(memory_order_relaxed));
  int64_t now = start;
  for (;;) {
    const uint64_t mine = me.priority.load(memory_order_relaxed);
    const int used = std::min(s.next_slot.load(memory_order_relaxed), kMaxThreads);
    bool higher_runnable = false;
    for (int k = 0; k < used && !higher_runnable; ++k) {
      if (k == tls.slot) continue;
      const ThreadSlot& other = s.slots[k];
      higher_runnable = other.priority.load(memory_order_relaxed) > mine &&
                        now - other.last_seen_ns.load(memory_order_relaxed) < window;
    }
    if (!higher_runnable || now - start >= max_wait) break;
    std::this_thread::sleep_for(quantum);
    now = NowNs();
    me.last_seen_ns.store(now, memory_order_relaxed);  // waiting here: runnable
  }
  if (now > start) s.waited_ns.fetch_add(now - start, memory_order_relaxed);
}

}  // namespace

ScopedSchedule::ScopedSchedule(const Schedule& schedule, const SchedulerOptions& options) {
  State& s = S();
  for (auto& h : s.hits) h.store(0, memory_order_relaxed);
  s.fired.store(false, memory_order_relaxed);
  s.target_point.store(kPointCount, memory_order_relaxed);
  s.target_hit.store(0, memory_order_relaxed);
  s.num_changes.store(0, memory_order_relaxed);
  s.changes_done.store(0, memory_order_relaxed);
  s.step.store(0, memory_order_relaxed);
  s.next_slot.store(0, memory_order_relaxed);
  s.waited_ns.store(0, memory_order_relaxed);
  for (auto& slot : s.slots) {
    slot.priority.store(0, memory_order_relaxed);
    slot.last_seen_ns.store(0, memory_order_relaxed);
  }
  s.generation.fetch_add(1, memory_order_relaxed);
  inject::Hook hook = &CountingHook;
  switch (schedule.kind) {
    case Schedule::Kind::kPlain:
      break;
    case Schedule::Kind::kDelay:
      s.target_point.store(static_cast<size_t>(schedule.point), memory_order_relaxed);
      s.target_hit.store(schedule.hit, memory_order_relaxed);
      s.delay_us.store(options.delay.count(), memory_order_relaxed);
      hook = &DelayHook;
      break;
    case Schedule::Kind::kPct: {
      s.seed.store(schedule.seed, memory_order_relaxed);
      const int depth = std::clamp(schedule.depth, 1, kMaxChanges + 1);
      s.depth.store(depth, memory_order_relaxed);
      s.steps_bound.store(schedule.steps, memory_order_relaxed);
      // d - 1 distinct change steps, uniform in [1, steps].
      std::vector<int64_t> steps;
      uint64_t rng = Mix(schedule.seed ^ 0x5eed);
      const int wanted = static_cast<int>(std::min<int64_t>(depth - 1, schedule.steps));
      while (static_cast<int>(steps.size()) < wanted) {
        rng = Mix(rng);
        const int64_t st = 1 + static_cast<int64_t>(rng % static_cast<uint64_t>(schedule.steps));
        if (std::find(steps.begin(), steps.end(), st) == steps.end()) steps.push_back(st);
      }
      std::sort(steps.begin(), steps.end());
      for (size_t c = 0; c < steps.size(); ++c) {
        s.change_steps[c].store(steps[c], memory_order_relaxed);
      }
      s.num_changes.store(static_cast<int>(steps.size()), memory_order_relaxed);
      s.quantum_ns.store(std::chrono::nanoseconds(options.quantum).count(), memory_order_relaxed);
      s.window_ns.store(std::chrono::nanoseconds(options.window).count(), memory_order_relaxed);
      s.max_wait_hit_ns.store(std::chrono::nanoseconds(options.max_wait_per_hit).count(),
                              memory_order_relaxed);
      s.max_wait_run_ns.store(std::chrono::nanoseconds(options.max_wait_per_run).count(),
                              memory_order_relaxed);
      hook = &PctHook;
      break;
    }
  }
  inject::SetHook(hook);
}

ScopedSchedule::~ScopedSchedule() { inject::SetHook(nullptr); }

HitCounts ScopedSchedule::counts() const {
  HitCounts out{};
  for (size_t i = 0; i < kPointCount; ++i) out[i] = S().hits[i].load(memory_order_relaxed);
  return out;
}

bool ScopedSchedule::delay_fired() const { return S().fired.load(memory_order_relaxed); }

int ScopedSchedule::pct_changes() const { return S().changes_done.load(memory_order_relaxed); }

std::vector<int64_t> ScopedSchedule::pct_change_steps() const {
  std::vector<int64_t> out;
  const int n = S().num_changes.load(memory_order_relaxed);
  for (int c = 0; c < n; ++c) out.push_back(S().change_steps[c].load(memory_order_relaxed));
  return out;
}

std::chrono::microseconds ScopedSchedule::pct_waited() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::nanoseconds(S().waited_ns.load(memory_order_relaxed)));
}

}  // namespace harness::explore
