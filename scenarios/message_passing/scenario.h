// message_passing (both seeds: `mpsc::channel`, sender and receiver):
// `producers` threads send `messages` values in total to one consumer, which
// receives until every sender is gone (the channel closes when the last
// sender is dropped, as in Rust) and combines them.
//
// Mapping: producers = workers (one producer per worker); the consumer is the
// calling thread (or, for coroutines, one more coroutine on the same pool).
// Producer w sends ShareOf(messages, workers, w) messages with sequence
// numbers 0, 1, ...; message k overall (k = ShareBegin(w) + seq) carries a
// value derived from k: a u64, or an owned heap string
// "Hello from the thread! #<k>" moved through the channel.
//
// Check: the consumer saw exactly `messages` items; the sum of the u64
// values (or the total length and the sum of per-string FNV-1a hashes)
// equals the reference; and each producer's items arrived in the order that
// producer sent them (every message carries its producer id and sequence).
#ifndef SCENARIOS_MESSAGE_PASSING_SCENARIO_H_
#define SCENARIOS_MESSAGE_PASSING_SCENARIO_H_

#include <cstdint>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "harness/core/strategy.h"
#include "harness/runtime/spawn.h"

namespace message_passing {

enum class Payload { kU64, kString };

struct Params {
  Payload payload = Payload::kU64;
  int64_t messages = 0;
  int workers = 1;  // = producers
};

// One message: who sent it, its place in that sender's stream, the payload.
template <typename P>
struct Msg {
  uint32_t producer = 0;
  uint64_t seq = 0;
  P payload{};
};

inline uint64_t U64Value(int64_t k) {
  return static_cast<uint64_t>(k) * 0x9E3779B97F4A7C15ull + 1;
}
// Longer than the small-string buffer, so every message owns a heap block.
inline std::string StringValue(int64_t k) {
  return absl::StrCat("Hello from the thread! #", k);
}
inline uint64_t Fnv1a(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

template <typename P>
Msg<P> MakeMsg(int producer, uint64_t seq, int64_t k) {
  if constexpr (std::is_same_v<P, std::string>) {
    return Msg<P>{static_cast<uint32_t>(producer), seq, StringValue(k)};
  } else {
    return Msg<P>{static_cast<uint32_t>(producer), seq, U64Value(k)};
  }
}

// Producer w's part of the work: builds its messages in order and hands each
// to `send` (which moves it into the strategy's channel).
template <typename P, typename SendFn>
void Produce(const Params& p, int w, SendFn&& send) {
  const int64_t begin = harness::runtime::ShareBegin(p.messages, p.workers, w);
  const int64_t count = harness::runtime::ShareOf(p.messages, p.workers, w);
  for (int64_t seq = 0; seq < count; ++seq) {
    send(MakeMsg<P>(w, static_cast<uint64_t>(seq), begin + seq));
  }
}

struct Result {
  int64_t count = 0;
  uint64_t sum = 0;        // u64: sum of values; string: sum of FNV-1a hashes
  uint64_t total_len = 0;  // string: total length
  std::string order_error;  // the first out-of-order message, if any
  // Round-trip latency of ping messages (channels_pingpong only; < 0: none).
  double latency_p50_us = -1;
  double latency_p99_us = -1;
};

// The consumer's combination of what it received (one thread at a time).
class Tally {
 public:
  explicit Tally(const Params& p) : next_seq_(p.workers, 0) {}

  template <typename P>
  void Take(const Msg<P>& m) {
    ++r_.count;
    if constexpr (std::is_same_v<P, std::string>) {
      r_.sum += Fnv1a(m.payload);
      r_.total_len += m.payload.size();
    } else {
      r_.sum += m.payload;
    }
    if (m.producer >= next_seq_.size()) {
      if (r_.order_error.empty()) {
        r_.order_error = absl::StrCat("message from unknown producer ", m.producer);
      }
      return;
    }
    uint64_t& next = next_seq_[m.producer];
    if (m.seq != next && r_.order_error.empty()) {
      r_.order_error = absl::StrCat("producer ", m.producer, ": received seq ", m.seq,
                                    " when seq ", next, " was due");
    }
    next = m.seq + 1;
  }
  Result Finish() && { return std::move(r_); }

 private:
  Result r_;
  std::vector<uint64_t> next_seq_;
};

// Starts producer threads 0 .. workers-1 running fn(w); the caller consumes
// and then joins them (std::jthread joins on destruction).
template <typename Fn>
std::vector<std::jthread> StartProducers(const Params& p, Fn fn) {
  std::vector<std::jthread> threads;
  threads.reserve(p.workers);
  for (int w = 0; w < p.workers; ++w) threads.emplace_back([fn, w]() mutable { fn(w); });
  return threads;
}

struct Scenario {
  using Params = message_passing::Params;
  using Result = message_passing::Result;
  using Input = harness::NoInput;

  static const harness::ScenarioInfo& Info() {
    static const harness::ScenarioInfo info{
        "message_passing",
        "`workers` producers send `messages` values in total to one consumer",
        {harness::WordParam("payload", "u64: an integer; string: an owned heap string",
                            {"u64", "string"}, {"u64", "string"}, {"u64", "string"}),
         harness::IntParam("messages", "messages over all producers", {1'000'000}, {2000}, 0,
                           int64_t{1} << 40)}};
    return info;
  }
  static Params MakeParams(const harness::ParamValues& v) {
    Params p;
    p.payload = v.Word("payload") == "string" ? Payload::kString : Payload::kU64;
    p.messages = v.Int("messages");
    p.workers = v.workers();
    return p;
  }
  static Result Reference(const Params& p) {
    Result r;
    r.count = p.messages;
    for (int64_t k = 0; k < p.messages; ++k) {
      if (p.payload == Payload::kString) {
        const std::string s = StringValue(k);
        r.sum += Fnv1a(s);
        r.total_len += s.size();
      } else {
        r.sum += U64Value(k);
      }
    }
    return r;
  }
  static std::string Check(const Params&, const Result& expected, const Result& got) {
    if (!got.order_error.empty()) return got.order_error;
    if (got.count != expected.count) {
      return absl::StrCat("received ", got.count, " messages, expected ", expected.count);
    }
    if (got.sum != expected.sum || got.total_len != expected.total_len) {
      return absl::StrCat("sum ", got.sum, " length ", got.total_len, ", expected sum ",
                          expected.sum, " length ", expected.total_len);
    }
    return "";
  }
  static int64_t Items(const Params& p) { return p.messages; }
  // Latency counters, for the strategies that measure round trips.
  static void AddFigures(const Params&, const Result& r, harness::RunFigures& figures) {
    if (r.latency_p50_us >= 0) {
      figures.values["latency_p50_us"] += r.latency_p50_us;
      figures.values["latency_p99_us"] += r.latency_p99_us;
    }
  }
};

// Calls body.template operator()<P>() with the payload type of `p`.
template <typename Body>
Result WithPayload(const Params& p, Body&& body) {
  if (p.payload == Payload::kString) return body.template operator()<std::string>();
  return body.template operator()<uint64_t>();
}

}  // namespace message_passing

#endif  // SCENARIOS_MESSAGE_PASSING_SCENARIO_H_
