//! Helpers shared by the strategies: the workload splits of
//! harness/runtime/spawn.h and a raw pointer that may cross threads.

/// Worker `w`'s number of items when `total` are split over `workers`
/// (harness::runtime::ShareOf).
pub fn share_of(total: i64, workers: i64, w: i64) -> i64 {
    total / workers + if w < total % workers { 1 } else { 0 }
}

/// The first item of worker `w`'s contiguous share
/// (harness::runtime::ShareBegin).
pub fn share_begin(total: i64, workers: i64, w: i64) -> i64 {
    let base = total / workers;
    let extra = total % workers;
    w * base + if w < extra { w } else { extra }
}

/// A pointer into a C++-owned buffer, sent to the thread or task that owns
/// the slots it writes (each slot has one writer; the join that ends the
/// call publishes them). Accessed through `at`, so closures capture the
/// whole wrapper (edition 2021 would otherwise capture the raw field).
pub struct SlotPtr<T>(pub *mut T);

impl<T> Clone for SlotPtr<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for SlotPtr<T> {}

unsafe impl<T> Send for SlotPtr<T> {}
unsafe impl<T> Sync for SlotPtr<T> {}

impl<T> SlotPtr<T> {
    /// The address of slot `i`.
    ///
    /// # Safety
    /// `i` is within the buffer, and only its owning task writes it.
    pub unsafe fn at(&self, i: i64) -> *mut T {
        self.0.add(i as usize)
    }

    /// The pointer itself.
    pub fn get(&self) -> *mut T {
        self.0
    }
}
