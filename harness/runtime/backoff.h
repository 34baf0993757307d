// Copyright: the concurrency-harness authors.
//
// Backoff: the runtime's one spin / yield / park policy (the shape of
// crossbeam-utils' `Backoff`). A thread that waits for another thread to make
// progress calls Snooze() once per failed attempt: the first `spin_steps`
// calls busy-wait with the CPU's pause hint, exponentially longer each time
// (1, 2, 4, ... up to 2^max_pause_log2 pauses: polling a cache line that the
// other thread is writing steals it from that thread, so the poll rate drops
// as the wait grows); the next `yield_steps` calls yield the core (the thread
// we wait for may be preempted on an oversubscribed machine); after that
// IsCompleted() says it is time to park (futex) instead. Spin() is the
// contended-CAS variant: it pauses but never yields.
//
// Every waiter in the runtime takes its limits from one of the named
// policies below; each constant is set here, once, with its reason. A wait
// loop looks like:
//
//   Backoff backoff(kRecvBackoff);
//   while (!Ready()) {
//     if (!backoff.IsCompleted()) { backoff.Snooze(); continue; }
//     Park();                 // the caller's own Dekker hand-shake
//     backoff.SkipSpinning(); // woken: re-check, yield a few times, then park
//   }
//
// Backoff is a plain value owned by one thread (no shared state, so no
// memory ordering of its own: the caller's atomics carry all hand-offs).
#ifndef HARNESS_RUNTIME_BACKOFF_H_
#define HARNESS_RUNTIME_BACKOFF_H_

#include <cstdint>
#include <thread>

namespace harness::runtime {

// Emits the CPU's spin-wait hint (x86 `pause`, Arm `yield`).
inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

// The limits of one kind of wait (see the policies below).
struct BackoffPolicy {
  // Snooze() call k (k < spin_steps) pauses min(2^k, 2^max_pause_log2) times;
  // 0 makes every spin step a single pause (for loops whose attempt itself
  // is long, like the pool's scan of every queue).
  int max_pause_log2;
  // Snooze() calls that pause before the first yield.
  int spin_steps;
  // Snooze() calls that yield before IsCompleted() turns true. kNeverPark:
  // the waiter has no way to park and yields forever.
  int yield_steps;
};

inline constexpr int kNeverPark = INT32_MAX / 2;

// A channel receiver waiting for a message (channel_fast.h RecvUntil). 64
// pause steps capped at 64 pauses (a few microseconds, about the time a
// producer needs to publish the next few values: a receiver that parks
// sooner pays a futex wake per message on a steady stream); then 4 yields
// (one time slice each at most: lets a preempted producer run on a loaded
// machine) before parking.
inline constexpr BackoffPolicy kRecvBackoff{6, 64, 4};

// The receiver of a bounded channel: crossbeam's limits (SPIN_LIMIT 6,
// YIELD_LIMIT 10: 127 pauses over 7 steps, then 4 yields, then park). Its
// senders are throttled by the capacity, so a receiver that polls the head
// slot for long only contends with them; parking early let the senders fill
// the ring undisturbed (issue 13, channel_benchmark u64 capacity:1024, 7
// interleaved rounds at load 4.0-4.3: 1 producer 10.3 -> 32.5 M/s, 2
// producers 7.3 -> 12.2 M/s). Unbounded channels keep kRecvBackoff: with
// this policy their 2-producer case measured lower (17.0 -> 13.5 M/s, within
// the noise but lower in both runs).
inline constexpr BackoffPolicy kBoundedRecvBackoff{6, 7, 4};

// A bounded channel's sender waiting for a free place (channel_fast.h
// WaitForRoom): places come back in batches as the receiver drains, so a
// short poll (64 single pauses, each poll a load of the consumed count the
// receiver writes) then 4 yields, then park until the receiver publishes a
// batch. (crossbeam's exponential 127 pauses measured no better here.)
inline constexpr BackoffPolicy kSendBackoff{0, 64, 4};

// A sender waiting for another sender to link the channel's next block: the
// other sender is between two stores (a few nanoseconds unless preempted), so
// 16 single pauses, then yield until it is done (there is nothing to park on).
inline constexpr BackoffPolicy kLinkBackoff{0, 16, kNeverPark};

// Notification::Wait (notification.cc): a hand-off between two running threads usually
// completes within 128 pauses (no system call on either side); then sleep on
// the notification word at once, with no yields: the setter is mid-job on another
// core, and on a loaded machine each yield handed the core to some other
// process for a whole time slice while the futex wake that Set() sends
// reschedules a sleeper promptly (issue 13: actor ask round trip at 2
// workers 0.040 -> 0.182 M asks/s, median of 5 at load 11-12).
inline constexpr BackoffPolicy kNotificationBackoff{0, 128, 0};

// An idle pool worker (thread_pool.cc WorkerLoop, WaitHelping): each step
// is a full FindWork scan (own deque, injector, steals), so a step is one
// pause; 256 scans cover the gap between the jobs of a fork-join loop
// without a futex round trip, then 32 yields before sleeping (a sleeping
// worker costs the submitter a wake system call).
inline constexpr BackoffPolicy kPoolIdleBackoff{0, 256, 32};

// Spinlock::Lock while the lock is held: 1, 2, ..., 64 pauses (7 steps; the
// critical sections guarded are a few loads and stores), then yield until the
// holder releases it (a preempted holder needs our core; a spinlock cannot
// park).
inline constexpr BackoffPolicy kLockBackoff{6, 7, kNeverPark};

// One waiter's progress through a policy. Not thread-safe: each waiting
// thread owns its own Backoff.
class Backoff {
 public:
  constexpr explicit Backoff(const BackoffPolicy& policy) : policy_(policy) {}

  // Back to the start of the spin phase (after progress was made).
  void Reset() { step_ = 0; }

  // Skips the spin phase: the next Snooze() yields. For a waiter that was
  // just woken from a park: it re-checks, yields a few times, then parks
  // again.
  void SkipSpinning() { step_ = policy_.spin_steps; }

  // True while Snooze() would pause rather than yield.
  bool Spinning() const { return step_ < policy_.spin_steps; }

  // True once the spin and yield steps are used up: park now.
  bool IsCompleted() const { return step_ >= policy_.spin_steps + policy_.yield_steps; }

  // One failed attempt at a contended atomic: pauses (exponentially, as in
  // Snooze's spin phase) and never yields.
  void Spin() {
    Pause(step_ < policy_.max_pause_log2 ? step_ : policy_.max_pause_log2);
    if (step_ < policy_.max_pause_log2) ++step_;
  }

  // One failed wait attempt: pauses during the spin phase, then yields.
  void Snooze() {
    if (step_ < policy_.spin_steps) {
      Pause(step_ < policy_.max_pause_log2 ? step_ : policy_.max_pause_log2);
    } else {
      std::this_thread::yield();
    }
    if (step_ < policy_.spin_steps + policy_.yield_steps) ++step_;
  }

 private:
  static void Pause(int log2) {
    for (int i = 0, n = 1 << log2; i < n; ++i) CpuRelax();
  }

  BackoffPolicy policy_;
  int step_ = 0;
};

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_BACKOFF_H_
