// Copyright: the concurrency-harness authors.
//
// The runtime's CPU-affinity calls (Linux; elsewhere every CPU is
// allowed and pinning does nothing). harness/core/affinity.h builds the
// harness's CPU lists and placement on AllowedCpus().
#ifndef HARNESS_RUNTIME_AFFINITY_H_
#define HARNESS_RUNTIME_AFFINITY_H_

#include <vector>

namespace harness::runtime {

// The CPUs the calling thread may run on, ascending (sched_getaffinity, not
// hardware_concurrency, which ignores the mask); empty where that cannot be
// read.
std::vector<int> AllowedCpus();

// Pins the calling thread to `cpu`, best effort: a failure leaves it where
// it may run now.
void PinCallingThread(int cpu);

// Lets the calling thread run on `cpus` (as AllowedCpus() returned them),
// best effort.
void SetCallingThreadCpus(const std::vector<int>& cpus);

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_AFFINITY_H_
