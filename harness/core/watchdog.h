// The watchdog: bounds the time of every case. A case still running after
// its limit is reported as a hang by name, with every thread's stack when gdb
// is installed, and the process ends with exit status kHangExitStatus in
// every build, ThreadSanitizer's included (a hung strategy cannot be
// resumed; `harness sweep` runs each case in its own process, records the
// hang and goes on with the next case).
#ifndef HARNESS_CORE_WATCHDOG_H_
#define HARNESS_CORE_WATCHDOG_H_

#include <string>

namespace harness {

inline constexpr int kHangExitStatus = 3;

class Watchdog {
 public:
  // Arms the watchdog for `case_name` for `limit_seconds` (<= 0: no limit)
  // and disarms it on destruction. Scopes must not nest or overlap.
  class Scope {
   public:
    Scope(const std::string& case_name, double limit_seconds);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
  };

  // Prints every thread's stack of process `pid` to stderr using gdb, when
  // gdb is installed; says so otherwise. Used for hangs, here and by sweep.
  static void PrintStacks(int pid);
};

}  // namespace harness

#endif  // HARNESS_CORE_WATCHDOG_H_
