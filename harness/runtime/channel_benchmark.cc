// Copyright: the concurrency-harness authors.
//
// Channel throughput: `producers` threads send N messages in total (split
// evenly) to one receiver (the benchmark thread), which receives all of them.
// Implementations, one benchmark body (Abseil mutex_benchmark style):
//   fast       Channel<T>            (channel_fast.h)
//   mutex      MutexChannel<T>       (channel_mutex.h), the plain baseline
//   moodycamel moodycamel::BlockingConcurrentQueue<T> (reference; unbounded
//              only: it has no blocking bounded mode)
// Payloads: u64 and std::string (short, from std::to_string: no allocation).
// capacity:0 is unbounded; capacity:1024 is bounded with back-pressure.
// Names: BM_Channel<impl, payload>/producers:<p>/capacity:<c>/real_time;
// the figure of merit is items_per_second.
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"
#include "harness/runtime/channel.h"

#if HARNESS_HAVE_MOODYCAMEL
#if __has_include(<concurrentqueue/moodycamel/blockingconcurrentqueue.h>)
#include <concurrentqueue/moodycamel/blockingconcurrentqueue.h>
#else
#include <concurrentqueue/blockingconcurrentqueue.h>
#endif
#endif

namespace harness::runtime {
namespace {

constexpr int64_t kMessages = 1 << 17;

template <typename T>
T MakePayload(int64_t i) {
  if constexpr (std::is_same_v<T, std::string>) {
    return std::to_string(i);
  } else {
    return static_cast<T>(i);
  }
}

template <template <typename> class Family>
struct RuntimeChannel {
  template <typename T>
  struct Impl {
    static constexpr bool kSupportsBounded = true;
    typename Family<T>::Sender tx;
    typename Family<T>::Receiver rx;
    static Impl Make(size_t capacity) {
      auto [tx, rx] = capacity == 0 ? Family<T>::Unbounded() : Family<T>::Bounded(capacity);
      return Impl{std::move(tx), std::move(rx)};
    }
    typename Family<T>::Sender Producer() { return tx; }
    void Send(typename Family<T>::Sender& s, T v) { s.Send(std::move(v)); }
    T Recv() { return *rx.Recv(); }
  };
};

template <typename T>
using FastChannel = RuntimeChannel<Channel>::Impl<T>;
template <typename T>
using MutexChannelImpl = RuntimeChannel<MutexChannel>::Impl<T>;

#if HARNESS_HAVE_MOODYCAMEL
template <typename T>
struct Moodycamel {
  static constexpr bool kSupportsBounded = false;
  moodycamel::BlockingConcurrentQueue<T> q;
  static std::unique_ptr<Moodycamel> MakePtr(size_t) { return std::make_unique<Moodycamel>(); }
  struct ProducerHandle {
    moodycamel::ProducerToken token;
  };
  ProducerHandle Producer() { return ProducerHandle{moodycamel::ProducerToken(q)}; }
  void Send(ProducerHandle& p, T v) { q.enqueue(p.token, std::move(v)); }
  T Recv() {
    T v;
    q.wait_dequeue(v);
    return v;
  }
};
#endif

template <typename Impl>
std::unique_ptr<Impl> MakeImpl(size_t capacity) {
  if constexpr (requires { Impl::MakePtr(capacity); }) {
    return Impl::MakePtr(capacity);
  } else {
    return std::make_unique<Impl>(Impl::Make(capacity));
  }
}

template <template <typename> class ImplT, typename T>
void BM_Channel(benchmark::State& state) {
  using Impl = ImplT<T>;
  const int producers = static_cast<int>(state.range(0));
  const size_t capacity = static_cast<size_t>(state.range(1));
  if (capacity != 0 && !Impl::kSupportsBounded) {
    state.SkipWithError("no bounded mode");
    return;
  }
  const int64_t per_producer = kMessages / producers;
  uint64_t checksum = 0;
  for (auto _ : state) {
    auto impl = MakeImpl<Impl>(capacity);
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p) {
      threads.emplace_back([&impl, per_producer, h = impl->Producer()]() mutable {
        for (int64_t i = 0; i < per_producer; ++i) impl->Send(h, MakePayload<T>(i));
      });
    }
    for (int64_t i = 0; i < per_producer * producers; ++i) {
      T v = impl->Recv();
      if constexpr (std::is_same_v<T, std::string>) {
        checksum += v.size();
      } else {
        checksum += v;
      }
    }
    for (auto& t : threads) t.join();
  }
  benchmark::DoNotOptimize(checksum);
  state.SetItemsProcessed(state.iterations() * per_producer * producers);
}

void Args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"producers", "capacity"});
  for (int p : {1, 2}) {
    for (int c : {0, 1024}) b->Args({p, c});
  }
  b->UseRealTime()->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
}

void UnboundedArgs(benchmark::internal::Benchmark* b) {
  b->ArgNames({"producers", "capacity"});
  for (int p : {1, 2}) b->Args({p, 0});
  b->UseRealTime()->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK_TEMPLATE(BM_Channel, FastChannel, uint64_t)->Apply(Args);
BENCHMARK_TEMPLATE(BM_Channel, MutexChannelImpl, uint64_t)->Apply(Args);
BENCHMARK_TEMPLATE(BM_Channel, FastChannel, std::string)->Apply(Args);
BENCHMARK_TEMPLATE(BM_Channel, MutexChannelImpl, std::string)->Apply(Args);
#if HARNESS_HAVE_MOODYCAMEL
BENCHMARK_TEMPLATE(BM_Channel, Moodycamel, uint64_t)->Apply(UnboundedArgs);
BENCHMARK_TEMPLATE(BM_Channel, Moodycamel, std::string)->Apply(UnboundedArgs);
#endif

}  // namespace
}  // namespace harness::runtime
