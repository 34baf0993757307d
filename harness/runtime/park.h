// Copyright: the concurrency-harness authors.
//
// Parking primitives shared by the runtime: thin wrappers over the Linux futex
// system call (a thread sleeps on a 32-bit atomic word until another thread
// changes it and wakes it). The one-shot Notification (notification.h) is
// built on them.
//
// A futex wait returns when the word no longer holds `expected`, when woken,
// or spuriously; every caller re-checks its condition in a loop. Waking an
// address nobody waits on is harmless, which is what lets a Notification be
// destroyed as soon as its waiter has returned.
//
// Injection points (injection.h): park.futex_wait before every futex wait,
// park.futex_wake before every wake.
//
// Memory ordering: the futex calls themselves order nothing. All data hand-off
// goes through the atomic word (or other atomics) with acquire/release
// operations, which ThreadSanitizer models.
#ifndef HARNESS_RUNTIME_PARK_H_
#define HARNESS_RUNTIME_PARK_H_

#include <atomic>
#include <chrono>
#include <cstdint>

#include "harness/runtime/injection.h"

namespace harness::runtime {

// Sleeps while `*word == expected` (checked atomically by the kernel).
void FutexWait(std::atomic<uint32_t>* word, uint32_t expected);

// As FutexWait, but gives up at `deadline` (steady clock). Returns false iff
// the deadline passed.
bool FutexWaitUntil(std::atomic<uint32_t>* word, uint32_t expected,
                    std::chrono::steady_clock::time_point deadline);

// Wakes up to `count` threads sleeping on `word`.
void FutexWake(std::atomic<uint32_t>* word, int count);
inline void FutexWakeAll(std::atomic<uint32_t>* word) { FutexWake(word, 0x7fffffff); }

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_PARK_H_
