// actor_ping (seed 001 actix: `MyActor` answers `Ping("hello")` with
// "hello world"): `actors` actors each own private state (a count of the
// messages they handled); `clients` clients send `requests` Ping(text)
// requests in total, each waiting for its reply before sending the next; an
// actor answers text + " world" and increments its count.
//
// `clients` is the case's `workers`: one client per worker (a thread, or a
// coroutine on a pool of `workers` threads). Client c sends ShareOf(requests,
// clients, c) requests; its j-th request carries the text "hello <c>:<j>"
// and goes to actor (c + j) % actors, so the reference knows every actor's
// exact count.
// Check: every reply equals its request's text + " world" (so a client that
// got another client's reply, or a reply twice, is caught), each client got
// exactly its own number of replies, and every actor's count equals the
// reference (they sum to `requests`).
// Figures: latency_p50_us and latency_p99_us, the round trip of one request
// as its client saw it (computed untimed from the recorded samples).
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
  int clients = 1;  // = workers
};

// What one client produced.
struct ClientLog {
  int64_t replies = 0;      // replies received
  std::string first_error;  // the first reply that was not text + " world"
  std::vector<int64_t> latency_ns;  // one round trip per request
};

struct Result {
  std::vector<ClientLog> clients;
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

// The client side shared by the strategies: runs client c's requests in
// order through `ask(actor, text) -> reply`, checking each reply and timing
// each round trip.
template <typename Ask>
ClientLog RunClient(const Params& p, int c, Ask&& ask) {
  ClientLog log;
  const int64_t n = RequestsOf(p, c);
  log.latency_ns.reserve(n);
  for (int64_t j = 0; j < n; ++j) {
    std::string text = RequestText(c, j);
    const auto start = std::chrono::steady_clock::now();
    std::string reply = ask(ActorOf(p, c, j), text);
    const auto stop = std::chrono::steady_clock::now();
    log.latency_ns.push_back(
        std::chrono::duration_cast<std::chrono::nanoseconds>(stop - start).count());
    ++log.replies;
    if (log.first_error.empty() && reply != Answer(text)) {
      log.first_error = absl::StrCat("client ", c, " sent \"", text, "\" and got \"", reply,
                                     "\"");
    }
  }
  return log;
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
  using Input = harness::NoInput;

  static const harness::ScenarioInfo& Info() {
    static const harness::ScenarioInfo info{
        "actor_ping",
        "`workers` clients send `requests` Ping(text) requests in total to `actors` actors "
        "and wait for each reply text + \" world\"",
        {harness::IntParam("actors", "actors, each owning a private count", {4}, {2}, 1,
                           4096),
         harness::IntParam("requests", "requests over all clients", {5000}, {200}, 0,
                           int64_t{1} << 32)}};
    return info;
  }
  static Params MakeParams(const harness::ParamValues& v) {
    return {v.Int("actors"), v.Int("requests"), v.workers()};
  }
  // Sequentially: each client's replies, each actor's count from the routing.
  static Result Reference(const Params& p) {
    Result r;
    r.clients.resize(p.clients);
    r.actor_counts.assign(p.actors, 0);
    for (int c = 0; c < p.clients; ++c) {
      r.clients[c].replies = RequestsOf(p, c);
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
    if (got.clients.size() != expected.clients.size()) {
      return absl::StrCat(got.clients.size(), " client logs, expected ", p.clients);
    }
    for (size_t c = 0; c < got.clients.size(); ++c) {
      if (!got.clients[c].first_error.empty()) return got.clients[c].first_error;
      if (got.clients[c].replies != expected.clients[c].replies) {
        return absl::StrCat("client ", c, " got ", got.clients[c].replies,
                            " replies, expected ", expected.clients[c].replies);
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
  // Untimed: percentiles over every round trip of the run; summed here,
  // averaged per run by the harness.
  static void AddFigures(const Params&, const Result& r, harness::RunFigures& f) {
    std::vector<int64_t> all;
    for (const ClientLog& c : r.clients) {
      all.insert(all.end(), c.latency_ns.begin(), c.latency_ns.end());
    }
    f.values["latency_p50_us"] += PercentileUs(all, 0.50);
    f.values["latency_p99_us"] += PercentileUs(all, 0.99);
  }
};

}  // namespace actor_ping

#endif  // SCENARIOS_ACTOR_PING_SCENARIO_H_
