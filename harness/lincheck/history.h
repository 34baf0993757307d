// Copyright: the concurrency-harness authors.
//
// Concurrent histories for linearizability checking (checker.h), and the
// recorder that driver threads use to build one.
//
//   Recorder<MyCall, MyRet> rec(/*threads=*/3);
//   // on thread t:
//   auto token = rec.Invoke(t, call);       // stamps the invocation
//   MyRet r = RunTheRealOperation(call);
//   rec.Respond(token, r);                  // stamps the response
//   // after joining every thread:
//   History<MyCall, MyRet> h = rec.Take();
//
// An Operation is one completed call of one thread on one object: what was
// called (`call`), what it returned (`ret`), and the invocation and response
// times. Times come from one shared logical clock (an atomic counter), so
// operation A precedes B in real time iff A.response < B.invoke; operations
// whose intervals overlap are concurrent and may linearize in either order.
// The clock is cheaper and finer than steady_clock and never ties.
//
// `object` names the object an operation acts on; operations on different
// objects are checked separately (Herlihy–Wing locality, see checker.h).
//
// Only complete histories are supported: every invoked operation has a
// response (the drivers are written so that every blocking call returns).
//
// Memory ordering: the clock is one sequentially consistent fetch_add per
// stamp, so stamps are totally ordered consistently with each thread's
// program order and with real time. Each thread appends only to its own log;
// Take() must run after every recording thread has been joined (thread join
// orders the logs' writes before it).
#ifndef HARNESS_LINCHECK_HISTORY_H_
#define HARNESS_LINCHECK_HISTORY_H_

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace harness::lincheck {

template <typename Call, typename Ret>
struct Operation {
  int thread = 0;  // the recording thread (logical thread of the program)
  int object = 0;  // which object it acted on (locality partition)
  Call call{};
  Ret ret{};
  uint64_t invoke = 0;    // logical time of the invocation
  uint64_t response = 0;  // logical time of the response; > invoke
};

// A history: completed operations in no particular order.
template <typename Call, typename Ret>
using History = std::vector<Operation<Call, Ret>>;

// Records one history. Invoke/Respond may be called concurrently for
// different threads; each thread id is used by one thread at a time.
template <typename Call, typename Ret>
class Recorder {
 public:
  using Op = Operation<Call, Ret>;
  struct Token {
    int thread;
    size_t index;
  };

  explicit Recorder(int threads) : logs_(threads) {}
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Stamps the invocation of `call` by `thread` on `object`. Call right
  // before the real operation starts.
  Token Invoke(int thread, Call call, int object = 0) {
    assert(thread >= 0 && static_cast<size_t>(thread) < logs_.size());
    std::vector<Op>& log = logs_[thread];
    Op op;
    op.thread = thread;
    op.object = object;
    op.call = std::move(call);
    op.invoke = clock_.fetch_add(1, std::memory_order_seq_cst);
    log.push_back(std::move(op));
    return Token{thread, log.size() - 1};
  }

  // Stamps the response of the operation `token` names. Call right after the
  // real operation returned.
  void Respond(Token token, Ret ret) {
    const uint64_t now = clock_.fetch_add(1, std::memory_order_seq_cst);
    Op& op = logs_[token.thread][token.index];
    op.ret = std::move(ret);
    op.response = now;
  }

  // The recorded history, ordered by invocation. Requires every recording
  // thread to have been joined and every operation to have responded.
  History<Call, Ret> Take() {
    History<Call, Ret> out;
    for (std::vector<Op>& log : logs_) {
      for (Op& op : log) {
        assert(op.response > op.invoke && "operation without a response");
        out.push_back(std::move(op));
      }
      log.clear();
    }
    std::sort(out.begin(), out.end(), [](const Op& a, const Op& b) { return a.invoke < b.invoke; });
    return out;
  }

 private:
  std::atomic<uint64_t> clock_{1};
  std::vector<std::vector<Op>> logs_;
};

}  // namespace harness::lincheck

#endif  // HARNESS_LINCHECK_HISTORY_H_
