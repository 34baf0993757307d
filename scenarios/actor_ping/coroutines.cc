// Coroutine actors: each actor is a Task<void> looping on
// `co_await mailbox.Recv()` over an AsyncChannel (harness/runtime/
// async_channel.h); each client is a coroutine that sends a request and
// suspends on `co_await replies.Recv()` of its own reply channel. Actors and
// clients all run on a PoolExecutor over a ThreadPool of `workers` threads
// (started untimed): nothing blocks a thread, a waiting actor or client is a
// suspended coroutine. The last client to finish closes the mailboxes, and
// each actor stores its count as it exits.
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/runtime/async_channel.h"
#include "harness/runtime/executor.h"
#include "harness/runtime/sync_wait.h"
#include "harness/runtime/task.h"
#include "harness/runtime/thread_pool.h"
#include "harness/runtime/when_all.h"
#include "scenarios/actor_ping/scenario.h"

namespace actor_ping {
namespace {

using harness::runtime::AsyncChannel;
using harness::runtime::Task;

struct Request {
  std::string text;
  AsyncChannel<std::string>* reply_to;
};

class CoroutinesStrategy {
 public:
  explicit CoroutinesStrategy(const Params& p) : pool_(p.workers), ex_(pool_) {}

  Result Run(const Params& p, Input& in) {
    Result r{&in, {}};
    r.actor_counts.assign(p.actors, 0);
    std::vector<std::unique_ptr<AsyncChannel<Request>>> mailboxes;
    for (int64_t a = 0; a < p.actors; ++a) {
      mailboxes.push_back(std::make_unique<AsyncChannel<Request>>(&ex_));
    }
    std::vector<std::unique_ptr<AsyncChannel<std::string>>> replies;
    for (int c = 0; c < p.clients; ++c) {
      replies.push_back(std::make_unique<AsyncChannel<std::string>>(&ex_));
    }
    std::atomic<int> clients_left{p.clients};
    std::vector<Task<void>> tasks;
    for (int64_t a = 0; a < p.actors; ++a) {
      tasks.push_back(ActorLoop(*mailboxes[a], &r.actor_counts[a]));
    }
    for (int c = 0; c < p.clients; ++c) {
      tasks.push_back(Client(p, c, mailboxes, *replies[c], in.clients[c], clients_left));
    }
    // WhenAll's acq_rel countdown publishes every task's writes to `r`.
    harness::runtime::SyncWait(harness::runtime::WhenAll(std::move(tasks)));
    return r;
  }

 private:
  Task<void> ActorLoop(AsyncChannel<Request>& mailbox, int64_t* count) {
    co_await ex_.Schedule();
    int64_t handled = 0;  // the actor's private state, in its frame
    while (std::optional<Request> req = co_await mailbox.Recv()) {
      ++handled;
      co_await req->reply_to->Send(Answer(req->text));  // unbounded: never suspends
    }
    *count = handled;
  }

  Task<void> Client(const Params& p, int c,
                    const std::vector<std::unique_ptr<AsyncChannel<Request>>>& mailboxes,
                    AsyncChannel<std::string>& replies, ClientLog& log,
                    std::atomic<int>& clients_left) {
    co_await ex_.Schedule();
    const int64_t n = RequestsOf(p, c);
    for (int64_t j = 0; j < n; ++j) {
      // As RunClient: one round trip in kSampleEvery timed, replies logged.
      const bool sampled = j % kSampleEvery == 0;
      const int64_t start = sampled ? NowNs() : 0;
      co_await mailboxes[ActorOf(p, c, j)]->Send(Request{RequestText(c, j), &replies});
      std::optional<std::string> reply = co_await replies.Recv();
      if (sampled) log.sample_ns.push_back(NowNs() - start);
      log.replies.push_back(reply ? std::move(*reply) : std::string("<closed>"));
    }
    // Every request of this client was answered; the last client closes the
    // mailboxes (all empty by then), which ends the actor loops.
    if (clients_left.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      for (const auto& m : mailboxes) m->Close();
    }
  }

  harness::runtime::ThreadPool pool_;
  harness::runtime::PoolExecutor ex_;
};

}  // namespace

HARNESS_REGISTER_STRATEGY(Scenario, "coroutines",
                          "coroutine actors awaiting AsyncChannel mailboxes; clients are "
                          "coroutines too, all on the pool",
                          CoroutinesStrategy);

}  // namespace actor_ping
