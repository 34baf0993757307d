// Boost.Asio C++20 coroutines: each task is an asio::awaitable co_spawn'ed on
// an asio::thread_pool of `workers` threads (started untimed). Each await is
// `co_await Awaited(...)`, another awaitable: in kind compute it returns at
// once; in kind wait it first waits on an asio::steady_timer with
// async_wait(use_awaitable), holding no thread. The root collects each task's
// completion in its co_spawn completion handler (each task records its value
// in its own slot) and waits for the last one
// (Boost 1.74's Asio has no parallel_group to co_await them all).
//
// bytes_per_task: untimed, in the constructor, min(tasks, 1000) tasks run
// until their first awaited call, which waits on a timer that never expires
// by itself; once every pool thread is idle (a rendezvous of `workers` posted
// jobs), the heap growth divided by the task count is the figure (the
// co_spawn and awaitable frames, the timer and its pending wait); then the
// timers are cancelled and the tasks finish.
#include <utility>  // before Asio's headers

#include "scenarios/async_tasks/heap_probe.h"
#include "scenarios/async_tasks/scenario.h"

#if HARNESS_HAVE_ASIO

#include <atomic>
#include <chrono>
#include <exception>
#include <thread>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "absl/base/thread_annotations.h"
#include "harness/runtime/annotated_mutex.h"
#include "harness/runtime/notification.h"

namespace async_tasks {
namespace {

namespace asio = boost::asio;
using harness::runtime::Mutex;
using harness::runtime::MutexLock;

// The probe's parked timers.
struct ProbeGate {
  Mutex mu;
  std::vector<asio::steady_timer*> timers ABSL_GUARDED_BY(mu);
  std::atomic<int64_t> arrived{0};
};

asio::awaitable<uint64_t> Awaited(const Params& p, uint64_t x, int64_t k, ProbeGate* gate) {
  if (gate != nullptr || p.kind == Kind::kWait) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    if (gate != nullptr) {
      timer.expires_at(asio::steady_timer::time_point::max());
      MutexLock l(&gate->mu);
      gate->timers.push_back(&timer);
      gate->arrived.fetch_add(1, std::memory_order_release);
    } else {
      timer.expires_after(std::chrono::microseconds(p.wait_us));
    }
    boost::system::error_code ec;  // the probe's cancel: operation_aborted
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return Step(x, k);
}

asio::awaitable<void> OneTask(const Params& p, int64_t id, TaskLog* log, ProbeGate* gate) {
  log->Start(id);
  uint64_t x = Seed(id);
  for (int64_t k = 0; k < p.awaits; ++k) {
    x = co_await Awaited(p, x, k, k == 0 ? gate : nullptr);
  }
  log->Finish(id, x);
}

class AsioStrategy {
 public:
  explicit AsioStrategy(const Params& p) : pool_(p.workers), workers_(p.workers) {
    bytes_per_task_ = ProbeBytesPerTask(p);
  }
  ~AsioStrategy() { pool_.join(); }

  Result Run(const Params& p) { return RunTasks(p, p.tasks, nullptr).Take(bytes_per_task_); }

 private:
  TaskLog RunTasks(const Params& p, int64_t n, ProbeGate* gate) {
    TaskLog log(p, n);
    std::atomic<int64_t> remaining{n};
    harness::runtime::Notification all_done;
    for (int64_t id = 0; id < n; ++id) {
      asio::co_spawn(pool_, OneTask(p, id, &log, gate),
                     [&remaining, &all_done](std::exception_ptr e) {
                       if (e) std::rethrow_exception(e);  // none is thrown
                       if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) {
                         all_done.Set();
                       }
                     });
    }
    if (n > 0) all_done.Wait();  // the last handler's release, our acquire
    return log;
  }

  double ProbeBytesPerTask(const Params& p) {
    ProbeGate gate;
    // Every pool thread meets here once every task has reached its timer:
    // then no thread is still inside a task, so every wait is pending.
    std::atomic<int> in{0}, out{0};
    std::atomic<bool> go{false};
    return MeasureBytesPerTask(
        p, [&](int64_t n) { (void)RunTasks(p, n, &gate); },
        [&] { return gate.arrived.load(std::memory_order_acquire); },
        [&] {
          {
            MutexLock l(&gate.mu);
            for (asio::steady_timer* t : gate.timers) t->cancel();
          }
          go.store(true);
          while (out.load() < workers_) std::this_thread::yield();
        },
        [&] {
          for (int w = 0; w < workers_; ++w) {
            asio::post(pool_, [&] {
              in.fetch_add(1);
              while (!go.load()) std::this_thread::yield();
              out.fetch_add(1);  // last touch of this frame's locals
            });
          }
          while (in.load() < workers_) std::this_thread::yield();
        });
  }

  asio::thread_pool pool_;
  int workers_;
  double bytes_per_task_ = 0;
};

}  // namespace

HARNESS_REGISTER_STRATEGY(
    Scenario, "asio",
    "Boost.Asio awaitables co_spawn'ed on asio::thread_pool; waits on "
    "steady_timer",
    AsioStrategy,
    harness::StrategyTraits{
        .overhead_reason = "Asio's awaitable machinery per await: a heap frame per "
                           "awaitable (malloc and free are about a fifth of its 1-worker "
                           "profile under perf record -e cpu-clock), a type-erased "
                           "any_executor copied per co_spawn and await, the scheduler's "
                           "mutex per post"});

}  // namespace async_tasks

#else  // !HARNESS_HAVE_ASIO

namespace async_tasks {
HARNESS_REGISTER_SKIPPED(Scenario, "asio", "Boost.Asio awaitables on asio::thread_pool",
                         "Boost.Asio headers were not found at configure time");
}  // namespace async_tasks

#endif  // HARNESS_HAVE_ASIO
