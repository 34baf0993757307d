// Copyright: the concurrency-harness authors.
#include "harness/runtime/thread_pool.h"

#include <cassert>
#include <random>

#include "harness/runtime/affinity.h"
#include "harness/runtime/backoff.h"
#include "harness/runtime/injection.h"
#include "harness/runtime/xorshift.h"

namespace harness::runtime {

struct ThreadPool::Worker {
  alignas(64) Spinlock lock;
  std::deque<JobRef> deque ABSL_GUARDED_BY(lock);
  // The job this worker runs next (Execute from the worker itself: a woken
  // coroutine, a spawned task). Other workers take it only once they have
  // seen it wait there for kNextJobStealDelay (or before they sleep).
  JobRef next ABSL_GUARDED_BY(lock);
  // Counts the jobs ever made `next`: names one stay of a job in the slot (a
  // coroutine re-queued at every message has the same JobRef each time).
  uint64_t next_serial ABSL_GUARDED_BY(lock) = 0;
  // What the deque and the slot hold, for other workers to read without
  // taking `lock` while they spin (see PublishOccupancy).
  alignas(64) std::atomic<bool> deque_nonempty{false};
  alignas(64) std::atomic<uint64_t> next_state{0};  // next_serial << 1 | slot full
  std::thread thread;

  // Called under `lock` after every change of `deque` or `next`. A spinning
  // searcher reads these two words instead of taking `lock` at every scan:
  // taking the lock, or reading a line the owner writes at every push, pulls
  // that line away from the owner, who then waits for it at its next push
  // (issue 13: actor_ping coroutines at 2 workers spent 16% of its CPU in
  // PushNext while the idle worker scanned). So `deque_nonempty`, which a
  // ping between two tasks never changes, has a line of its own, written
  // only when it changes, and searchers read `next_state` only every
  // kNextStatePeriod-th scan. The re-check before sleeping takes the lock
  // (the wake protocol reads the queues themselves).
  void PublishOccupancy() ABSL_EXCLUSIVE_LOCKS_REQUIRED(lock) {
    const bool nonempty = !deque.empty();
    if (deque_nonempty.load(std::memory_order_relaxed) != nonempty) {
      deque_nonempty.store(nonempty, std::memory_order_relaxed);
    }
    next_state.store((next_serial << 1) | (next.execute != nullptr ? 1 : 0),
                     std::memory_order_relaxed);
  }
};

namespace {

// How long another worker's next job must have waited (as this worker saw
// it) before this worker takes it: Go's runnext steal delay. A ping between
// two tasks hands the next job over within a few hundred nanoseconds, so it
// stays on its worker; a producer that keeps running after waking its
// consumer loses the consumer to an idle worker after this delay, so the two
// still run in parallel (issue 13: message_passing/coroutines u64 at 2
// workers ran 1.3x slower when idle workers left next jobs alone for their
// whole spin phase).
constexpr auto kNextJobStealDelay = std::chrono::microseconds(3);

// A spinning searcher reads another worker's next slot at every
// kNextStatePeriod-th look at that worker (see Worker::PublishOccupancy):
// a scan takes about 100 ns, so it still sees a next job within a
// microsecond, well inside kNextJobStealDelay.
constexpr uint64_t kNextStatePeriod = 8;

// A next job of another worker, as first seen by this worker.
struct NextJobSeen {
  size_t victim = 0;
  uint64_t serial = 0;  // Worker::next_serial when first seen
  std::chrono::steady_clock::time_point since;
};

struct WorkerContext {
  ThreadPool* pool = nullptr;
  size_t index = 0;
  uint64_t rng = 0;
  NextJobSeen next_seen;
  uint64_t scans = 0;  // of other workers, while spinning (kNextStatePeriod)
};
thread_local WorkerContext tls_worker;

// Whether this worker may take `victim`'s next job number `serial` now: only
// once it has seen that same stay of a job there for kNextJobStealDelay.
bool NextJobIsOld(size_t victim, uint64_t serial) {
  NextJobSeen& seen = tls_worker.next_seen;
  const auto now = std::chrono::steady_clock::now();
  if (seen.victim != victim || seen.serial != serial) {
    seen = NextJobSeen{victim, serial, now};
    return false;
  }
  return now - seen.since >= kNextJobStealDelay;
}

}  // namespace

// The outside caller in the caller's place: what its thread was before.
struct ThreadPool::SavedCaller {
  WorkerContext context;  // a worker of another pool, or nobody
  std::vector<int> cpus;  // its allowed CPUs, when the place pins it
};

ThreadPool::ThreadPool(size_t num_workers, Placement placement, Caller caller) {
  if (num_workers == 0) num_workers = 1;
  has_caller_place_ = caller == Caller::kJoins && num_workers >= 2;
  if (has_caller_place_) caller_saved_ = std::make_unique<SavedCaller>();
  if (placement == Placement::kPinned) {
    const std::vector<int> allowed = AllowedCpus();
    for (size_t i = 0; !allowed.empty() && i < num_workers; ++i) {
      worker_cpus_.push_back(allowed[i % allowed.size()]);
    }
  }
  workers_.reserve(num_workers);
  for (size_t i = 0; i < num_workers; ++i) {
    workers_.push_back(std::make_unique<Worker>());
  }
  const size_t threads = has_caller_place_ ? num_workers - 1 : num_workers;
  for (size_t i = 0; i < threads; ++i) {
    workers_[i]->thread = std::thread([this, i] { WorkerLoop(i); });
  }
}

ThreadPool::~ThreadPool() {
  // A thread outside the pool (a timer, say) may have queued the job that let
  // our owner reach this destructor and still be inside ExecuteGlobal, about
  // to wake a worker: wait until it has left before tearing anything down.
  while (external_submitters_.load(std::memory_order_acquire) != 0) {
    std::this_thread::yield();
  }
  shutdown_.store(true, std::memory_order_seq_cst);
  sleep_epoch_.fetch_add(1, std::memory_order_seq_cst);
  FutexWakeAll(&sleep_epoch_);
  for (auto& w : workers_) {
    if (w->thread.joinable()) w->thread.join();
  }
}

ThreadPool::CallerPlace::CallerPlace(ThreadPool& pool) : pool_(pool) {
  if (!pool.has_caller_place_ ||
      pool.caller_place_taken_.exchange(true, std::memory_order_acquire)) {
    return;
  }
  held_ = true;
  const size_t index = pool.workers_.size() - 1;
  SavedCaller& saved = *pool.caller_saved_;
  saved.context = tls_worker;
  tls_worker = WorkerContext{&pool, index, 0x9E3779B97F4A7C15ull * (index + 1), {}};
  saved.cpus.clear();
  if (index < pool.worker_cpus_.size()) {
    saved.cpus = AllowedCpus();
    PinCallingThread(pool.worker_cpus_[index]);
  }
}

ThreadPool::CallerPlace::~CallerPlace() {
  if (!held_) return;
  // Jobs still queued in this place stay: the threads search it like any
  // worker's queues (and every submission woke one of them), and the next
  // caller to hold the place runs them too.
  SavedCaller& saved = *pool_.caller_saved_;
  if (!saved.cpus.empty()) SetCallingThreadCpus(saved.cpus);
  tls_worker = saved.context;
  pool_.caller_place_taken_.store(false, std::memory_order_release);
}

ThreadPool* ThreadPool::Current() { return tls_worker.pool; }

void ThreadPool::Execute(JobRef job) {
  if (tls_worker.pool == this) {
    PushNext(job);
  } else {
    ExecuteGlobal(job);
  }
}

void ThreadPool::ExecuteGlobal(JobRef job) {
  // Counted before the job is visible, so that whoever sees the job's effects
  // also sees this submitter still inside (see ~ThreadPool).
  external_submitters_.fetch_add(1, std::memory_order_acq_rel);
  {
    SpinlockHolder l(&injector_lock_);
    injector_.push_back(job);
  }
  inject::At(inject::Point::kPoolPush);
  WakeOne();
  external_submitters_.fetch_sub(1, std::memory_order_release);
}

void ThreadPool::PushLocal(JobRef job) {
  Worker& w = *workers_[tls_worker.index];
  {
    SpinlockHolder l(&w.lock);
    w.deque.push_back(job);
    w.PublishOccupancy();
  }
  inject::At(inject::Point::kPoolPush);
  WakeOne();
}

void ThreadPool::PushNext(JobRef job) {
  Worker& w = *workers_[tls_worker.index];
  {
    SpinlockHolder l(&w.lock);
    if (w.next.execute != nullptr) w.deque.push_back(w.next);
    w.next = job;
    ++w.next_serial;
    w.PublishOccupancy();
  }
  inject::At(inject::Point::kPoolPush);
  WakeOne();
}

bool ThreadPool::PopLocalIf(JobRef job) {
  Worker& w = *workers_[tls_worker.index];
  SpinlockHolder l(&w.lock);
  if (!w.deque.empty() && w.deque.back().data == job.data) {
    w.deque.pop_back();
    w.PublishOccupancy();
    return true;
  }
  return false;
}

void ThreadPool::WakeOne() {
  // The wake protocol is documented at the declaration (thread_pool.h).
  // Dekker with the sleeper in WorkerLoop: the job is queued (by the caller),
  // then the sleeper count is read; a sleeper counts itself, then re-checks
  // the queues. While a wake-up is in flight (`wake_pending_`) the system
  // call is skipped: whoever clears the flag searches every queue afterwards
  // and passes the wake on if it finds work (ClearWakePending).
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (sleepers_.load(std::memory_order_relaxed) != 0 &&
      !wake_pending_.load(std::memory_order_relaxed) &&
      !wake_pending_.exchange(true, std::memory_order_seq_cst)) {
    inject::At(inject::Point::kPoolWake);
    sleep_epoch_.fetch_add(1, std::memory_order_seq_cst);
    FutexWake(&sleep_epoch_, 1);
  }
}

bool ThreadPool::ClearWakePending() {
  // exchange, not store: the caller learns whether a wake-up (and possibly
  // wake-ups suppressed behind it) is now its responsibility.
  return wake_pending_.exchange(false, std::memory_order_seq_cst);
}

bool ThreadPool::FindWork(size_t self, JobRef* job, NextJobs next_jobs) {
  {
    Worker& w = *workers_[self];
    SpinlockHolder l(&w.lock);
    if (w.next.execute != nullptr) {
      *job = w.next;
      w.next = JobRef{};
      w.PublishOccupancy();
      return true;
    }
    if (!w.deque.empty()) {
      *job = w.deque.back();
      w.deque.pop_back();
      w.PublishOccupancy();
      return true;
    }
  }
  bool more = false;
  bool found = false;
  {
    SpinlockHolder l(&injector_lock_);
    if (!injector_.empty()) {
      *job = injector_.front();
      injector_.pop_front();
      more = !injector_.empty();
      found = true;
    }
  }
  if (found) {
    if (more) WakeOne();
    return true;
  }
  const size_t n = workers_.size();
  if (n > 1) {
    const size_t start = static_cast<size_t>(XorShift64(tls_worker.rng) % n);
    for (size_t k = 0; k < n; ++k) {
      const size_t victim = (start + k) % n;
      if (victim == self) continue;
      Worker& w = *workers_[victim];
      if (next_jobs == NextJobs::kWhenOld && !w.deque_nonempty.load(std::memory_order_relaxed)) {
        // Spinning: skip a victim with nothing we may take, without its lock.
        if (++tls_worker.scans % kNextStatePeriod != 0) continue;
        const uint64_t next_state = w.next_state.load(std::memory_order_relaxed);
        if ((next_state & 1) == 0 || !NextJobIsOld(victim, next_state >> 1)) continue;
      }
      inject::At(inject::Point::kPoolSteal);
      JobRef next;  // the victim's next job, when its deque is empty
      uint64_t next_serial = 0;
      {
        SpinlockHolder l(&w.lock);
        if (!w.deque.empty()) {
          *job = w.deque.front();
          w.deque.pop_front();
          w.PublishOccupancy();
          more = !w.deque.empty() || w.next.execute != nullptr;
          found = true;
        } else {
          next = w.next;
          next_serial = w.next_serial;
        }
      }
      if (!found && next.execute != nullptr &&
          (next_jobs == NextJobs::kAny || NextJobIsOld(victim, next_serial))) {
        SpinlockHolder l(&w.lock);
        if (w.next.execute != nullptr && w.next_serial == next_serial) {
          *job = w.next;
          w.next = JobRef{};
          w.PublishOccupancy();
          found = true;
        }
      }
      if (found) {
        if (more) WakeOne();
        return true;
      }
    }
  }
  return false;
}

void ThreadPool::PassWakeOn() {
  // Submissions made while our wake-up was in flight skipped their own; one of
  // them may sit in a queue we did not take from (issue 10, item 1). Wake the
  // next sleeper, who does the same when it finds work: the chain stops at a
  // worker that finds nothing, i.e. once every such job has been taken.
  if (inject::FaultOn(inject::Fault::kPoolWakeNotPassedOn)) [[unlikely]]
    return;
  WakeOne();
}

void ThreadPool::WaitHelping(Notification& done) {
  const size_t self = tls_worker.index;
  Backoff idle(kPoolIdleBackoff);
  while (!done.IsSet()) {
    JobRef job;
    if (FindWork(self, &job, NextJobs::kWhenOld)) {
      job.Run();
      idle.Reset();
      continue;
    }
    if (!idle.IsCompleted()) {
      idle.Snooze();
    } else {
      // The job we wait for is running on another worker; sleep until it
      // finishes (a short timed wait, so new work is picked up again).
      done.WaitUntil(std::chrono::steady_clock::now() + std::chrono::milliseconds(1));
      idle.SkipSpinning();
    }
  }
}

void ThreadPool::WorkerLoop(size_t index) {
  if (index < worker_cpus_.size()) PinCallingThread(worker_cpus_[index]);
  tls_worker.pool = this;
  tls_worker.index = index;
  tls_worker.rng = 0x9E3779B97F4A7C15ull * (index + 1);
  Backoff idle(kPoolIdleBackoff);
  // Set when this worker cleared a set wake-pending flag after its futex
  // wait: the first job it then finds obliges it to pass the wake on.
  bool pass_on = false;
  for (;;) {
    JobRef job;
    if (FindWork(index, &job, NextJobs::kWhenOld)) {
      if (pass_on) {
        pass_on = false;
        PassWakeOn();
      }
      job.Run();
      idle.Reset();
      continue;
    }
    if (!idle.IsCompleted()) {
      idle.Snooze();
      continue;
    }
    // Sleep (protocol in thread_pool.h): count ourselves, read the epoch,
    // clear the wake-pending flag, then re-check for work and for shutdown.
    pass_on = false;  // spun through every queue since: nothing was owed
    inject::At(inject::Point::kPoolSleepEnter);
    sleepers_.fetch_add(1, std::memory_order_seq_cst);
    uint32_t epoch;
    bool owes_wake;  // we cleared a set flag: searching and passing on is ours
    if (inject::FaultOn(inject::Fault::kPoolFlagClearedBeforeEpoch)) [[unlikely]] {
      owes_wake = ClearWakePending();  // seeded bug 1b: a wake in the gap is lost
      inject::At(inject::Point::kPoolSleepFlag);
      epoch = sleep_epoch_.load(std::memory_order_seq_cst);
    } else {
      // The epoch first: a waker that sets the flag after our clear bumps the
      // epoch after our read, so the futex wait below returns at once.
      epoch = sleep_epoch_.load(std::memory_order_seq_cst);
      inject::At(inject::Point::kPoolSleepFlag);
      owes_wake = ClearWakePending();
    }
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (!inject::FaultOn(inject::Fault::kPoolSleepWithoutRecheck) &&
        FindWork(index, &job, NextJobs::kAny)) {
      sleepers_.fetch_sub(1, std::memory_order_relaxed);
      if (ClearWakePending()) owes_wake = true;
      if (owes_wake) PassWakeOn();
      job.Run();
      idle.Reset();
      continue;
    }
    if (shutdown_.load(std::memory_order_seq_cst)) {
      sleepers_.fetch_sub(1, std::memory_order_relaxed);
      ClearWakePending();
      break;  // every queue was empty after shutdown began: drained
    }
    inject::At(inject::Point::kPoolSleepPark);
    FutexWait(&sleep_epoch_, epoch);
    inject::At(inject::Point::kPoolWoken);
    sleepers_.fetch_sub(1, std::memory_order_relaxed);
    // Woken (or the epoch moved): if we clear a set flag, the next search
    // owes the pass-on (see `pass_on` at the top of the loop).
    pass_on = ClearWakePending();
    idle.SkipSpinning();
  }
  tls_worker.pool = nullptr;
}

}  // namespace harness::runtime
