// Schedule perturbation for stress runs (`harness stress`): installed as the
// injection hook (injection.h), it sometimes yields or sleeps a little at the
// runtime's injection points, to shake out rare interleavings. Off unless
// EnablePerturbation() was called (never in benchmarks).
//
// Memory ordering: the seed and counter are relaxed; the seed is set before
// the stressed threads start (thread creation orders it), and the counter is
// read after they are joined.
#ifndef HARNESS_RUNTIME_PERTURB_H_
#define HARNESS_RUNTIME_PERTURB_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "harness/runtime/injection.h"
#include "harness/runtime/xorshift.h"

namespace harness::runtime {

namespace internal {
inline std::atomic<uint64_t> perturbation_seed{1};
// How many yields and sleeps perturbation has injected since it was enabled.
inline std::atomic<uint64_t> perturbations_injected{0};

// 1 in 8 calls yields, 1 in 128 sleeps 20-300 us.
inline void PerturbHook(inject::Point) {
  thread_local uint64_t state = perturbation_seed.load(std::memory_order_relaxed) ^
                                (reinterpret_cast<uintptr_t>(&state) * 0x9E3779B97F4A7C15ull);
  XorShift64(state);
  if ((state & 127) == 0) {
    perturbations_injected.fetch_add(1, std::memory_order_relaxed);
    std::this_thread::sleep_for(std::chrono::microseconds(20 + (state >> 8) % 280));
  } else if ((state & 7) == 0) {
    perturbations_injected.fetch_add(1, std::memory_order_relaxed);
    std::this_thread::yield();
  }
}
}  // namespace internal

inline void EnablePerturbation(uint64_t seed) {
  internal::perturbation_seed.store(seed | 1, std::memory_order_relaxed);
  internal::perturbations_injected.store(0, std::memory_order_relaxed);
  inject::SetHook(&internal::PerturbHook);
}
inline void DisablePerturbation() { inject::SetHook(nullptr); }

// Yields and sleeps injected since the last EnablePerturbation().
inline uint64_t PerturbationsInjected() {
  return internal::perturbations_injected.load(std::memory_order_relaxed);
}

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_PERTURB_H_
