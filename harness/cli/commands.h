// The `harness` subcommands. Each returns the process exit status:
// 0 success, 1 a case failed its check (or hung), 2 bad usage.
#ifndef HARNESS_CLI_COMMANDS_H_
#define HARNESS_CLI_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/core/cases.h"

namespace harness::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

int ListCommand();
// `benchmark_args` are the --benchmark_* flags given on the command line.
int RunCommand(const char* argv0, std::vector<std::string> benchmark_args);
int SweepCommand(const std::vector<std::string>& original_args);
int RacesCommand();
int StressCommand();
int ExploreCommand();
int DetectorsCommand();

// The selection from --filter, --set, --quick and the given worker counts.
absl::StatusOr<CaseSelection> SelectionFromFlags(std::vector<int> workers);

// Prints "harness: <message>" on stderr and returns kExitUsage.
int UsageError(std::string_view message);

}  // namespace harness::cli

#endif  // HARNESS_CLI_COMMANDS_H_
