// Copyright: the concurrency-harness authors.
//
// Task<T>: a lazy coroutine returning T (or void), awaited with co_await.
//
//   Task<int> Answer(Executor& ex) {
//     co_await ex.Schedule();           // hop onto the executor
//     co_return 42;
//   }
//   Task<int> Twice(Executor& ex) { co_return 2 * co_await Answer(ex); }
//   int v = SyncWait(Twice(ex));        // sync_wait.h
//
// Semantics:
//   - Lazy: the body does not start until the task is awaited (or handed to
//     SyncWait / WhenAll / StartDetached).
//   - Symmetric transfer: awaiting a task transfers control to it, and its
//     completion transfers control straight back to the awaiting coroutine
//     (no stack growth, no executor round trip).
//   - Exceptions escaping the body are stored and rethrown by co_await.
//   - Move-only. Destroying a task destroys its frame; destroying a task that
//     never started frees it without running any of the body (no leak).
//     A started task must not be destroyed before it completes.
//   - Each task is awaited at most once. Awaiting an empty task (moved-from
//     or default-constructed) throws std::logic_error (it dereferenced a
//     null frame: issue 10, item 5).
//
// StartDetached(ex, task): starts a Task<void> detached on `ex`; the frame frees
// itself at completion; an exception escaping it calls std::terminate.
//
// Memory ordering: the result is written by the coroutine before its final
// suspension and read by the awaiter after being resumed by it: a plain
// happens-before on the resuming thread. Hops between threads go through
// executors, which publish with release/acquire.
#ifndef HARNESS_RUNTIME_TASK_H_
#define HARNESS_RUNTIME_TASK_H_

#include <coroutine>
#include <exception>
#include <stdexcept>
#include <utility>
#include <variant>

#include "harness/runtime/executor.h"

namespace harness::runtime {

template <typename T = void>
class Task;

namespace task_internal {

struct PromiseBase {
  std::coroutine_handle<> continuation = std::noop_coroutine();

  std::suspend_always initial_suspend() noexcept { return {}; }

  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    template <typename P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      return h.promise().continuation;
    }
    void await_resume() const noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }
};

template <typename T>
struct Promise : PromiseBase {
  std::variant<std::monostate, T, std::exception_ptr> result;

  Task<T> get_return_object() noexcept;
  void unhandled_exception() noexcept { result.template emplace<2>(std::current_exception()); }
  template <typename U>
  void return_value(U&& value) {
    result.template emplace<1>(std::forward<U>(value));
  }
  T Take() {
    if (result.index() == 2) std::rethrow_exception(std::get<2>(result));
    return std::move(std::get<1>(result));
  }
};

template <>
struct Promise<void> : PromiseBase {
  std::exception_ptr error;

  Task<void> get_return_object() noexcept;
  void unhandled_exception() noexcept { error = std::current_exception(); }
  void return_void() noexcept {}
  void Take() {
    if (error) std::rethrow_exception(error);
  }
};

}  // namespace task_internal

template <typename T>
class [[nodiscard]] Task {
 public:
  using promise_type = task_internal::Promise<T>;
  using Handle = std::coroutine_handle<promise_type>;
  using value_type = T;

  Task() = default;
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() {
    if (handle_) handle_.destroy();
  }

  bool valid() const { return static_cast<bool>(handle_); }

  auto operator co_await() && noexcept {
    struct Awaiter {
      Handle handle;
      bool await_ready() const noexcept { return !handle || handle.done(); }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
        handle.promise().continuation = awaiting;
        return handle;  // symmetric transfer into the task
      }
      T await_resume() {
        if (!handle) [[unlikely]] {
          throw std::logic_error("co_await on an empty Task (moved-from or default)");
        }
        return handle.promise().Take();
      }
    };
    return Awaiter{handle_};
  }

  // Releases ownership of the frame (used by StartDetached and the combinators).
  Handle Release() { return std::exchange(handle_, {}); }

 private:
  friend struct task_internal::Promise<T>;
  explicit Task(Handle h) : handle_(h) {}
  Handle handle_;
};

namespace task_internal {

template <typename T>
Task<T> Promise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}
inline Task<void> Promise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}

// A self-destroying coroutine that runs one Task<void> to completion.
struct Detached {
  struct promise_type {
    Detached get_return_object() noexcept {
      return Detached{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
};

inline Detached RunDetached(Task<void> task) { co_await std::move(task); }

}  // namespace task_internal

// Starts `task` on `ex`, detached.
inline void StartDetached(Executor& ex, Task<void> task) {
  ex.Resume(task_internal::RunDetached(std::move(task)).handle);
}

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_TASK_H_
