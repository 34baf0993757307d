// Copyright: the concurrency-harness authors.
//
// WhenAll: awaits several tasks concurrently.
//
//   std::vector<Task<int>> tasks = ...;
//   std::vector<int> values = co_await WhenAll(std::move(tasks));
//   auto [a, b] = co_await WhenAll(TaskA(), TaskB());   // std::tuple
//
// All children are started (in order) on the awaiting thread; each runs until
// its first suspension (typically `co_await ex.Schedule()`, which is how they
// come to run in parallel). The awaiting coroutine resumes on the thread that
// completes the last child. Results keep the children's order; a void child
// contributes std::monostate to the tuple form, and WhenAll over
// std::vector<Task<void>> returns Task<void>. If children threw, the first
// exception (in child order) is rethrown after all children completed.
//
// Memory ordering: each child's completion decrements a counter with acq_rel;
// the child that brings it to zero resumes the awaiter, which therefore sees
// every child's result.
#ifndef HARNESS_RUNTIME_WHEN_ALL_H_
#define HARNESS_RUNTIME_WHEN_ALL_H_

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "harness/runtime/task.h"

namespace harness::runtime {
namespace when_all_internal {

struct Counter {
  std::atomic<size_t> remaining{0};
  std::coroutine_handle<> awaiter;
  // True for the last arrival.
  bool Arrive() { return remaining.fetch_sub(1, std::memory_order_acq_rel) == 1; }
};

// Wraps one child; reports completion to the Counter.
class Child {
 public:
  struct promise_type {
    Counter* counter = nullptr;
    std::exception_ptr error;
    Child get_return_object() noexcept {
      return Child(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    auto final_suspend() noexcept {
      struct Awaiter {
        bool await_ready() const noexcept { return false; }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
          Counter* c = h.promise().counter;
          return c->Arrive() ? c->awaiter : std::noop_coroutine();
        }
        void await_resume() const noexcept {}
      };
      return Awaiter{};
    }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
  };

  Child(Child&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  Child& operator=(Child&&) = delete;
  ~Child() {
    if (h_) h_.destroy();
  }
  void Start(Counter* c) {
    h_.promise().counter = c;
    h_.resume();
  }
  std::exception_ptr error() const { return h_.promise().error; }

 private:
  explicit Child(std::coroutine_handle<promise_type> h) : h_(h) {}
  std::coroutine_handle<promise_type> h_;
};

template <typename T>
using Stored = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <typename T>
Child MakeChild(Task<T> task, std::optional<Stored<T>>& out) {
  if constexpr (std::is_void_v<T>) {
    co_await std::move(task);
    out.emplace();
  } else {
    out.emplace(co_await std::move(task));
  }
}

// Starts every child and suspends until the last one completes.
struct StartAll {
  std::vector<Child>* children;
  Counter* counter;
  bool await_ready() const noexcept { return children->empty(); }
  bool await_suspend(std::coroutine_handle<> h) {
    counter->awaiter = h;
    counter->remaining.store(children->size() + 1, std::memory_order_relaxed);
    for (Child& c : *children) c.Start(counter);
    return !counter->Arrive();  // last arrival: continue without suspending
  }
  void await_resume() const noexcept {}
};

inline void RethrowFirst(const std::vector<Child>& children) {
  for (const Child& c : children) {
    if (c.error()) std::rethrow_exception(c.error());
  }
}

template <typename T>
Task<std::conditional_t<std::is_void_v<T>, void, std::vector<T>>> WhenAllVector(
    std::vector<Task<T>> tasks) {
  std::vector<std::optional<Stored<T>>> results(tasks.size());
  std::vector<Child> children;
  children.reserve(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    children.push_back(MakeChild(std::move(tasks[i]), results[i]));
  }
  Counter counter;
  co_await StartAll{&children, &counter};
  RethrowFirst(children);
  if constexpr (!std::is_void_v<T>) {
    std::vector<T> out;
    out.reserve(results.size());
    for (auto& r : results) out.push_back(std::move(*r));
    co_return out;
  }
}

template <typename... Ts>
Task<std::tuple<Stored<Ts>...>> WhenAllTuple(Task<Ts>... tasks) {
  std::tuple<std::optional<Stored<Ts>>...> results;
  std::vector<Child> children;
  children.reserve(sizeof...(Ts));
  [&]<size_t... I>(std::index_sequence<I...>) {
    (children.push_back(MakeChild(std::move(tasks), std::get<I>(results))), ...);
  }(std::index_sequence_for<Ts...>{});
  Counter counter;
  co_await StartAll{&children, &counter};
  RethrowFirst(children);
  co_return std::apply([](auto&... r) { return std::tuple<Stored<Ts>...>(std::move(*r)...); },
                       results);
}

}  // namespace when_all_internal

template <typename T>
auto WhenAll(std::vector<Task<T>> tasks) {
  return when_all_internal::WhenAllVector<T>(std::move(tasks));
}

template <typename... Ts>
auto WhenAll(Task<Ts>... tasks) {
  return when_all_internal::WhenAllTuple<Ts...>(std::move(tasks)...);
}

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_WHEN_ALL_H_
