// Copyright: the concurrency-harness authors.
//
// Actor ask round trip: the benchmark thread asks an actor to add one to an
// int and blocks for the reply, one request at a time (latency bound).
//   BM_AskRoundTrip<PoolActor>       Actor<State> on a PoolExecutor with
//                                    `workers` threads (actor.h)
//   BM_AskRoundTrip<OwnThreadActor>  Actor<State> on its own thread
//   BM_AskRoundTrip<Caf>             CAF 0.17: event_based actor, scheduler
//                                    with `workers` threads, scoped_actor
//                                    request(...).receive(...) (reference)
// Also BM_TellThroughput<...>: 10^4 tells followed by one ask, per iteration.
#include <cstdint>
#include <thread>

#include "benchmark/benchmark.h"
#include "harness/core/benchmark_args.h"
#include "harness/runtime/actor.h"
#include "harness/runtime/executor.h"
#include "harness/runtime/thread_pool.h"

#if HARNESS_HAVE_CAF
#include <caf/all.hpp>
#endif

namespace harness::runtime {
namespace {

constexpr int kTells = 10000;

struct Adder {
  int64_t total = 0;
  int Handle(int x) {
    total += x;
    return x + 1;
  }
};

struct PoolActor {
  explicit PoolActor(int workers) : pool(workers), ex(pool), actor(ex) {}
  int Ask(int x) { return actor.Ask(x).Get(); }
  void Tell(int x) { actor.Tell(x); }
  ThreadPool pool;
  PoolExecutor ex;
  Actor<Adder> actor;
};

struct OwnThreadActor {
  explicit OwnThreadActor(int) : actor(kOwnThread) {}
  int Ask(int x) { return actor.Ask(x).Get(); }
  void Tell(int x) { actor.Tell(x); }
  Actor<Adder> actor;
};

#if HARNESS_HAVE_CAF
caf::behavior CafAdder(caf::event_based_actor*) {
  return {[](int x) { return x + 1; }};
}

struct Caf {
  static caf::actor_system_config& Config(caf::actor_system_config& cfg, int workers) {
    cfg.set("scheduler.max-threads", static_cast<size_t>(workers));
    return cfg;
  }
  explicit Caf(int workers)
      : system(Config(cfg, workers)), actor(system.spawn(CafAdder)), self(system) {}
  ~Caf() { self->send_exit(actor, caf::exit_reason::user_shutdown); }
  int Ask(int x) {
    int out = 0;
    self->request(actor, caf::infinite, x)
        .receive([&](int r) { out = r; }, [&](caf::error&) { out = -1; });
    return out;
  }
  void Tell(int x) { self->send(actor, x); }
  caf::actor_system_config cfg;
  caf::actor_system system;
  caf::actor actor;
  caf::scoped_actor self;
};
#endif

template <typename Impl>
void BM_AskRoundTrip(benchmark::State& state) {
  Impl impl(static_cast<int>(state.range(0)));
  int x = 0;
  for (auto _ : state) {
    x = impl.Ask(x);
  }
  if (x != static_cast<int>(state.iterations())) state.SkipWithError("wrong reply");
  state.SetItemsProcessed(state.iterations());
}

template <typename Impl>
void BM_TellThroughput(benchmark::State& state) {
  Impl impl(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    for (int i = 0; i < kTells; ++i) impl.Tell(1);
    benchmark::DoNotOptimize(impl.Ask(0));
  }
  state.SetItemsProcessed(state.iterations() * kTells);
}

BENCHMARK_TEMPLATE(BM_AskRoundTrip, PoolActor)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_AskRoundTrip, OwnThreadActor)
    ->ArgName("workers")
    ->Arg(1)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_TellThroughput, PoolActor)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_TellThroughput, OwnThreadActor)
    ->ArgName("workers")
    ->Arg(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
#if HARNESS_HAVE_CAF
BENCHMARK_TEMPLATE(BM_AskRoundTrip, Caf)->Apply(WorkerCountArgs)->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_TellThroughput, Caf)->Apply(WorkerCountArgs)->Unit(benchmark::kMillisecond);
#endif

}  // namespace
}  // namespace harness::runtime
