// Copyright: the concurrency-harness authors.
#include "harness/runtime/park.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "harness/runtime/injection.h"

namespace harness::runtime {
namespace {

static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));

long Futex(std::atomic<uint32_t>* word, int op, uint32_t val, const struct timespec* ts,
           uint32_t val3) {
  return syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), op, val, ts, nullptr, val3);
}

}  // namespace

void FutexWait(std::atomic<uint32_t>* word, uint32_t expected) {
  inject::At(inject::Point::kFutexWait);
  Futex(word, FUTEX_WAIT_PRIVATE, expected, nullptr, 0);
}

bool FutexWaitUntil(std::atomic<uint32_t>* word, uint32_t expected,
                    std::chrono::steady_clock::time_point deadline) {
  if (deadline == std::chrono::steady_clock::time_point::max()) {
    FutexWait(word, expected);
    return true;
  }
  // libstdc++'s steady_clock is CLOCK_MONOTONIC, which FUTEX_WAIT_BITSET
  // takes as an absolute deadline.
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count();
  if (ns <= 0) return false;
  struct timespec ts;
  ts.tv_sec = ns / 1000000000;
  ts.tv_nsec = ns % 1000000000;
  if (std::chrono::steady_clock::now() >= deadline) return false;
  inject::At(inject::Point::kFutexWait);
  Futex(word, FUTEX_WAIT_BITSET_PRIVATE, expected, &ts, FUTEX_BITSET_MATCH_ANY);
  return std::chrono::steady_clock::now() < deadline;
}

void FutexWake(std::atomic<uint32_t>* word, int count) {
  inject::At(inject::Point::kFutexWake);
  Futex(word, FUTEX_WAKE_PRIVATE, static_cast<uint32_t>(count), nullptr, 0);
}

}  // namespace harness::runtime
