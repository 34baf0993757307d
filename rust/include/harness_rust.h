// The C ABI of the Rust reference strategies (the crate in rust/src): the
// articles' Rust programs, called by the scenarios' rust_*.cc files. Every
// entry point is implemented in Rust (`#[no_mangle] extern "C"`); the
// argument structs are `#[repr(C)]` mirrors of the ones below, so any change
// here is made in the matching .rs file too.
//
// Ownership: the C++ side owns every buffer and log passed in; Rust writes
// through the pointers only during the call (per-task slots, each written by
// the one task that owns it) and keeps none of them. Opaque runtimes (a
// Rayon pool, a Tokio runtime) are created and freed by the C++ strategy's
// constructor and destructor (untimed).
//
// Panics: the crate is built with panic = "abort"; no unwind crosses this
// boundary (a panic prints its message and aborts the process).
//
// Memory ordering: results written by Rust threads or tasks are published to
// the caller by the join that ends each call (thread join, Rayon's
// `install`, Tokio's JoinHandle await + `block_on` return), which
// synchronize-with the returning call.
#ifndef RUST_INCLUDE_HARNESS_RUST_H_
#define RUST_INCLUDE_HARNESS_RUST_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// ---- spawn_join (src/spawn_join_*.rs) ----
// kind: 0 cpu, 1 wait. values/runs hold `tasks` slots, waited_ns too in kind
// wait (else null). Task id writes values[id], ++runs[id], waited_ns[id].
typedef struct {
  int32_t kind;
  int32_t workers;
  int64_t tasks;
  int64_t work_iters;
  int64_t wait_us;
  uint64_t* values;
  uint32_t* runs;
  int64_t* waited_ns;
} HarnessRustSpawnJoin;

// One std::thread::spawn per task, each handle joined (the article's way).
void harness_rust_spawn_join_thread_spawn(const HarnessRustSpawnJoin* args);
// std::thread::scope with `workers` scoped threads, a static split of ids.
void harness_rust_spawn_join_thread_scope(const HarnessRustSpawnJoin* args);

// ---- shared_counter (src/shared_counter_*.rs) ----
// `workers` std threads add `increments` in total; returns the final value.
int64_t harness_rust_shared_counter_arc_mutex(int64_t increments, int32_t workers);
int64_t harness_rust_shared_counter_atomic_u64(int64_t increments, int32_t workers);

// ---- message_passing (src/message_passing_*.rs) ----
// The consumer hands every received message to the C++ log, in arrival
// order, through one of these (one thread: the caller's).
typedef void (*HarnessRustTakeU64)(void* log, uint32_t producer, uint64_t seq, uint64_t payload);
typedef void (*HarnessRustTakeString)(void* log, uint32_t producer, uint64_t seq, const char* data,
                                      size_t len);
// payload: 0 u64, 1 string. `workers` producer threads; the caller consumes.
typedef struct {
  int32_t payload;
  int32_t workers;
  int64_t messages;
  void* log;
  HarnessRustTakeU64 take_u64;
  HarnessRustTakeString take_string;
} HarnessRustMessagePassing;

void harness_rust_message_passing_std_mpsc(const HarnessRustMessagePassing* args);
void harness_rust_message_passing_std_sync_channel(const HarnessRustMessagePassing* args);
void harness_rust_message_passing_crossbeam_unbounded(const HarnessRustMessagePassing* args);
void harness_rust_message_passing_crossbeam_bounded(const HarnessRustMessagePassing* args);

// ---- parallel_map (src/parallel_map_rayon.rs) ----
typedef struct HarnessRustRayonPool HarnessRustRayonPool;
// A Rayon ThreadPool of exactly `workers` threads.
HarnessRustRayonPool* harness_rust_rayon_pool_new(int32_t workers);
void harness_rust_rayon_pool_free(HarnessRustRayonPool* pool);
// kind: 0 add2, 1 heavy. data[0, n) mapped in place with par_iter_mut.
void harness_rust_parallel_map_rayon(HarnessRustRayonPool* pool, int32_t kind, int64_t work_iters,
                                     uint64_t* data, size_t n);

// ---- Tokio runtime (src/tokio_runtime.rs), for async_tasks and actor_ping ----
typedef struct HarnessRustTokio HarnessRustTokio;
// A multi-thread runtime with `workers` worker threads and the timer on.
HarnessRustTokio* harness_rust_tokio_new(int32_t workers);
void harness_rust_tokio_free(HarnessRustTokio* rt);

// ---- async_tasks (src/async_tasks_tokio.rs) ----
// kind: 0 compute, 1 wait. Task id writes values[id], ++done[id] and (kind
// wait) elapsed_ns[id] (else null).
typedef struct {
  int32_t kind;
  int64_t tasks;
  int64_t awaits;
  int64_t wait_us;
  uint64_t* values;
  uint32_t* done;
  int64_t* elapsed_ns;
} HarnessRustAsyncTasks;

// Returns the wrapping sum of the task values (the root's combination).
uint64_t harness_rust_async_tasks_tokio(HarnessRustTokio* rt, const HarnessRustAsyncTasks* args);
// Untimed probe: heap growth per task while `n` tasks are suspended inside
// their first awaited call, read with `heap_in_use` (glibc; Rust allocates
// through malloc).
double harness_rust_async_tasks_tokio_bytes_per_task(HarnessRustTokio* rt, int64_t n,
                                                     int64_t (*heap_in_use)(void));

// ---- actor_ping (src/actor_ping_tokio.rs) ----
// Client c's replies and samples go to client_logs[c] through these (only
// client c's task calls them for that log, one call at a time).
typedef void (*HarnessRustReply)(void* client_log, const char* data, size_t len);
typedef void (*HarnessRustSample)(void* client_log, int64_t ns);
typedef struct {
  int64_t actors;
  int64_t requests;
  int32_t clients;
  void* const* client_logs;
  HarnessRustReply reply;
  HarnessRustSample sample;
  int64_t* actor_counts;  // `actors` slots, each written by its actor at the end
} HarnessRustActorPing;

void harness_rust_actor_ping_tokio(HarnessRustTokio* rt, const HarnessRustActorPing* args);

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // RUST_INCLUDE_HARNESS_RUST_H_
