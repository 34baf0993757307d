// Copyright: the concurrency-harness authors.
//
// SyncWait(task): starts `task` on the calling thread, blocks the thread until
// the task completes (wherever it ends up running), and returns its result or
// rethrows its exception.
//
//   int v = SyncWait(ComputeAsync(ex));
//
// Must not be called on a thread that the task needs in order to finish (for
// example the only worker of the pool it schedules onto).
//
// Memory ordering: the task's completion sets a Notification (release) that the
// caller waits on (acquire): everything the task wrote is visible after
// SyncWait returns.
#ifndef HARNESS_RUNTIME_SYNC_WAIT_H_
#define HARNESS_RUNTIME_SYNC_WAIT_H_

#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "harness/runtime/notification.h"
#include "harness/runtime/task.h"

namespace harness::runtime {
namespace sync_wait_internal {

struct Driver {
  struct promise_type {
    Notification* done = nullptr;
    std::exception_ptr error;
    Driver get_return_object() noexcept {
      return Driver{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    auto final_suspend() noexcept {
      struct Awaiter {
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<promise_type> h) noexcept {
          h.promise().done->Set();  // the frame is suspended: safe to destroy
        }
        void await_resume() const noexcept {}
      };
      return Awaiter{};
    }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
  };
  std::coroutine_handle<promise_type> handle;
};

template <typename T>
Driver Drive(Task<T> task, std::optional<T>& out) {
  out.emplace(co_await std::move(task));
}
inline Driver Drive(Task<void> task) { co_await std::move(task); }

}  // namespace sync_wait_internal

template <typename T>
T SyncWait(Task<T> task) {
  Notification done;
  if constexpr (std::is_void_v<T>) {
    auto driver = sync_wait_internal::Drive(std::move(task));
    driver.handle.promise().done = &done;
    driver.handle.resume();
    done.Wait();
    std::exception_ptr error = driver.handle.promise().error;
    driver.handle.destroy();
    if (error) std::rethrow_exception(error);
  } else {
    std::optional<T> out;
    auto driver = sync_wait_internal::Drive(std::move(task), out);
    driver.handle.promise().done = &done;
    driver.handle.resume();
    done.Wait();
    std::exception_ptr error = driver.handle.promise().error;
    driver.handle.destroy();
    if (error) std::rethrow_exception(error);
    return std::move(*out);
  }
}

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_SYNC_WAIT_H_
