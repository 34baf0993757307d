// Rust original (rust/src/async_tasks_tokio.rs): seed 001's async fn /
// .await on Tokio's multi-thread runtime with `workers` worker threads
// (built untimed); kind wait awaits tokio::time::sleep (a 1 ms timer wheel:
// shorter waits last about 1 ms). bytes_per_task: untimed, in the
// constructor, min(tasks, 1000) tasks suspended in their first awaited call
// (on a semaphore instead of the timer); the heap growth per task.
#include <cstdint>

#include "harness/core/rust_strategy.h"
#include "scenarios/async_tasks/heap_probe.h"
#include "scenarios/async_tasks/scenario.h"

namespace async_tasks {
namespace {

class RustTokio {
 public:
  explicit RustTokio(const Params& p) : rt_(harness_rust_tokio_new(p.workers)) {
    bytes_per_task_ = harness_rust_async_tasks_tokio_bytes_per_task(
        rt_, ProbeTasks(p), +[]() -> int64_t { return HeapInUse(); });
  }
  ~RustTokio() { harness_rust_tokio_free(rt_); }
  RustTokio(const RustTokio&) = delete;
  RustTokio& operator=(const RustTokio&) = delete;

  Result Run(const Params& p) {
    Result r;
    r.values.assign(p.tasks, 0);
    r.done.assign(p.tasks, 0);
    r.elapsed_ns.assign(p.kind == Kind::kWait ? p.tasks : 0, 0);
    const HarnessRustAsyncTasks args{p.kind == Kind::kWait ? 1 : 0,
                                     p.tasks,
                                     p.awaits,
                                     p.wait_us,
                                     r.values.data(),
                                     r.done.data(),
                                     r.elapsed_ns.data()};
    harness_rust_async_tasks_tokio(rt_, &args);
    r.bytes_per_task = bytes_per_task_;
    return r;
  }

 private:
  HarnessRustTokio* rt_;
  double bytes_per_task_ = 0;
};

}  // namespace

HARNESS_REGISTER_RUST(Scenario, "rust_tokio",
                      "Rust: Tokio multi-thread runtime, `workers` worker threads, "
                      "tokio::spawn + .await (the article's)",
                      RustTokio, {},
                      "Tokio's machinery per task: a heap task cell and a JoinHandle per "
                      "tokio::spawn, its scheduler's queues and wake-ups, and one call "
                      "across the C ABI per task to hand its value back");

}  // namespace async_tasks
