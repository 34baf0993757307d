// Latency probes over the fast channel: producers stream their messages as in
// `channels`, but every kPingEvery-th message of a producer is a ping: the
// producer waits for the consumer's pong (on a reply channel of its own)
// before it sends anything else. The round trip of each ping (send, queue
// behind the messages already in flight, receive, reply, wake) is measured
// and reported as latency_p50_us / latency_p99_us. Throughput is below
// `channels` by the cost of the waits; the point is the latency under load.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include "harness/runtime/channel.h"
#include "scenarios/message_passing/scenario.h"

namespace message_passing {
namespace {

using harness::runtime::Channel;
using Clock = std::chrono::steady_clock;

constexpr uint64_t kPingEvery = 256;

bool IsPing(uint64_t seq) { return seq % kPingEvery == kPingEvery - 1; }

// The q-quantile (nearest rank) of `v`, which it reorders.
double Quantile(std::vector<double>& v, double q) {
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
  rank = std::clamp<size_t>(rank, 1, v.size()) - 1;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(rank), v.end());
  return v[rank];
}

Result RunChannelsPingPong(const Params& p, Input& in) {
  return WithPayload(p, [&p, &in]<typename P>() {
    auto [tx, rx] = Channel<Msg<P>>::Unbounded();
    std::vector<Channel<uint64_t>::Sender> pong_tx;
    std::vector<Channel<uint64_t>::Receiver> pong_rx;
    for (int w = 0; w < p.workers; ++w) {
      auto [ptx, prx] = Channel<uint64_t>::Unbounded();
      pong_tx.push_back(std::move(ptx));
      pong_rx.push_back(std::move(prx));
    }
    std::vector<std::vector<double>> rtt_us(p.workers);  // per producer
    for (int w = 0; w < p.workers; ++w) {
      rtt_us[w].reserve(harness::runtime::ShareOf(p.messages, p.workers, w) / kPingEvery + 1);
    }
    Recorder<P> received(in);
    {
      auto producers = StartProducers(p, [&p, &pong_rx, &rtt_us, tx](int w) mutable {
        auto sender = std::move(tx);
        auto& pong = pong_rx[w];
        Produce<P>(p, w, [&](Msg<P>&& m) {
          if (!IsPing(m.seq)) {
            sender.Send(std::move(m));
            return;
          }
          const Clock::time_point start = Clock::now();
          sender.Send(std::move(m));
          pong.Recv();
          rtt_us[w].push_back(
              std::chrono::duration<double, std::micro>(Clock::now() - start).count());
        });
      });
      tx.Close();
      while (auto m = rx.Recv()) {
        const uint32_t producer = m->producer;
        const uint64_t seq = m->seq;
        received.Take(std::move(*m));
        if (IsPing(seq) && producer < pong_tx.size()) pong_tx[producer].Send(seq);
      }
    }  // joins the producers
    Result r = received.Finish();
    std::vector<double> all;
    for (const auto& v : rtt_us) all.insert(all.end(), v.begin(), v.end());
    if (!all.empty()) {
      r.latency_p50_us = Quantile(all, 0.50);
      r.latency_p99_us = Quantile(all, 0.99);
    }
    return r;
  });
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "channels_pingpong",
                          "fast channel; every 256th message a ping answered by a pong "
                          "(round-trip latency p50/p99)",
                          RunChannelsPingPong, harness::StrategyTraits{.role = "latency"});

}  // namespace message_passing
