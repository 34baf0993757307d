// Schedule perturbation for stress runs (`harness stress`): at the runtime's
// synchronization points, PerturbSchedule() sometimes yields or sleeps a
// little, to shake out rare interleavings. Off unless EnablePerturbation()
// was called (never in benchmarks), then one relaxed load per call.
//
// Memory ordering: the enabled flag is relaxed; it is set before the stressed
// threads start (thread creation orders it).
#ifndef HARNESS_RUNTIME_PERTURB_H_
#define HARNESS_RUNTIME_PERTURB_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

namespace harness::runtime {

namespace internal {
inline std::atomic<bool> perturbation_enabled{false};
inline std::atomic<uint64_t> perturbation_seed{1};
}  // namespace internal

inline void EnablePerturbation(uint64_t seed) {
  internal::perturbation_seed.store(seed | 1, std::memory_order_relaxed);
  internal::perturbation_enabled.store(true, std::memory_order_relaxed);
}
inline void DisablePerturbation() {
  internal::perturbation_enabled.store(false, std::memory_order_relaxed);
}

// Call at a synchronization point. With perturbation on: 1 in 8 calls yields,
// 1 in 128 sleeps 20-300 us.
inline void PerturbSchedule() {
  if (!internal::perturbation_enabled.load(std::memory_order_relaxed)) return;
  thread_local uint64_t state =
      internal::perturbation_seed.load(std::memory_order_relaxed) ^
      (reinterpret_cast<uintptr_t>(&state) * 0x9E3779B97F4A7C15ull);
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  if ((state & 127) == 0) {
    std::this_thread::sleep_for(std::chrono::microseconds(20 + (state >> 8) % 280));
  } else if ((state & 7) == 0) {
    std::this_thread::yield();
  }
}

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_PERTURB_H_
