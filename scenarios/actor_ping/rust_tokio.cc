// Rust original (rust/src/actor_ping_tokio.rs): seed 001's actix actor
// (`Ping("hello")` -> "hello world") on Tokio, as actix is not in Debian:
// each actor a tokio task owning a bounded mpsc mailbox (16, actix's
// default) and its count, each request a oneshot reply; the clients are
// tokio tasks on the same runtime of `workers` worker threads (built
// untimed). Each reply is copied into the client's std::string log through
// one FFI call (one more allocation and copy than the C++ strategies' move).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/core/rust_strategy.h"
#include "scenarios/actor_ping/scenario.h"

namespace actor_ping {
namespace {

class RustTokio {
 public:
  explicit RustTokio(const Params& p) : rt_(harness_rust_tokio_new(p.workers)) {}
  ~RustTokio() { harness_rust_tokio_free(rt_); }
  RustTokio(const RustTokio&) = delete;
  RustTokio& operator=(const RustTokio&) = delete;

  Result Run(const Params& p, Input& in) {
    logs_.clear();
    for (ClientLog& log : in.clients) logs_.push_back(&log);
    Result r{&in, std::vector<int64_t>(p.actors, 0)};
    const HarnessRustActorPing args{
        p.actors,
        p.requests,
        p.clients,
        logs_.data(),
        +[](void* log, const char* data, size_t len) {
          static_cast<ClientLog*>(log)->replies.emplace_back(data, len);
        },
        +[](void* log, int64_t ns) { static_cast<ClientLog*>(log)->sample_ns.push_back(ns); },
        r.actor_counts.data()};
    harness_rust_actor_ping_tokio(rt_, &args);
    return r;
  }

 private:
  HarnessRustTokio* rt_;
  std::vector<void*> logs_;  // the run's client logs, by client
};

}  // namespace

HARNESS_REGISTER_RUST(Scenario, "rust_tokio",
                      "Rust: Tokio actor tasks, mpsc mailbox + oneshot replies "
                      "(the article's actix Ping, on Tokio)",
                      RustTokio);

}  // namespace actor_ping
