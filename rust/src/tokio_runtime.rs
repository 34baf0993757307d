//! The Tokio runtime of async_tasks/rust_tokio and actor_ping/rust_tokio: a
//! multi-thread runtime with exactly `workers` worker threads and the timer
//! driver, built by the strategy's constructor (untimed), dropped by its
//! destructor. `block_on` runs a run's root future on the caller's thread.

pub struct Runtime(pub tokio::runtime::Runtime);

#[no_mangle]
pub extern "C" fn harness_rust_tokio_new(workers: i32) -> *mut Runtime {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers.max(1) as usize)
        .enable_time()
        .build()
        .expect("cannot start the Tokio runtime");
    Box::into_raw(Box::new(Runtime(rt)))
}

/// # Safety
/// `rt` came from harness_rust_tokio_new and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn harness_rust_tokio_free(rt: *mut Runtime) {
    if !rt.is_null() {
        drop(Box::from_raw(rt));
    }
}
