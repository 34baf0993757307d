// actor_ping (seed 001 actix: `MyActor` answers `Ping("hello")` with
// "hello world"): `actors` actors each own private state (a count of the
// messages they handled); `clients` clients send `requests` Ping(text)
// requests in total, each waiting for its reply before sending the next; an
// actor answers text + " world" and increments its count.
//
// `clients` is a parameter of its own: one client is a thread, or a
// coroutine on the strategy's pool. `workers` is only the machinery's thread
// count (the pool, the CAF scheduler); the workload does not change with it.
// Client c sends ShareOf(requests, clients, c) requests; its j-th request
// carries the text "hello <c>:<j>" and goes to actor (c + j) % actors, so
// the reference knows every actor's exact count.
//
// Timed: building each request, the round trips, and moving each reply into
// the client's log (reserved and touched untimed); one request in
// kSampleEvery also reads the clock before and after (its round trip).
// Check (untimed, after the run): every client's j-th reply equals
// "hello <c>:<j> world" exactly (so a reply delivered to the wrong client,
// twice, lost or out of order is named), and every actor's own count equals
// the reference routing (they sum to `requests`).
// Figures: latency_p50_us and latency_p99_us over the sampled round trips
// (computed untimed).
#ifndef SCENARIOS_ACTOR_PING_SCENARIO_H_
#define SCENARIOS_ACTOR_PING_SCENARIO_H_

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "harness/core/strategy.h"
#include "harness/runtime/spawn.h"

namespace actor_ping {

struct Params {
  int64_t actors = 1;
  int64_t requests = 0;
  int clients = 1;
  int workers = 1;  // the machinery's threads (pool, scheduler)
};

// One request in kSampleEvery has its round trip timed (two clock reads).
constexpr int64_t kSampleEvery = 16;

// What one client recorded during the run: nothing is compared in it until
// Check.
struct ClientLog {
  std::vector<std::string> replies;  // replies[j]: the reply to request j
  std::vector<int64_t> sample_ns;    // round trips of requests 0, 16, 32, ...
};

// One log per client, reserved untimed (ResetInput).
struct Input {
  std::vector<ClientLog> clients;
};

struct Result {
  const Input* logs = nullptr;        // the run's client logs (the strategy's Input)
  std::vector<int64_t> actor_counts;  // each actor's own count, read at the end
};

// The text of client c's j-th request.
inline std::string RequestText(int c, int64_t j) { return absl::StrCat("hello ", c, ":", j); }
// The actor that gets client c's j-th request.
inline int64_t ActorOf(const Params& p, int c, int64_t j) { return (c + j) % p.actors; }
// What an actor answers.
inline std::string Answer(const std::string& text) { return text + " world"; }
// Client c's number of requests.
inline int64_t RequestsOf(const Params& p, int c) {
  return harness::runtime::ShareOf(p.requests, p.clients, c);
}

inline int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The client side shared by the thread-based strategies: runs client c's
// requests in order through `ask(actor, text) -> reply`, moving each reply
// into `log` and timing one round trip in kSampleEvery.
template <typename Ask>
void RunClient(const Params& p, int c, ClientLog& log, Ask&& ask) {
  const int64_t n = RequestsOf(p, c);
  for (int64_t j = 0; j < n; ++j) {
    std::string text = RequestText(c, j);
    if (j % kSampleEvery == 0) {
      const int64_t start = NowNs();
      log.replies.push_back(ask(ActorOf(p, c, j), text));
      log.sample_ns.push_back(NowNs() - start);
    } else {
      log.replies.push_back(ask(ActorOf(p, c, j), text));
    }
  }
}

inline double PercentileUs(std::vector<int64_t>& ns, double q) {
  if (ns.empty()) return 0;
  const size_t k = std::min(ns.size() - 1, static_cast<size_t>(q * static_cast<double>(ns.size())));
  std::nth_element(ns.begin(), ns.begin() + static_cast<ptrdiff_t>(k), ns.end());
  return static_cast<double>(ns[k]) / 1000.0;
}

struct Scenario {
  using Params = actor_ping::Params;
  using Result = actor_ping::Result;
  using Input = actor_ping::Input;

  static const harness::ScenarioInfo& Info() {
    static const harness::ScenarioInfo info{
        "actor_ping",
        "`clients` clients send `requests` Ping(text) requests in total to `actors` actors "
        "and wait for each reply text + \" world\"; `workers` threads run the machinery",
        // Odd sizes, divisible by no common worker count. The default makes
        // thread start-up (clients and actor threads, in the timed region of
        // some strategies) a few % of a run.
        {harness::IntParam("actors", "actors, each owning a private count", {5}, {5}, 1, 4096),
         harness::IntParam("clients", "clients, each waiting for its reply before the next request",
                           {7}, {5}, 1, 4096),
         harness::IntParam("requests", "requests over all clients", {20011}, {211}, 0,
                           int64_t{1} << 32)},
        "",
        {{"*", "communication"}}};
    return info;
  }
  static Params MakeParams(const harness::ParamValues& v) {
    return {v.Int("actors"), v.Int("requests"), static_cast<int>(v.Int("clients")), v.workers()};
  }
  // Untimed, before each run: one empty log per client with room for every
  // reply and sample (the reply vector's pages touched).
  static void ResetInput(const Params& p, Input& in) {
    in.clients.resize(p.clients);
    for (int c = 0; c < p.clients; ++c) {
      ClientLog& log = in.clients[c];
      const size_t n = static_cast<size_t>(RequestsOf(p, c));
      log.replies.clear();
      if (log.replies.capacity() < n) {
        log.replies.reserve(n);
        log.replies.resize(n);  // touches every page
        log.replies.clear();
      }
      log.sample_ns.clear();
      log.sample_ns.reserve(n / kSampleEvery + 1);
    }
  }
  // Each actor's count from the routing alone (no strategy code runs).
  static Result Reference(const Params& p) {
    Result r;
    r.actor_counts.assign(p.actors, 0);
    for (int c = 0; c < p.clients; ++c) {
      // Client c's requests j = 0..n-1 go to actors (c + j) % actors.
      const int64_t n = RequestsOf(p, c);
      for (int64_t a = 0; a < p.actors; ++a) {
        // j with (c + j) % A == a: j = (a - c) mod A, then every A.
        const int64_t first = ((a - c) % p.actors + p.actors) % p.actors;
        if (first < n) r.actor_counts[a] += (n - 1 - first) / p.actors + 1;
      }
    }
    return r;
  }
  static std::string Check(const Params& p, const Result& expected, const Result& got) {
    if (got.logs == nullptr || got.logs->clients.size() != static_cast<size_t>(p.clients)) {
      return absl::StrCat(got.logs == nullptr ? 0 : got.logs->clients.size(),
                          " client logs, expected ", p.clients);
    }
    for (int c = 0; c < p.clients; ++c) {
      const std::vector<std::string>& replies = got.logs->clients[c].replies;
      const int64_t n = RequestsOf(p, c);
      for (int64_t j = 0; j < n && j < static_cast<int64_t>(replies.size()); ++j) {
        const std::string want = Answer(RequestText(c, j));
        if (replies[j] != want) {
          return absl::StrCat("client ", c, " request ", j, ": got \"", replies[j],
                              "\", expected \"", want, "\"");
        }
      }
      if (static_cast<int64_t>(replies.size()) != n) {
        return absl::StrCat("client ", c, " got ", replies.size(), " replies, expected ", n);
      }
    }
    if (got.actor_counts.size() != expected.actor_counts.size()) {
      return absl::StrCat(got.actor_counts.size(), " actor counts, expected ", p.actors);
    }
    int64_t sum = 0;
    for (int64_t n : got.actor_counts) sum += n;
    if (sum != p.requests) {
      return absl::StrCat("actors handled ", sum, " requests, expected ", p.requests);
    }
    for (size_t a = 0; a < got.actor_counts.size(); ++a) {
      if (got.actor_counts[a] != expected.actor_counts[a]) {
        return absl::StrCat("actor ", a, " handled ", got.actor_counts[a], ", expected ",
                            expected.actor_counts[a]);
      }
    }
    return "";
  }
  static int64_t Items(const Params& p) { return p.requests; }
  // Untimed: percentiles over the sampled round trips of the run; summed here,
  // averaged per run by the harness.
  static void AddFigures(const Params&, const Result& r, harness::RunFigures& f) {
    if (r.logs == nullptr) return;
    std::vector<int64_t> all;
    for (const ClientLog& c : r.logs->clients) {
      all.insert(all.end(), c.sample_ns.begin(), c.sample_ns.end());
    }
    f.values["latency_p50_us"] += PercentileUs(all, 0.50);
    f.values["latency_p99_us"] += PercentileUs(all, 0.99);
  }
};

}  // namespace actor_ping

#endif  // SCENARIOS_ACTOR_PING_SCENARIO_H_
