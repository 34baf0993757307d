// Rust original (rust/src/parallel_map_rayon.rs): seed 001's
// `vec.par_iter_mut().for_each(|x| *x += 2)` (and the heavy kind's mixing
// rounds), in a Rayon ThreadPool of exactly `workers` threads built untimed.
#include "harness/core/rust_strategy.h"
#include "scenarios/parallel_map/scenario.h"

namespace parallel_map {
namespace {

class RustRayon {
 public:
  explicit RustRayon(const Params& p) : pool_(harness_rust_rayon_pool_new(p.workers)) {}
  ~RustRayon() { harness_rust_rayon_pool_free(pool_); }
  RustRayon(const RustRayon&) = delete;
  RustRayon& operator=(const RustRayon&) = delete;

  Result Run(const Params& p, Input& in) {
    harness_rust_parallel_map_rayon(pool_, p.kind == Kind::kHeavy ? 1 : 0, p.work_iters, in.data(),
                                    in.size());
    return View(in);
  }

 private:
  HarnessRustRayonPool* pool_;
};

}  // namespace

HARNESS_REGISTER_RUST(Scenario, "rust_rayon",
                      "Rust: Rayon par_iter_mut in a pool of `workers` threads (the article's)",
                      RustRayon);

}  // namespace parallel_map
