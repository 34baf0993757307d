//! shared_counter/rust_atomic_u64: one `Arc<AtomicU64>`, `fetch_add(1,
//! Relaxed)` per increment from `workers` threads, joined (the join orders
//! the final load after every increment).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;

use crate::common::share_of;

#[no_mangle]
pub extern "C" fn harness_rust_shared_counter_atomic_u64(increments: i64, workers: i32) -> i64 {
    let workers = workers as i64;
    let counter = Arc::new(AtomicU64::new(0));
    let handles: Vec<thread::JoinHandle<()>> = (0..workers)
        .map(|w| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..share_of(increments, workers, w) {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    counter.load(Ordering::Relaxed) as i64
}
