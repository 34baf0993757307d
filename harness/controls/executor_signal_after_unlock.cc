// Control executor_signal_after_unlock (fault executor.signal_after_unlock,
// issue 10 item 2): ThreadExecutor::Execute wakes its thread (bumps the
// executor's wake word) after unlocking. In that gap the executor's thread
// may run the job and the owner destroy the executor: the wake then writes
// freed memory. The
// executor's thread is kept busy with a slow job, so it finds the last job
// without the signal; that job tells the owner, who destroys the executor at
// once. A delay at executor.queued (lock released, signal not yet sent)
// opens the gap (ThreadSanitizer may report the late write racing with the
// destructor even without it). Only a sanitizer sees this use-after-free;
// explore runs in the release and tsan builds, so outside tsan the control
// is listed as skipped.
#include <chrono>
#include <memory>
#include <thread>

#include "harness/controls/scenario.h"
#include "harness/runtime/executor.h"
#include "harness/runtime/notification.h"

namespace harness::controls {
namespace {

using namespace std::chrono_literals;
using runtime::JobRef;
using runtime::Notification;
using runtime::ThreadExecutor;

constexpr char kName[] = "executor_signal_after_unlock";
constexpr char kDescription[] =
    "issue 10 item 2: ThreadExecutor wakes its thread after unlocking; the owner destroys it "
    "right after the job ran (use-after-free)";

[[maybe_unused]] void Slow(void*) noexcept { std::this_thread::sleep_for(1ms); }
[[maybe_unused]] void SetNotification(void* n) noexcept { static_cast<Notification*>(n)->Set(); }

struct ExecutorSignalAfterUnlock {
  explicit ExecutorSignalAfterUnlock(const Scenario::Params&) {}
  Scenario::Result Run(const Scenario::Params&) {
    ControlFault fault(runtime::inject::Fault::kSignalAfterUnlock);
    constexpr int kRounds = 4;
    int rounds = 0;
    for (int r = 0; r < kRounds; ++r) {
      auto ex = std::make_unique<ThreadExecutor>();
      Notification ran;
      ex->Execute(JobRef{&Slow, nullptr});  // keeps the executor's thread busy
      std::thread submitter([&] { ex->Execute(JobRef{&SetNotification, &ran}); });
      ran.Wait();
      ex.reset();  // the owner destroys the executor right after its job ran
      submitter.join();
      ++rounds;
    }
    return rounds == kRounds ? "" : "a round did not finish";
  }
};

}  // namespace
}  // namespace harness::controls

#if HARNESS_CONTROLS_TSAN
HARNESS_REGISTER_CONTROL_FOR(harness::controls::Scenario, harness::controls::kName,
                             harness::controls::kDescription, "explore",
                             harness::controls::ExecutorSignalAfterUnlock);
#else
HARNESS_INTERNAL_REGISTRATION((harness::controls::RegisterSkippedControl(
    harness::controls::kName, harness::controls::kDescription, harness::controls::kNeedsTsan)));
#endif
