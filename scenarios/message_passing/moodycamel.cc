// moodycamel::BlockingConcurrentQueue: each producer enqueues through its
// own ProducerToken (its items stay in order), then a sentinel; the consumer
// dequeues one item at a time (wait_dequeue with a ConsumerToken) until it
// has seen one sentinel per producer. The queue has no close, so the
// sentinels stand in for Rust's "last sender dropped".
#include "scenarios/message_passing/scenario.h"

// moodycamel's queue publishes slots through relaxed atomics plus standalone
// std::atomic_thread_fence, which ThreadSanitizer does not model: it reports
// false races inside the queue (upstream cameron314/concurrentqueue #49,
// #254). So the ThreadSanitizer build lists it as skipped, like oneTBB; the
// ASan build runs it.
#if defined(__SANITIZE_THREAD__)
#define MESSAGE_PASSING_UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define MESSAGE_PASSING_UNDER_TSAN 1
#endif
#endif

#if HARNESS_HAVE_MOODYCAMEL && !defined(MESSAGE_PASSING_UNDER_TSAN)
#include <blockingconcurrentqueue.h>

#include <limits>

namespace message_passing {
namespace {

constexpr uint64_t kSentinel = std::numeric_limits<uint64_t>::max();

Result RunMoodycamel(const Params& p, Input& in) {
  return WithPayload(p, [&p, &in]<typename P>() {
    moodycamel::BlockingConcurrentQueue<Msg<P>> queue;
    Recorder<P> received(in);
    {
      auto producers = StartProducers(p, [&p, &queue](int w) {
        moodycamel::ProducerToken token(queue);
        Produce<P>(p, w, [&](Msg<P>&& m) { queue.enqueue(token, std::move(m)); });
        queue.enqueue(token, Msg<P>{static_cast<uint32_t>(w), kSentinel, P{}});
      });
      moodycamel::ConsumerToken token(queue);
      Msg<P> m;
      for (int done = 0; done < p.workers;) {
        queue.wait_dequeue(token, m);
        if (m.seq == kSentinel) {
          ++done;
        } else {
          received.Take(std::move(m));
        }
      }
    }  // joins the producers
    return received.Finish();
  });
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "moodycamel",
                          "moodycamel::BlockingConcurrentQueue, one sentinel per producer",
                          RunMoodycamel);

}  // namespace message_passing
#elif HARNESS_HAVE_MOODYCAMEL
namespace message_passing {
HARNESS_REGISTER_SKIPPED(Scenario, "moodycamel",
                         "moodycamel::BlockingConcurrentQueue, one sentinel per producer",
                         "moodycamel synchronizes through standalone fences, which "
                         "ThreadSanitizer does not model (false reports); left out of the "
                         "tsan build");
}  // namespace message_passing
#else
namespace message_passing {
HARNESS_REGISTER_SKIPPED(Scenario, "moodycamel",
                         "moodycamel::BlockingConcurrentQueue, one sentinel per producer",
                         "moodycamel ConcurrentQueue headers not found at configure time");
}  // namespace message_passing
#endif
