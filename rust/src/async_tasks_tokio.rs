//! async_tasks/rust_tokio: seed 001 `async fn` / `.await` on Tokio's
//! multi-thread runtime (tokio_runtime.rs, `workers` worker threads). The
//! root (`block_on` on the caller's thread) `tokio::spawn`s `tasks` tasks and
//! awaits every JoinHandle, summing; task id awaits an async function
//! `awaits` times, threading its value through async_tasks::Step (the same
//! arithmetic, out of line), and records its value, a completion count and
//! (kind wait) its start-to-completion time in its own slots, as TaskLog
//! does. Kind wait awaits `tokio::time::sleep(wait_us)`: Tokio's timer wheel
//! ticks in milliseconds, so a wait below 1 ms lasts about 1 ms (never less
//! than asked, which is what the check requires).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::common::SlotPtr;
use crate::tokio_runtime::Runtime;

/// Mirrors HarnessRustAsyncTasks (rust/include/harness_rust.h).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct AsyncTasksArgs {
    pub kind: i32,
    pub tasks: i64,
    pub awaits: i64,
    pub wait_us: i64,
    pub values: *mut u64,
    pub done: *mut u32,
    pub elapsed_ns: *mut i64,
}

/// The slots of one run (each task writes only its own).
#[derive(Clone, Copy)]
struct Slots {
    values: SlotPtr<u64>,
    done: SlotPtr<u32>,
    elapsed_ns: Option<SlotPtr<i64>>,
}

/// What the awaited function waits on.
#[derive(Clone)]
enum Wait {
    Nothing,
    Timer(Duration),
    /// The bytes_per_task probe: count the task as parked, then wait for a
    /// permit.
    Gate(Arc<Semaphore>, Arc<AtomicI64>),
}

/// async_tasks::Step.
#[inline(never)]
fn step(mut x: u64, k: i64) -> u64 {
    x ^= x >> 29;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x.wrapping_add(k as u64)
}

/// async_tasks::Seed.
fn seed(id: i64) -> u64 {
    (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1)
}

/// The awaited async function.
async fn awaited(x: u64, k: i64, wait: &Wait) -> u64 {
    match wait {
        Wait::Nothing => {}
        Wait::Timer(d) => tokio::time::sleep(*d).await,
        Wait::Gate(gate, parked) => {
            parked.fetch_add(1, Ordering::Release);
            gate.acquire().await.unwrap().forget();
        }
    }
    step(x, k)
}

/// Task `id`.
async fn task(slots: Option<Slots>, id: i64, awaits: i64, wait: Wait) -> u64 {
    let start = match slots {
        Some(Slots { elapsed_ns: Some(_), .. }) => Some(Instant::now()),
        _ => None,
    };
    let mut x = seed(id);
    for k in 0..awaits {
        x = awaited(x, k, &wait).await;
    }
    if let Some(s) = slots {
        // SAFETY: id < tasks; task `id` is the only writer of its slots.
        unsafe {
            *s.values.at(id) = x;
            *s.done.at(id) += 1;
            if let (Some(e), Some(t)) = (s.elapsed_ns, start) {
                *e.at(id) = t.elapsed().as_nanos() as i64;
            }
        }
    }
    x
}

/// Returns the wrapping sum of the task values (the root's combination).
///
/// # Safety
/// `rt` is live; the slots hold `tasks` entries.
#[no_mangle]
pub unsafe extern "C" fn harness_rust_async_tasks_tokio(rt: *mut Runtime, args: &AsyncTasksArgs) -> u64 {
    let a = *args;
    let slots = Slots {
        values: SlotPtr(a.values),
        done: SlotPtr(a.done),
        elapsed_ns: if a.kind == 1 { Some(SlotPtr(a.elapsed_ns)) } else { None },
    };
    let wait = if a.kind == 1 { Wait::Timer(Duration::from_micros(a.wait_us as u64)) } else { Wait::Nothing };
    (*rt).0.block_on(async move {
        let handles: Vec<tokio::task::JoinHandle<u64>> = (0..a.tasks)
            .map(|id| tokio::spawn(task(Some(slots), id, a.awaits, wait.clone())))
            .collect();
        let mut sum = 0u64;
        for h in handles {
            sum = sum.wrapping_add(h.await.unwrap());
        }
        sum
    })
}

/// # Safety
/// `rt` is live.
#[no_mangle]
pub unsafe extern "C" fn harness_rust_async_tasks_tokio_bytes_per_task(
    rt: *mut Runtime,
    n: i64,
    heap_in_use: extern "C" fn() -> i64,
) -> f64 {
    if n <= 0 {
        return 0.0;
    }
    let rt = &(*rt).0;
    let gate = Arc::new(Semaphore::new(0));
    let parked = Arc::new(AtomicI64::new(0));
    let mut handles = Vec::with_capacity(n as usize);
    let before = heap_in_use();
    for id in 0..n {
        handles.push(rt.spawn(task(None, id, 1, Wait::Gate(gate.clone(), parked.clone()))));
    }
    while parked.load(Ordering::Acquire) < n {
        std::thread::yield_now();
    }
    let after = heap_in_use();
    gate.add_permits(n as usize);
    rt.block_on(async move {
        for h in handles {
            h.await.unwrap();
        }
    });
    (after - before) as f64 / n as f64
}
