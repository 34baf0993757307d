// Copyright: the concurrency-harness authors.
//
// Runs a ChannelProgram (channel_program.h) on a real channel, one OS thread
// per program thread, and returns the recorded history (history.h) for the
// checker (checker.h, model: channel_model.h).
//
//   History<ChannelCall, ChannelRet> h =
//       RunMpsc<runtime::Channel<int>>(program, /*capacity=*/1);
//   CheckResult r = Check(ChannelModel::Mpsc(1, program.producers()), h);
//
//   RunMpsc<C>(program, capacity)       C is a BasicChannel<T, Core>
//       (Channel, MutexChannel, or a control core); capacity 0 = unbounded.
//       T is int, or YieldingMoveInt (below) to widen the windows in which
//       a value is being moved into or out of the channel.
//       Each producer sends through its own copy of the Sender (the
//       original is dropped before the threads start) and ends by dropping
//       it; the receiver ends by dropping the Receiver.
//   RunAsync(program, capacity, ex)     AsyncChannel<int> on executor `ex`
//       (nullptr: resumed inline). Each thread runs its script as a
//       coroutine driven by SyncWait; the last producer to finish and the
//       last consumer to finish each Close() the channel.
//
// Every thread waits at a start line, so the scripts overlap; between calls
// a thread pauses at random (nothing, a yield, or a short spin; seeded by
// program.jitter_seed) to vary the interleavings. The invocation stamp is
// taken right before the real call and the response stamp right after it,
// so each recorded interval contains the real operation.
//
// Memory ordering: the start line is a release store / acquire loads; the
// count of threads still running per group (AsyncChannel) is acq_rel, so
// the thread that closes has seen the others finish their scripts. The
// recorder's own ordering is described in history.h; the channel under test
// provides the ordering between a send and the receive of its value.
#ifndef HARNESS_LINCHECK_CHANNEL_DRIVER_H_
#define HARNESS_LINCHECK_CHANNEL_DRIVER_H_

#include <atomic>
#include <cassert>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "harness/lincheck/channel_model.h"
#include "harness/lincheck/channel_program.h"
#include "harness/lincheck/history.h"
#include "harness/runtime/async_channel.h"
#include "harness/runtime/channel.h"
#include "harness/runtime/channel_status.h"
#include "harness/runtime/executor.h"
#include "harness/runtime/spinlock.h"
#include "harness/runtime/sync_wait.h"
#include "harness/runtime/task.h"
#include "harness/runtime/xorshift.h"

namespace harness::lincheck {

using ChannelHistory = History<ChannelCall, ChannelRet>;
using ChannelRecorder = Recorder<ChannelCall, ChannelRet>;

// An int whose move constructor yields half of the time. In FastChannelCore
// the move into the channel is the write into a slot that the sender has
// claimed but not yet published, so this value type makes a sender stop in
// that window often (other cores: inside the lock, where it is harmless).
struct YieldingMoveInt {
  int v = 0;
  YieldingMoveInt(int value) : v(value) {}  // NOLINT: implicit on purpose
  YieldingMoveInt(YieldingMoveInt&& o) noexcept : v(o.v) { MaybeYield(); }
  YieldingMoveInt& operator=(YieldingMoveInt&& o) noexcept {
    v = o.v;
    return *this;
  }
  explicit operator int() const { return v; }

 private:
  static void MaybeYield() {
    thread_local uint64_t state = 0x9E3779B97F4A7C15ull ^ reinterpret_cast<uintptr_t>(&state);
    if (runtime::XorShift64(state) & 1) std::this_thread::yield();
  }
};

namespace driver_internal {

template <typename C>
struct ValueOf;
template <typename T, typename Core>
struct ValueOf<runtime::BasicChannel<T, Core>> {
  using type = T;
};

// A random pause between two calls of one thread.
class Jitter {
 public:
  Jitter(uint64_t seed, int thread)
      : state_((seed ^ (0x9E3779B97F4A7C15ull * static_cast<uint64_t>(thread + 1))) | 1) {}
  void Pause() {
    switch (runtime::XorShift64(state_) & 3) {
      case 0:
      case 1:
        break;
      case 2:
        std::this_thread::yield();
        break;
      case 3:
        for (uint64_t i = (state_ >> 8) % 512; i > 0; --i) runtime::CpuRelax();
        break;
    }
  }

 private:
  uint64_t state_;
};

class StartLine {
 public:
  void Open() { go_.store(true, std::memory_order_release); }
  // Spins briefly, then yields: the threads start close together without
  // starving the thread that is still creating the others.
  void Wait() const {
    for (int spin = 0; !go_.load(std::memory_order_acquire); ++spin) {
      if (spin < 64) {
        runtime::CpuRelax();
      } else {
        std::this_thread::yield();
      }
    }
  }

 private:
  std::atomic<bool> go_{false};
};

}  // namespace driver_internal

// The recorded result of a receive that returned `s` (and `value` if kOk).
inline ChannelRet RetFromStatus(runtime::RecvStatus s, const std::optional<int>& value) {
  switch (s) {
    case runtime::RecvStatus::kOk:
      return {ChannelRetKind::kValue, *value};
    case runtime::RecvStatus::kEmpty:
      return {ChannelRetKind::kEmpty, 0};
    case runtime::RecvStatus::kTimeout:
      return {ChannelRetKind::kTimeout, 0};
    case runtime::RecvStatus::kClosed:
      return {ChannelRetKind::kClosed, 0};
  }
  return {ChannelRetKind::kClosed, 0};
}

template <typename ChannelT>
ChannelHistory RunMpsc(const ChannelProgram& program, size_t capacity) {
  using Sender = typename ChannelT::Sender;
  using Receiver = typename ChannelT::Receiver;
  using T = typename driver_internal::ValueOf<ChannelT>::type;
  auto as_int = [](const auto& v) { return static_cast<int>(v); };
  assert(program.flavour == ChannelFlavour::kMpsc && program.consumers() == 1);
  auto channel = capacity == 0 ? ChannelT::Unbounded() : ChannelT::Bounded(capacity);
  std::optional<Sender> original(std::move(channel.first));
  std::optional<Receiver> receiver(std::move(channel.second));
  std::vector<std::optional<Sender>> senders(program.threads.size());
  for (size_t i = 0; i < program.threads.size(); ++i) {
    if (program.threads[i].producer) senders[i].emplace(*original);
  }
  original.reset();

  const int n = static_cast<int>(program.threads.size());
  ChannelRecorder rec(n);
  driver_internal::StartLine start;
  std::vector<std::thread> threads;
  for (int t = 0; t < n; ++t) {
    threads.emplace_back([&, t] {
      const ThreadScript& script = program.threads[t];
      driver_internal::Jitter jitter(program.jitter_seed, t);
      start.Wait();
      if (script.producer) {
        std::optional<Sender>& tx = senders[t];
        for (const ChannelCall& call : script.ops) {
          jitter.Pause();
          auto token = rec.Invoke(t, call);
          auto r = tx->Send(T(call.value));
          rec.Respond(token, r.ok() ? ChannelRet{ChannelRetKind::kDone, 0}
                                    : ChannelRet{ChannelRetKind::kSendFailed, as_int(r.value())});
        }
        jitter.Pause();
        auto token = rec.Invoke(t, {ChannelCallKind::kDropSender, 0});
        tx.reset();
        rec.Respond(token, {ChannelRetKind::kDone, 0});
      } else {
        for (const ChannelCall& call : script.ops) {
          jitter.Pause();
          auto token = rec.Invoke(t, call);
          ChannelRet ret;
          switch (call.kind) {
            case ChannelCallKind::kRecv: {
              std::optional<T> v = receiver->Recv();
              ret = v ? ChannelRet{ChannelRetKind::kValue, as_int(*v)}
                      : ChannelRet{ChannelRetKind::kClosed, 0};
              break;
            }
            case ChannelCallKind::kTryRecv: {
              auto r = receiver->TryRecv();
              ret =
                  RetFromStatus(r.status(), r.ok() ? std::optional<int>(as_int(*r)) : std::nullopt);
              break;
            }
            case ChannelCallKind::kRecvFor: {
              auto r = receiver->RecvFor(std::chrono::microseconds(call.value));
              ret =
                  RetFromStatus(r.status(), r.ok() ? std::optional<int>(as_int(*r)) : std::nullopt);
              break;
            }
            default:
              assert(false && "not a receiver call");
          }
          rec.Respond(token, ret);
        }
        jitter.Pause();
        auto token = rec.Invoke(t, {ChannelCallKind::kDropReceiver, 0});
        receiver.reset();
        rec.Respond(token, {ChannelRetKind::kDone, 0});
      }
    });
  }
  start.Open();
  for (std::thread& th : threads) th.join();
  return rec.Take();
}

namespace driver_internal {

struct AsyncRun {
  runtime::AsyncChannel<int>* ch;
  ChannelRecorder* rec;
  std::atomic<int> producers_left;
  std::atomic<int> consumers_left;
};

inline runtime::Task<void> AsyncThread(AsyncRun& run, const ChannelProgram& program, int t) {
  const ThreadScript& script = program.threads[t];
  Jitter jitter(program.jitter_seed, t);
  for (const ChannelCall& call : script.ops) {
    jitter.Pause();
    auto token = run.rec->Invoke(t, call);
    ChannelRet ret;
    switch (call.kind) {
      case ChannelCallKind::kSend: {
        const bool ok = co_await run.ch->Send(call.value);
        ret = ok ? ChannelRet{ChannelRetKind::kDone, 0}
                 : ChannelRet{ChannelRetKind::kSendFailed, call.value};
        break;
      }
      case ChannelCallKind::kRecv: {
        std::optional<int> v = co_await run.ch->Recv();
        ret = v ? ChannelRet{ChannelRetKind::kValue, *v} : ChannelRet{ChannelRetKind::kClosed, 0};
        break;
      }
      case ChannelCallKind::kClose:
        run.ch->Close();
        ret = {ChannelRetKind::kDone, 0};
        break;
      default:
        assert(false && "AsyncChannel has no such call");
    }
    run.rec->Respond(token, ret);
  }
  std::atomic<int>& left = script.producer ? run.producers_left : run.consumers_left;
  if (left.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    jitter.Pause();
    auto token = run.rec->Invoke(t, {ChannelCallKind::kClose, 0});
    run.ch->Close();
    run.rec->Respond(token, {ChannelRetKind::kDone, 0});
  }
}

}  // namespace driver_internal

inline ChannelHistory RunAsync(const ChannelProgram& program, size_t capacity,
                               runtime::Executor* ex) {
  assert(program.flavour == ChannelFlavour::kExplicit);
  runtime::AsyncChannel<int> ch(ex, capacity);
  const int n = static_cast<int>(program.threads.size());
  ChannelRecorder rec(n);
  driver_internal::AsyncRun run{&ch, &rec, {program.producers()}, {program.consumers()}};
  driver_internal::StartLine start;
  std::vector<std::thread> threads;
  for (int t = 0; t < n; ++t) {
    threads.emplace_back([&, t] {
      start.Wait();
      runtime::SyncWait(driver_internal::AsyncThread(run, program, t));
    });
  }
  start.Open();
  for (std::thread& th : threads) th.join();
  return rec.Take();
}

}  // namespace harness::lincheck

#endif  // HARNESS_LINCHECK_CHANNEL_DRIVER_H_
