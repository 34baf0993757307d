//! The articles' Rust programs as reference strategies of the harness
//! (issue #12). Each module is one strategy (or a runtime shared by some)
//! and exports `extern "C"` entry points declared in
//! `rust/include/harness_rust.h`; the scenario's `rust_*.cc` registers it.
//! A new strategy: one file here, its `mod` line below, one registration.

mod common;

mod spawn_join_thread_scope;
mod spawn_join_thread_spawn;

mod shared_counter_arc_mutex;
mod shared_counter_atomic_u64;

mod message_passing;
mod message_passing_crossbeam_bounded;
mod message_passing_crossbeam_unbounded;
mod message_passing_std_mpsc;
mod message_passing_std_sync_channel;

mod parallel_map_rayon;

mod tokio_runtime;

mod async_tasks_tokio;

mod actor_ping_tokio;
