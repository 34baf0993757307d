//! spawn_join/rust_thread_scope: `std::thread::scope` with `workers` scoped
//! threads; worker w runs a contiguous static share of the task ids (the
//! project's raw_threads split).

use std::thread;

use crate::common::{share_begin, share_of};
use crate::spawn_join_thread_spawn::{Slots, SpawnJoinArgs};

#[no_mangle]
pub extern "C" fn harness_rust_spawn_join_thread_scope(args: &SpawnJoinArgs) {
    let slots = Slots::new(args);
    let (tasks, workers) = (args.tasks, args.workers as i64);
    thread::scope(|s| {
        for w in 0..workers {
            s.spawn(move || {
                let begin = share_begin(tasks, workers, w);
                for id in begin..begin + share_of(tasks, workers, w) {
                    slots.run_task(id);
                }
            });
        }
    });
}
