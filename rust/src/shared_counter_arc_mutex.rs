//! shared_counter/rust_arc_mutex: seed 000 "Shared State", the article's
//! `Arc<Mutex<_>>` (u64 here): `workers` threads, each locking the mutex
//! for every one of its increments, joined.

use std::sync::{Arc, Mutex};
use std::thread;

use crate::common::share_of;

#[no_mangle]
pub extern "C" fn harness_rust_shared_counter_arc_mutex(increments: i64, workers: i32) -> i64 {
    let workers = workers as i64;
    let counter = Arc::new(Mutex::new(0u64));
    let handles: Vec<thread::JoinHandle<()>> = (0..workers)
        .map(|w| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..share_of(increments, workers, w) {
                    let mut num = counter.lock().unwrap();
                    *num += 1;
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let value = *counter.lock().unwrap();
    value as i64
}
