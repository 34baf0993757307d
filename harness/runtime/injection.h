// Named injection points and test-only faults: the runtime's one documented
// list of the places where a thread parks, publishes or hands off, and of the
// seeded protocol bugs kept as controls.
//
// Injection points. Runtime code calls `inject::At(Point::kX)` at each listed
// spot. With no hook installed that is one relaxed load and a predictable
// branch (benchmarks never install one). Tools install one hook at a time:
//   - `harness stress` installs random perturbation (perturb.h);
//   - `harness explore` installs delay-bounded and PCT schedulers;
//   - regression tests install a hook that delays or blocks one thread at one
//     point, to drive a bad interleaving deterministically.
// Adding a point: one line in HARNESS_INJECTION_POINTS below (name, where it
// is, why it matters), then `inject::At(...)` at that spot. Every tool
// iterates over the list; nothing else needs editing.
//
// Faults. A fault is a seeded protocol bug (a lost wake-up, a signal after
// unlock, an unpublished slot) that the runtime can be switched into, so
// detectors can prove they catch it (the way racy.cc proves TSan catches a
// data race). `inject::FaultOn(Fault::kX)` is one relaxed load; faults are
// off unless a control explicitly enables one, and no benchmark or real
// strategy ever does.
//
// Memory ordering: the hook pointer and fault mask are relaxed. They are set
// before the threads that read them start (thread creation orders it), or by
// tests that tolerate a thread seeing the change late.
#ifndef HARNESS_RUNTIME_INJECTION_H_
#define HARNESS_RUNTIME_INJECTION_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace harness::runtime::inject {

// X(enumerator, "name", "where it is and what can go wrong there")
#define HARNESS_INJECTION_POINTS(X)                                                            \
  X(kMutexLock, "mutex.lock", "annotated Mutex::Lock, before acquiring")                       \
  X(kSpinlockLock, "spinlock.lock", "Spinlock::Lock, before the first exchange")               \
  X(kSpawnWorker, "spawn.worker", "SpawnWorkers: a new thread, before it runs its body")       \
  X(kChannelSend, "channel.send", "Sender::Send, before the value enters the channel")         \
  X(kChannelRecv, "channel.recv", "Receiver::Recv/TryRecv/RecvUntil, on entry")                \
  X(kChannelSlotClaimed, "channel.slot_claimed",                                               \
    "FastChannelCore::Push: a sender claimed a slot, before it writes and publishes it")       \
  X(kChannelPublished, "channel.published",                                                    \
    "FastChannelCore::Send: value published, before checking for a parked receiver")           \
  X(kChannelRecvPark, "channel.recv_park",                                                     \
    "FastChannelCore::RecvUntil: the receiver found nothing, before it announces it parks")    \
  X(kChannelRecvParked, "channel.recv_parked",                                                 \
    "FastChannelCore::RecvUntil: parked flag set and queue re-checked, before closed/park")    \
  X(kChannelClose, "channel.close",                                                            \
    "FastChannelCore::DropSender: the last sender set closed, before waking the receiver")     \
  X(kChannelSendPark, "channel.send_park",                                                     \
    "FastChannelCore::WaitForRoom: a bounded sender found the channel full, before it parks")  \
  X(kChannelPermitRelease, "channel.permit_release",                                           \
    "FastChannelCore::FlushPermits: consumed slots published, before waking senders")          \
  X(kAsyncChannelWake, "async_channel.wake",                                                   \
    "AsyncChannel: a parked coroutine was handed its value/close, before it is resumed")       \
  X(kPoolPush, "pool.push",                                                                    \
    "ThreadPool: a job was pushed on a deque or the injector, before WakeOne")                 \
  X(kPoolSteal, "pool.steal",                                                                  \
    "ThreadPool::FindWork: before a worker steals from another worker's deque")                \
  X(kPoolWake, "pool.wake",                                                                    \
    "ThreadPool::WakeOne: the wake-pending flag was set, before the epoch bump and wake")      \
  X(kPoolSleepEnter, "pool.sleep_enter",                                                       \
    "ThreadPool worker: found no work, before it announces it sleeps (sleepers_++)")           \
  X(kPoolSleepFlag, "pool.sleep_flag",                                                         \
    "ThreadPool worker: between reading the sleep epoch and clearing wake-pending (1b)")       \
  X(kPoolSleepPark, "pool.sleep_park",                                                         \
    "ThreadPool worker: announced sleep and re-checked the queues, before the futex wait")     \
  X(kPoolWoken, "pool.woken",                                                                  \
    "ThreadPool worker: back from the futex wait, before it clears the flag and searches")     \
  X(kExecutorQueued, "executor.queued",                                                        \
    "ThreadExecutor::Execute: job queued, lock released; nothing of *this may follow")         \
  X(kExecutorRun, "executor.run", "ThreadExecutor thread: a job was dequeued, before it runs") \
  X(kExecutorInline, "executor.inline",                                                        \
    "InlineExecutor / Schedule / Yield: a coroutine is about to be resumed (transferred)")     \
  X(kExecutorWake, "executor.wake",                                                            \
    "ThreadExecutor/Timer: about to wake their sleeping thread (bumps its wake word)")         \
  X(kCondVarSignal, "condvar.signal",                                                          \
    "CondVar::Signal/SignalAll, before notifying (a hand-off to a waiting thread)")            \
  X(kTimerScheduled, "timer.scheduled",                                                        \
    "Timer::Schedule: entry queued, lock released; nothing of *this may follow")               \
  X(kTimerFire, "timer.fire",                                                                  \
    "Timer thread: a due entry was popped, before it is handed to its executor")               \
  X(kActorSchedule, "actor.schedule",                                                          \
    "Actor::Enqueue: scheduled_ set to true, before the batch job is handed to Execute")       \
  X(kActorIdle, "actor.idle",                                                                  \
    "Actor::RunBatch: mailbox found empty, before scheduled_ is set back to false")            \
  X(kActorRequeue, "actor.requeue",                                                            \
    "Actor::RunBatch: batch limit reached, before the actor re-queues itself")                 \
  X(kReplyComplete, "reply.complete",                                                          \
    "actor Reply: value stored and notification set, before an awaiting coroutine is resumed") \
  X(kTaskResume, "task.resume",                                                                \
    "JobRef::Resume: a queued coroutine is about to be resumed by its executor")               \
  X(kFutexWait, "park.futex_wait", "park.cc FutexWait/FutexWaitUntil, before the syscall")     \
  X(kFutexWake, "park.futex_wake", "park.cc FutexWake, before the syscall")                    \
  X(kNotificationSet, "notification.set",                                                      \
    "Notification::Set, before the state change that releases waiters")

enum class Point : uint16_t {
#define HARNESS_INJECTION_ENUM_(id, name, where) id,
  HARNESS_INJECTION_POINTS(HARNESS_INJECTION_ENUM_)
#undef HARNESS_INJECTION_ENUM_
      kCount
};
inline constexpr size_t kPointCount = static_cast<size_t>(Point::kCount);

struct PointInfo {
  std::string_view name;
  std::string_view where;
};
inline constexpr PointInfo kPoints[kPointCount] = {
#define HARNESS_INJECTION_INFO_(id, name, where) {name, where},
    HARNESS_INJECTION_POINTS(HARNESS_INJECTION_INFO_)
#undef HARNESS_INJECTION_INFO_
};
inline constexpr const PointInfo& Info(Point p) { return kPoints[static_cast<size_t>(p)]; }
inline std::optional<Point> PointByName(std::string_view name) {
  for (size_t i = 0; i < kPointCount; ++i) {
    if (kPoints[i].name == name) return static_cast<Point>(i);
  }
  return std::nullopt;
}

// X(enumerator, "name", "the bug it seeds")
// Each re-creates a bug the runtime once had or could easily have; the
// runtime code takes the buggy path only while its fault is on.
#define HARNESS_FAULTS(X)                                                                   \
  X(kPoolWakeNotPassedOn, "pool.wake_not_passed_on",                                        \
    "a woken pool worker that finds more work does not pass the wake on (issue 10, 1)")     \
  X(kPoolFlagClearedBeforeEpoch, "pool.flag_cleared_before_epoch",                          \
    "a sleeper clears the wake-pending flag before reading the sleep epoch (issue 10, 1b)") \
  X(kSignalAfterUnlock, "executor.signal_after_unlock",                                     \
    "ThreadExecutor/Timer signal their condition variable after unlocking (issue 10, 2)")   \
  X(kChannelSlotUnpublishedOnThrow, "channel.slot_unpublished_on_throw",                    \
    "a claimed channel slot stays unpublished when T's move throws (issue 10, 3)")          \
  X(kPoolSleepWithoutRecheck, "pool.sleep_without_recheck",                                 \
    "a pool worker parks without re-checking the queues after announcing sleep")            \
  X(kChannelParkWithoutClosedRecheck, "channel.park_without_closed_recheck",                \
    "a channel receiver parks without re-checking closed after announcing it parks")        \
  X(kChannelDeadlineIgnoredMidWrite, "channel.deadline_ignored_mid_write",                  \
    "RecvUntil ignores its deadline while a sender is mid-write (issue 10, 3 and 5)")       \
  X(kChannelSendersWokenPastHalf, "channel.senders_woken_past_half",                        \
    "parked bounded senders are woken only once half the capacity is free (issue 10, 5)")   \
  X(kInlineResumeNested, "executor.inline_resume_nested",                                   \
    "InlineExecutor resumes inside await_suspend: the stack grows per co_await (issue 10, 4)")

enum class Fault : uint8_t {
#define HARNESS_FAULT_ENUM_(id, name, what) id,
  HARNESS_FAULTS(HARNESS_FAULT_ENUM_)
#undef HARNESS_FAULT_ENUM_
      kCount
};
inline constexpr size_t kFaultCount = static_cast<size_t>(Fault::kCount);
static_assert(kFaultCount <= 64, "the fault mask is one uint64_t");

struct FaultInfo {
  std::string_view name;
  std::string_view what;
};
inline constexpr FaultInfo kFaults[kFaultCount] = {
#define HARNESS_FAULT_INFO_(id, name, what) {name, what},
    HARNESS_FAULTS(HARNESS_FAULT_INFO_)
#undef HARNESS_FAULT_INFO_
};
inline constexpr const FaultInfo& Info(Fault f) { return kFaults[static_cast<size_t>(f)]; }
inline std::optional<Fault> FaultByName(std::string_view name) {
  for (size_t i = 0; i < kFaultCount; ++i) {
    if (kFaults[i].name == name) return static_cast<Fault>(i);
  }
  return std::nullopt;
}

// Called at every injection point while installed. Must be thread-safe and
// must not call back into the runtime (no channel, pool or lock of ours).
using Hook = void (*)(Point);

namespace internal {
inline std::atomic<Hook> hook{nullptr};
inline std::atomic<uint64_t> fault_mask{0};
}  // namespace internal

// Installs `hook` (nullptr removes it). One hook at a time; returns the
// previous one so a caller can restore it.
inline Hook SetHook(Hook hook) { return internal::hook.exchange(hook, std::memory_order_relaxed); }

// The injection point itself: runtime code calls this at a listed spot.
inline void At(Point p) {
  Hook h = internal::hook.load(std::memory_order_relaxed);
  if (h != nullptr) [[unlikely]]
    h(p);
}

inline void SetFault(Fault f, bool on) {
  const uint64_t bit = uint64_t{1} << static_cast<unsigned>(f);
  if (on) {
    internal::fault_mask.fetch_or(bit, std::memory_order_relaxed);
  } else {
    internal::fault_mask.fetch_and(~bit, std::memory_order_relaxed);
  }
}
inline void ClearFaults() { internal::fault_mask.store(0, std::memory_order_relaxed); }
inline bool FaultOn(Fault f) {
  return (internal::fault_mask.load(std::memory_order_relaxed) >> static_cast<unsigned>(f)) & 1u;
}

// RAII helpers for tests and controls.
class ScopedHook {
 public:
  explicit ScopedHook(Hook hook) : previous_(SetHook(hook)) {}
  ~ScopedHook() { SetHook(previous_); }
  ScopedHook(const ScopedHook&) = delete;
  ScopedHook& operator=(const ScopedHook&) = delete;

 private:
  Hook previous_;
};

class ScopedFault {
 public:
  explicit ScopedFault(Fault f) : fault_(f) { SetFault(f, true); }
  ~ScopedFault() { SetFault(fault_, false); }
  ScopedFault(const ScopedFault&) = delete;
  ScopedFault& operator=(const ScopedFault&) = delete;

 private:
  Fault fault_;
};

}  // namespace harness::runtime::inject

#endif  // HARNESS_RUNTIME_INJECTION_H_
