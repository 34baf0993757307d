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
// Timed: producing, sending, receiving, and the consumer's move of each
// message into a log (an array of `messages` places reserved and touched
// untimed). Nothing is read, hashed or compared in the timed path.
// Check (untimed, message by message over the log in arrival order): every
// message comes from a real producer with the next sequence number that
// producer was due to send (so a lost, duplicated or reordered message is
// named), carries exactly the value of its overall index k, and every
// producer's whole share arrived. The expected values come from U64Value(k)
// and StringValue(k), not from any strategy's code.
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

inline uint64_t U64Value(int64_t k) { return static_cast<uint64_t>(k) * 0x9E3779B97F4A7C15ull + 1; }
// Longer than the small-string buffer, so every message owns a heap block.
inline std::string StringValue(int64_t k) { return absl::StrCat("Hello from the thread! #", k); }
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

// What the consumer received, in arrival order, one log per payload type
// (only the run's payload is used). Reserved and touched untimed by
// ResetInput, so the timed moves into it neither allocate nor fault.
struct Input {
  std::vector<Msg<uint64_t>> u64;
  std::vector<Msg<std::string>> string;
};

template <typename P>
std::vector<Msg<P>>& LogOf(Input& in) {
  if constexpr (std::is_same_v<P, std::string>) {
    return in.string;
  } else {
    return in.u64;
  }
}

struct Result {
  const Input* received = nullptr;  // the run's log (the strategy's Input)
  // Round-trip latency of ping messages (channels_pingpong only; < 0: none).
  double latency_p50_us = -1;
  double latency_p99_us = -1;
};

// The consumer's side: moves each received message into the log, reading
// nothing (one thread at a time).
template <typename P>
class Recorder {
 public:
  explicit Recorder(Input& in) : in_(&in), log_(&LogOf<P>(in)) {}
  void Take(Msg<P>&& m) { log_->push_back(std::move(m)); }
  Result Finish() const { return Result{in_}; }

 private:
  Input* in_;
  std::vector<Msg<P>>* log_;
};

// The first difference between `log` and what the producers were due to
// send, or "" (see the file comment).
template <typename P>
std::string CheckLog(const Params& p, const std::vector<Msg<P>>& log) {
  std::vector<uint64_t> next(p.workers, 0);
  for (size_t i = 0; i < log.size(); ++i) {
    const Msg<P>& m = log[i];
    if (m.producer >= next.size()) {
      return absl::StrCat("message ", i, " received is from unknown producer ", m.producer);
    }
    const int w = static_cast<int>(m.producer);
    if (m.seq != next[w]) {
      return absl::StrCat("producer ", w, ": received seq ", m.seq, " when seq ", next[w],
                          " was due");
    }
    next[w] = m.seq + 1;
    if (static_cast<int64_t>(m.seq) >= harness::runtime::ShareOf(p.messages, p.workers, w)) {
      return absl::StrCat("producer ", w, ": received seq ", m.seq, " beyond its ",
                          harness::runtime::ShareOf(p.messages, p.workers, w), " messages");
    }
    const int64_t k =
        harness::runtime::ShareBegin(p.messages, p.workers, w) + static_cast<int64_t>(m.seq);
    const Msg<P> want = MakeMsg<P>(w, m.seq, k);
    if (m.payload != want.payload) {
      return absl::StrCat("producer ", w, " seq ", m.seq, " (message ", k, ") carries \"",
                          m.payload, "\", expected \"", want.payload, "\"");
    }
  }
  for (int w = 0; w < p.workers; ++w) {
    const int64_t share = harness::runtime::ShareOf(p.messages, p.workers, w);
    if (static_cast<int64_t>(next[w]) != share) {
      return absl::StrCat("producer ", w, ": received ", next[w], " of its ", share, " messages");
    }
  }
  if (static_cast<int64_t>(log.size()) != p.messages) {
    return absl::StrCat("received ", log.size(), " messages, expected ", p.messages);
  }
  return "";
}

// Starts producer threads 0 .. workers-1 running fn(w); the caller consumes
// and then joins them (std::jthread joins on destruction).
template <typename Fn>
std::vector<std::jthread> StartProducers(const Params& p, Fn fn) {
  std::vector<std::jthread> threads;
  threads.reserve(p.workers);
  for (int w = 0; w < p.workers; ++w) threads.emplace_back([fn, w]() mutable { fn(w); });
  return threads;
}

// Empties `log` and makes room for every message, touching the pages once.
template <typename M>
void PrepareLog(const Params& p, std::vector<M>& log) {
  log.clear();
  const size_t n = static_cast<size_t>(p.messages);
  if (log.capacity() < n) {
    log.reserve(n);
    log.resize(n);  // touches every page
    log.clear();
  }
}

struct Scenario {
  using Params = message_passing::Params;
  using Result = message_passing::Result;
  using Input = message_passing::Input;

  static const harness::ScenarioInfo& Info() {
    static const harness::ScenarioInfo info{
        "message_passing",
        "`workers` producers send `messages` values in total to one consumer",
        {harness::WordParam("payload", "u64: an integer; string: an owned heap string",
                            {"u64", "string"}, {"u64", "string"}, {"u64", "string"}),
         // Primes: no producer count divides them.
         harness::IntParam("messages", "messages over all producers", {1'000'003}, {2003}, 0,
                           int64_t{1} << 40)},
        "",
        {{"*", "communication"}}};
    return info;
  }
  static Params MakeParams(const harness::ParamValues& v) {
    Params p;
    p.payload = v.Word("payload") == "string" ? Payload::kString : Payload::kU64;
    p.messages = v.Int("messages");
    p.workers = v.workers();
    return p;
  }
  // Untimed, before each run: an empty log with room for every message,
  // its pages touched (the other payload's log is freed).
  static void ResetInput(const Params& p, Input& in) {
    if (p.payload == Payload::kString) {
      PrepareLog(p, in.string);
      std::vector<Msg<uint64_t>>().swap(in.u64);
    } else {
      PrepareLog(p, in.u64);
      std::vector<Msg<std::string>>().swap(in.string);
    }
  }
  // Nothing precomputed: Check derives each message's value from its index.
  static Result Reference(const Params&) { return Result{}; }
  static std::string Check(const Params& p, const Result&, const Result& got) {
    if (got.received == nullptr) return "the strategy returned no log";
    return p.payload == Payload::kString ? CheckLog(p, got.received->string)
                                         : CheckLog(p, got.received->u64);
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
