// Runs this same program (/proc/self/exe), or another harness binary, as a child process with other
// arguments, optionally pinned to CPUs and with its stderr captured, under a
// time limit. Used by `sweep` (one case per process) and `races` (one
// ThreadSanitizer run per process).
#ifndef HARNESS_CLI_CHILD_PROCESS_H_
#define HARNESS_CLI_CHILD_PROCESS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace harness::cli {

struct ChildOptions {
  std::vector<int> cpus;     // empty: inherit the affinity
  std::string stderr_path;   // empty: inherit stderr
  std::string stdout_path;   // empty: inherit stdout
  double limit_seconds = 0;  // <= 0: none; past it: stacks printed, SIGKILL
  std::string executable;    // empty: this program (/proc/self/exe)
  // Environment changes in the child: (name, value) sets, (name, nullopt)
  // removes.
  std::vector<std::pair<std::string, std::optional<std::string>>> env;
};

struct ChildExit {
  bool killed_for_time = false;
  bool signaled = false;
  int code = 0;  // exit status, or the signal number when signaled
};

ChildExit RunSelf(const std::vector<std::string>& args, const ChildOptions& options);

}  // namespace harness::cli

#endif  // HARNESS_CLI_CHILD_PROCESS_H_
