//! parallel_map/rust_rayon: seed 001 `vec.par_iter_mut().for_each(|x| *x +=
//! 2)` (kind add2) and the same with parallel_map::Heavy's mixing rounds
//! (kind heavy), inside a Rayon ThreadPool of exactly `workers` threads built
//! untimed (`install` runs the map on it). Per element the result is exactly
//! parallel_map::ApplyRange's; the machine code is rustc's (LLVM), not the
//! C++ kernel's: the closure is inlined into Rayon's per-piece loop, which
//! rustc may vectorize differently from clang's ApplyRange.

use rayon::prelude::*;

/// parallel_map::Heavy: `rounds` rounds of a xorshift-multiply mix.
#[inline(always)]
fn heavy(mut x: u64, rounds: i64) -> u64 {
    for _ in 0..rounds {
        x ^= x >> 31;
        x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x ^= x >> 29;
    }
    x
}

pub struct Pool(rayon::ThreadPool);

#[no_mangle]
pub extern "C" fn harness_rust_rayon_pool_new(workers: i32) -> *mut Pool {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers.max(1) as usize)
        .build()
        .expect("cannot start the Rayon pool");
    Box::into_raw(Box::new(Pool(pool)))
}

/// # Safety
/// `pool` came from harness_rust_rayon_pool_new and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn harness_rust_rayon_pool_free(pool: *mut Pool) {
    if !pool.is_null() {
        drop(Box::from_raw(pool));
    }
}

/// # Safety
/// `data[0, n)` is valid and used by nothing else during the call.
#[no_mangle]
pub unsafe extern "C" fn harness_rust_parallel_map_rayon(
    pool: *mut Pool,
    kind: i32,
    work_iters: i64,
    data: *mut u64,
    n: usize,
) {
    if n == 0 {
        return;
    }
    let v = std::slice::from_raw_parts_mut(data, n);
    let pool = &(*pool).0;
    if kind == 0 {
        pool.install(|| v.par_iter_mut().for_each(|x| *x += 2));
    } else {
        pool.install(|| v.par_iter_mut().for_each(|x| *x = heavy(*x, work_iters)));
    }
}
