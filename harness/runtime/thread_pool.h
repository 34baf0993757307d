// Copyright: the concurrency-harness authors.
//
// ThreadPool: a fixed set of worker threads with per-worker deques and work
// stealing (the role Rayon plays in Rust).
//
//   ThreadPool pool(4);
//   pool.SpawnDetached([] { Work(); });               // detached
//   pool.Join([&] { a = F(); }, [&] { b = G(); });      // fork-join, may borrow
//   pool.Scope([&](ThreadPool::ScopeHandle& s) {        // scoped tasks
//     for (auto& item : items) s.SpawnScoped([&item] { Process(item); });
//   });                                                 // waits for all
//   pool.ParallelFor(0, n, 1024, [&](size_t lo, size_t hi) { ... });
//
// Scheduling: each worker owns a deque and a "next job" slot. Work a worker
// submits with Execute/SpawnDetached (a coroutine it wakes, a task it
// spawns) becomes its next job, and the job that was there moves to the back
// of its deque; Join's stealable half goes straight to the back of the
// deque. A worker looking for work takes its own next job, then its deque's
// back (LIFO for locality), then the shared FIFO injector (work submitted
// from outside the pool), then steals from the front of other workers'
// deques, then another worker's next job, but only one it has seen waiting
// there for 3 microseconds (Go's runnext and its steal delay; Tokio's LIFO
// slot: a ping
// between two tasks stays on one worker instead of crossing cores at every
// message; issue 13: actor_ping coroutines, 1 actor, 1 client, 100k asks at
// 2 workers on 2 CPUs, 146 -> 78 ms, Tokio 76 ms, and 2.1x faster again
// once spinning searchers stopped locking and re-reading the slot's cache
// line at every scan, see Worker::PublishOccupancy; the delay lets a producer
// that keeps running lose its woken consumer to an idle worker, so the two
// still run in parallel). Unlike Tokio's slot it stays stealable, so a
// worker that blocks on its own next job cannot hang it. Idle workers spin for a few microseconds,
// then sleep on a futex; submitting work wakes one sleeper. No core is used while the pool is idle.
//
// Join(a, b): runs `a` on the calling worker while `b` is offered for
// stealing; if nobody stole `b`, it runs inline afterwards; otherwise the
// caller executes other work until `b` finishes. Called from a thread that
// is not a worker of this pool, Join / ParallelFor / Scope run the whole call
// on a worker and block the caller until it is done (so the parallelism is
// exactly the worker count); with Caller::kJoins the caller instead takes
// the place of the last worker for the call (see Caller).
//
// Exceptions: an exception thrown by `a` or `b` of Join, a ParallelFor body or
// a scoped task is captured and rethrown to the caller of Join / ParallelFor /
// Scope after all of its tasks finished (the first one if several threw). A
// SpawnDetached has no waiter: an exception escaping it calls
// std::terminate, as for std::thread.
//
// Destruction: ~ThreadPool() lets the workers run every job still queued
// (including jobs those jobs spawn), then joins them. Submitting work from
// another thread concurrently with destruction is undefined.
//
// Wake protocol (who wakes whom, and why no wake-up is lost). Invariant:
// whenever a job is queued and a worker sleeps, some worker is awake and will
// search every queue before it sleeps. "Every queue" is the injector, every
// deque and every next slot. The re-check before sleeping takes each lock
// and any next job; the other searches leave a next job younger than 3
// microseconds to its owner, which is awake (it queued the job itself, from
// a job it is running) and runs it when that job ends, or loses it to a
// searcher that sees it waiting longer. Those spinning searches skip a
// worker whose published occupancy (two atomic words its owner writes under
// its lock) says it has nothing to take, without taking its lock, and read
// its next slot's word only every 8th look: a spinning search that misses a
// job costs time, not the invariant, which rests on the re-check.
//   - Submitting (PushNext / PushLocal / ExecuteGlobal) queues the job, then WakeOne():
//     a seq_cst fence, then a read of `sleepers_`; if nobody sleeps, nothing
//     else happens (the hot path: one fence, one load). Otherwise it sets
//     `wake_pending_` (skipping everything if it already is set), bumps
//     `sleep_epoch_` and wakes one futex waiter.
//   - A worker that found no work sleeps: sleepers_++ (seq_cst), read
//     sleep_epoch_, clear wake_pending_ (exchange), re-check every queue and
//     shutdown, then FutexWait(sleep_epoch_, epoch). Dekker with WakeOne:
//     either the submitter sees the sleeper counted, or the sleeper's re-check
//     sees the job. The epoch is read BEFORE the flag is cleared: a waker that
//     sets the flag after the clear bumps the epoch after the read, so the
//     futex wait returns at once (cleared first, such a wake was lost and the
//     flag stayed set, suppressing every later wake: issue 10, item 1b).
//   - A submitter that skips the wake because wake_pending_ is set relies on
//     whoever clears the flag. The clearer (a sleeper on entry, a worker back
//     from its futex wait, or one leaving the sleep path with a job) searches
//     every queue afterwards and, if it finds a job, calls WakeOne() again
//     before running it ("passes the wake on"). The chain ends at a worker
//     that finds nothing, i.e. once every job queued behind the flag has been
//     taken. (Checking only the queue the job came from missed jobs pushed
//     to another worker's deque meanwhile: issue 10, item 1.)
//   - A worker that takes a job from the injector or steals one and sees more
//     left in that queue also calls WakeOne() (spreads bursts quickly).
//   - ~ThreadPool sets `shutdown_`, bumps the epoch and wakes every sleeper.
// Memory ordering of the protocol: `sleepers_`, `sleep_epoch_` and
// `wake_pending_` are accessed seq_cst (the fence in WakeOne pairs with the
// sleeper's seq_cst RMW and fence); the jobs themselves travel through the
// lock-guarded queues. Injection points (injection.h): pool.push, pool.steal,
// pool.wake, pool.sleep_enter, pool.sleep_flag, pool.sleep_park, pool.woken;
// seeded faults: pool.wake_not_passed_on, pool.flag_cleared_before_epoch,
// pool.sleep_without_recheck.
//
// Memory ordering: everything the submitting thread wrote before SpawnDetached /
// Join / ScopeHandle::SpawnScoped / ParallelFor is visible to the task (deques and the
// injector are guarded by locks: release on push, acquire on pop). Everything
// a task wrote is visible to the caller after Join / ParallelFor / Scope
// returns (completion latches: release on finish, acquire on wait).
#ifndef HARNESS_RUNTIME_THREAD_POOL_H_
#define HARNESS_RUNTIME_THREAD_POOL_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "harness/runtime/annotated_mutex.h"
#include "harness/runtime/job.h"
#include "harness/runtime/notification.h"
#include "harness/runtime/spinlock.h"

namespace harness::runtime {

class ThreadPool {
 public:
  class ScopeHandle;

  // Where the workers run.
  enum class Placement {
    // The OS scheduler places and moves them (the default). Best for
    // communicating tasks: the scheduler puts a woken thread beside its
    // waker, and two threads passing messages often gain from sharing a CPU
    // (message_passing/coroutines u64 at 2 workers on 2 CPUs ran 0.64x as
    // fast pinned; issue 13).
    kFloating,
    // Worker i is pinned to the (i mod n)-th of the n CPUs the process may
    // use when the pool starts (Linux; elsewhere the same as kFloating). For
    // data-parallel loops: floating, each loop's wake-ups put a woken worker
    // on its waker's CPU until the load balancer moves it (about 3 CPU
    // migrations per ParallelFor), so 2 workers shared one CPU for part of
    // every loop. Pinned, parallel_map add2 2^26 at 2 workers on 2 CPUs ran
    // 1.19x and heavy 1.27x as fast, level with tbb::parallel_for, which
    // avoids the migrations by running the caller in the loop (issue 13).
    kPinned,
  };

  // What a thread outside the pool does while its Join / ParallelFor / Scope
  // runs.
  enum class Caller {
    // It waits: a worker runs the call, then wakes it (the default).
    kWaits,
    // It works (oneTBB's master slot): the pool starts num_workers - 1
    // threads and keeps the last worker's place for an outside caller, which
    // runs the call itself as that worker while the threads steal from it.
    // The parallelism stays num_workers, and a call pays no hand-over: the
    // caller starts at once instead of waking a sleeping worker, and is not
    // woken at the end. parallel_map add2 2^25 at 2 workers on 2 CPUs:
    // issue 13's figures in harness/runtime/README.md. One outside caller
    // holds the place at a time; another one meanwhile waits as with kWaits.
    // Work submitted from outside (SpawnDetached, Execute) runs on the
    // threads, or in the caller's place while a caller holds it; jobs a
    // caller leaves queued in that place when its call returns are found
    // there by the threads, as in any worker's queues. With num_workers 1
    // the pool keeps its one thread (a pool without threads would never run
    // detached work): kWaits.
    kJoins,
  };

  // Starts `num_workers` (>= 1) worker threads (Caller::kJoins: one fewer,
  // for num_workers >= 2).
  explicit ThreadPool(size_t num_workers, Placement placement = Placement::kFloating,
                      Caller caller = Caller::kWaits);
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  // Runs the jobs still queued, then joins the workers.
  ~ThreadPool();

  size_t num_workers() const { return workers_.size(); }

  // The pool whose worker is the calling thread, or nullptr.
  static ThreadPool* Current();
  bool IsWorkerThread() const { return Current() == this; }

  // Runs `f()` on some worker, detached. The callable is moved to the heap.
  template <typename F>
  void SpawnDetached(F&& f) {
    using Fn = std::decay_t<F>;
    struct HeapJob {
      Fn fn;
      static void Run(void* p) noexcept {
        std::unique_ptr<HeapJob> self(static_cast<HeapJob*>(p));
        self->fn();  // noexcept context: an escaping exception terminates
      }
    };
    Execute(JobRef{&HeapJob::Run, new HeapJob{std::forward<F>(f)}});
  }

  // Runs `a()` and `b()`, potentially in parallel; returns when both
  // finished. Rethrows the first exception (from `a` before `b`).
  template <typename A, typename B>
  void Join(A&& a, B&& b) {
    if (!IsWorkerThread()) {
      auto op = [&] { JoinOnWorker(a, b); };
      RunFromOutside(op);
      return;
    }
    JoinOnWorker(a, b);
  }

  // Calls `fn` over [begin, end), splitting recursively (by halves, through
  // Join) until a piece holds at most `grain` indices (grain 0: automatic,
  // about kAutoPiecesPerWorker pieces per worker). `fn` is either
  // fn(size_t lo, size_t hi) for a piece or fn(size_t i) per index.
  // Pieces per worker of an automatic grain. The last piece a worker takes
  // can leave the others idle, so finer pieces balance the end of a loop
  // better; a piece costs one Join (a deque push and pop), nothing beside
  // a piece of thousands of elements. 8 left parallel_map add2 2^25 at 2
  // workers about 2% behind tbb::parallel_for (auto_partitioner, which
  // splits stolen ranges further); 32 and 128 were level (issue 13).
  static constexpr size_t kAutoPiecesPerWorker = 32;

  template <typename F>
  void ParallelFor(size_t begin, size_t end, size_t grain, F&& fn) {
    if (end <= begin) return;
    if (grain == 0) {
      grain = (end - begin) / (kAutoPiecesPerWorker * num_workers());
      if (grain == 0) grain = 1;
    }
    auto run = [&] { ParallelForRange(begin, end, grain, fn); };
    if (!IsWorkerThread()) {
      RunFromOutside(run);
    } else {
      run();
    }
  }

  // Calls `body(ScopeHandle&)`; tasks spawned on the handle may borrow from
  // the caller's stack: Scope returns only after all of them finished, then
  // rethrows the first exception thrown by the body or a task.
  template <typename F>
  void Scope(F&& body);

  // Low-level submission (used by executors and coroutines): from a worker of
  // this pool, onto its own deque; otherwise onto the injector.
  void Execute(JobRef job);
  // Onto the shared FIFO injector, behind work already queued (fair yield).
  void ExecuteGlobal(JobRef job);

 private:
  struct Worker;
  // Reads sleepers_ / wake_pending_ to wait for a quiet pool
  // (thread_pool_wake_test.cc).
  friend class ThreadPoolTestPeer;

  // A job living on the stack of the thread that waits for it.
  template <typename F>
  struct StackJob {
    F* fn;
    Notification done;
    std::exception_ptr error;
    explicit StackJob(F* f) : fn(f) {}
    JobRef Ref() { return JobRef{&Run, this}; }
    static void Run(void* p) noexcept {
      auto* self = static_cast<StackJob*>(p);
      try {
        (*self->fn)();
      } catch (...) {
        self->error = std::current_exception();
      }
      self->done.Set();
    }
  };

  // Caller::kJoins: while alive, the calling thread (not a worker of this
  // pool) works as the last worker, if it got that place (`held()`).
  class CallerPlace {
   public:
    explicit CallerPlace(ThreadPool& pool);
    ~CallerPlace();
    CallerPlace(const CallerPlace&) = delete;
    CallerPlace& operator=(const CallerPlace&) = delete;
    bool held() const { return held_; }

   private:
    ThreadPool& pool_;
    bool held_ = false;
  };

  // A Join / ParallelFor / Scope called from outside the pool: in the
  // caller's place when the pool has one free, else on a worker.
  template <typename F>
  void RunFromOutside(F& op) {
    {
      CallerPlace place(*this);
      if (place.held()) {
        op();
        return;
      }
    }
    RunOnWorker(op);
  }

  template <typename F>
  void RunOnWorker(F& op) {
    StackJob<F> job(&op);
    ExecuteGlobal(job.Ref());
    job.done.Wait();
    if (job.error) std::rethrow_exception(job.error);
  }

  template <typename A, typename B>
  void JoinOnWorker(A& a, B& b) {
    StackJob<B> job_b(&b);
    PushLocal(job_b.Ref());
    std::exception_ptr error_a;
    try {
      a();
    } catch (...) {
      error_a = std::current_exception();
    }
    if (PopLocalIf(job_b.Ref())) {
      StackJob<B>::Run(&job_b);  // not stolen: run inline
    } else {
      WaitHelping(job_b.done);
    }
    if (error_a) std::rethrow_exception(error_a);
    if (job_b.error) std::rethrow_exception(job_b.error);
  }

  template <typename F>
  void ParallelForRange(size_t lo, size_t hi, size_t grain, F& fn) {
    if (hi - lo > grain) {
      const size_t mid = lo + (hi - lo) / 2;
      // Left half on this thread (recursively), right half offered to
      // thieves.
      auto left = [&] { ParallelForRange(lo, mid, grain, fn); };
      auto right = [&] { ParallelForRange(mid, hi, grain, fn); };
      JoinOnWorker(left, right);
      return;
    }
    if constexpr (std::is_invocable_v<F&, size_t, size_t>) {
      fn(lo, hi);
    } else {
      for (size_t i = lo; i < hi; ++i) fn(i);
    }
  }

  // Worker-thread only.
  void PushLocal(JobRef job);
  // Makes `job` the calling worker's next job (its previous next job moves
  // to the back of its deque), then WakeOne().
  void PushNext(JobRef job);
  bool PopLocalIf(JobRef job);
  // Runs other jobs until `done` is set.
  void WaitHelping(Notification& done);
  // Which of the other workers' next jobs FindWork takes.
  enum class NextJobs {
    kWhenOld,  // one this worker has seen waiting for kNextJobStealDelay
    kAny,      // any (the re-check before sleeping)
  };
  // Own next job, own deque (back), injector, other deques (front), other
  // workers' next jobs (as `next_jobs` says).
  bool FindWork(size_t self, JobRef* job, NextJobs next_jobs);
  // Wakes one sleeper if any sleeps and no wake-up is already in flight.
  void WakeOne();
  // Clears wake_pending_; true if it was set (the caller now owes a search
  // of every queue and a PassWakeOn() if that search finds a job).
  bool ClearWakePending();
  // WakeOne() on behalf of submissions that skipped theirs.
  void PassWakeOn();
  void WorkerLoop(size_t index);

  std::vector<std::unique_ptr<Worker>> workers_;
  // kPinned: the CPU of each worker (empty: floating).
  std::vector<int> worker_cpus_;
  // Caller::kJoins: workers_.back() has no thread; an outside caller works
  // there while it holds `caller_place_taken_`. `caller_saved_` keeps that
  // caller's own state (its worker identity in another pool, its CPUs),
  // restored when it leaves.
  bool has_caller_place_ = false;
  alignas(64) std::atomic<bool> caller_place_taken_{false};
  struct SavedCaller;
  std::unique_ptr<SavedCaller> caller_saved_;

  alignas(64) Spinlock injector_lock_;
  std::deque<JobRef> injector_ ABSL_GUARDED_BY(injector_lock_);

  alignas(64) std::atomic<uint32_t> sleepers_{0};
  std::atomic<uint32_t> sleep_epoch_{0};
  std::atomic<bool> wake_pending_{false};
  std::atomic<bool> shutdown_{false};
  // Threads inside ExecuteGlobal; the destructor waits for zero.
  std::atomic<uint32_t> external_submitters_{0};
};

// Handle passed to a Scope body; spawns tasks bound to that scope.
class ThreadPool::ScopeHandle {
 public:
  ScopeHandle(const ScopeHandle&) = delete;
  ScopeHandle& operator=(const ScopeHandle&) = delete;

  // Runs `f()` on the pool; the enclosing Scope call waits for it. `f` may
  // spawn more tasks on this handle.
  template <typename F>
  void SpawnScoped(F&& f) {
    using Fn = std::decay_t<F>;
    struct ScopeJob {
      Fn fn;
      ScopeHandle* scope;
      static void Run(void* p) noexcept {
        auto* self = static_cast<ScopeJob*>(p);
        ScopeHandle* scope = self->scope;
        try {
          self->fn();
        } catch (...) {
          scope->RecordError(std::current_exception());
        }
        delete self;
        scope->Arrive();  // last touch of the scope
      }
    };
    pending_.fetch_add(1, std::memory_order_relaxed);
    pool_->Execute(JobRef{&ScopeJob::Run, new ScopeJob{std::forward<F>(f), this}});
  }

 private:
  friend class ThreadPool;
  explicit ScopeHandle(ThreadPool* pool) : pool_(pool) {}

  void RecordError(std::exception_ptr e) {
    MutexLock l(&mu_);
    if (!error_) error_ = std::move(e);
  }
  void Arrive() {
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) done_.Set();
  }

  ThreadPool* const pool_;
  std::atomic<size_t> pending_{1};  // 1 for the body itself
  Notification done_;
  Mutex mu_;
  std::exception_ptr error_ ABSL_GUARDED_BY(mu_);
};

template <typename F>
void ThreadPool::Scope(F&& body) {
  auto run = [&] {
    ScopeHandle scope(this);
    try {
      body(scope);
    } catch (...) {
      scope.RecordError(std::current_exception());
    }
    scope.Arrive();
    WaitHelping(scope.done_);
    std::exception_ptr error;
    {
      MutexLock l(&scope.mu_);
      error = scope.error_;
    }
    if (error) std::rethrow_exception(error);
  };
  if (!IsWorkerThread()) {
    RunFromOutside(run);
  } else {
    run();
  }
}

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_THREAD_POOL_H_
