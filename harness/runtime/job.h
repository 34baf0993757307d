// Copyright: the concurrency-harness authors.
//
// JobRef: the runtime's unit of work, a plain function pointer plus an
// argument (two words, no allocation, no virtual call). Queues of the thread
// pool and executors hold JobRefs; whoever owns `data` decides its lifetime
// (a heap job deletes itself when run, a stack job lives in a frame that waits
// for it, a coroutine job is the coroutine frame).
//
// Memory ordering: none by itself; the queue that carries a JobRef publishes
// it with release/acquire, so the job sees everything its submitter wrote
// before submitting it.
#ifndef HARNESS_RUNTIME_JOB_H_
#define HARNESS_RUNTIME_JOB_H_

#include <coroutine>

#include "harness/runtime/injection.h"

namespace harness::runtime {

struct JobRef {
  void (*execute)(void* data) noexcept = nullptr;
  void* data = nullptr;

  void Run() const noexcept { execute(data); }

  // A job that resumes a suspended coroutine.
  static JobRef Resume(std::coroutine_handle<> h) noexcept {
    return JobRef{&ResumeHandle, h.address()};
  }

 private:
  static void ResumeHandle(void* address) noexcept {
    inject::At(inject::Point::kTaskResume);
    std::coroutine_handle<>::from_address(address).resume();
  }
};

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_JOB_H_
