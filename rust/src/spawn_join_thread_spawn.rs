//! spawn_join/rust_thread_spawn: seed 000 "Threads" / seed 001
//! `thread::spawn` + `join`: one OS thread per task, every handle joined.
//! `workers` plays no part. The per-task work (`cpu_work`, the sleep between
//! two clock reads) and the slot layout are shared with rust_thread_scope.

use std::thread;
use std::time::{Duration, Instant};

use crate::common::SlotPtr;

/// Mirrors HarnessRustSpawnJoin (rust/include/harness_rust.h).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct SpawnJoinArgs {
    pub kind: i32,
    pub workers: i32,
    pub tasks: i64,
    pub work_iters: i64,
    pub wait_us: i64,
    pub values: *mut u64,
    pub runs: *mut u32,
    pub waited_ns: *mut i64,
}

/// The slots of one run, sendable to the threads (each task writes only its
/// own).
#[derive(Clone, Copy)]
pub struct Slots {
    kind: i32,
    work_iters: i64,
    wait_us: i64,
    values: SlotPtr<u64>,
    runs: SlotPtr<u32>,
    waited_ns: SlotPtr<i64>,
}

impl Slots {
    pub fn new(a: &SpawnJoinArgs) -> Slots {
        Slots {
            kind: a.kind,
            work_iters: a.work_iters,
            wait_us: a.wait_us,
            values: SlotPtr(a.values),
            runs: SlotPtr(a.runs),
            waited_ns: SlotPtr(a.waited_ns),
        }
    }

    /// Runs task `id` on this thread (which may block) and records it, as
    /// spawn_join::RunTaskBlocking does.
    pub fn run_task(&self, id: i64) {
        // SAFETY: id < tasks, and task `id` runs exactly once, on this thread.
        unsafe {
            if self.kind == 1 {
                let start = Instant::now();
                thread::sleep(Duration::from_micros(self.wait_us as u64));
                *self.waited_ns.at(id) = start.elapsed().as_nanos() as i64;
                *self.values.at(id) = id as u64;
            } else {
                *self.values.at(id) = cpu_work(id, self.work_iters);
            }
            *self.runs.at(id) += 1;
        }
    }
}

/// spawn_join::CpuWork, the same arithmetic: `iters` rounds of a
/// xorshift-multiply mix seeded by the id.
#[inline(never)]
pub fn cpu_work(id: i64, iters: i64) -> u64 {
    let mut x = (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1);
    for i in 0..iters {
        x ^= x >> 31;
        x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = x.wrapping_add(i as u64);
    }
    x
}

#[no_mangle]
pub extern "C" fn harness_rust_spawn_join_thread_spawn(args: &SpawnJoinArgs) {
    let slots = Slots::new(args);
    let handles: Vec<thread::JoinHandle<()>> = (0..args.tasks)
        .map(|id| thread::spawn(move || slots.run_task(id)))
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}
