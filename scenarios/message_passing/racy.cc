// Seeded race (control for the ThreadSanitizer check, never benchmarked): a
// queue whose push and pop skip the lock. Producers claim a slot with a plain
// read-increment of `tail` and write the message into it; the consumer reads
// `tail` and the slots with plain loads while they are being written. TSan
// must report it (and messages can be lost or torn).
#include <atomic>
#include <memory>
#include <vector>

#include "scenarios/message_passing/scenario.h"

namespace message_passing {
namespace {

// A fixed ring big enough for every message (no wrap-around, so the
// control always terminates, whatever the race does).
struct UnlockedQueue {
  explicit UnlockedQueue(int64_t capacity) : slots(capacity + 1) {}
  std::vector<Msg<uint64_t>> slots;
  int64_t tail = 0;  // should be guarded by a lock; is not
};

Result RunRacy(const Params& p, Input& in) {
  UnlockedQueue q(p.messages);
  std::atomic<int> done{0};
  Recorder<uint64_t> received(in);
  {
    auto producers = StartProducers(p, [&p, &q, &done](int w) {
      Produce<uint64_t>(p, w, [&q](Msg<uint64_t>&& m) {
        const int64_t i = q.tail;  // the race: unlocked push
        q.tail = i + 1;
        q.slots[i] = m;
      });
      done.fetch_add(1, std::memory_order_release);
    });
    int64_t head = 0;
    for (;;) {
      const bool finished = done.load(std::memory_order_acquire) == p.workers;
      const int64_t tail = q.tail;  // the race: unlocked pop
      while (head < tail) received.Take(std::move(q.slots[head++]));
      if (finished) break;
    }
  }
  return received.Finish();
}

}  // namespace

HARNESS_REGISTER_CONTROL(Scenario, "racy", "a queue whose push and pop skip the lock", RunRacy);

}  // namespace message_passing
