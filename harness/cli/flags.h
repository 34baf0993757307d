// The `harness` command's flags (Abseil flags), shared by its subcommands.
#ifndef HARNESS_CLI_FLAGS_H_
#define HARNESS_CLI_FLAGS_H_

#include <cstdint>
#include <string>

#include "absl/flags/declare.h"

ABSL_DECLARE_FLAG(std::string, filter);
ABSL_DECLARE_FLAG(std::string, set);
ABSL_DECLARE_FLAG(std::string, workers);
ABSL_DECLARE_FLAG(bool, quick);
ABSL_DECLARE_FLAG(int, repetitions);
ABSL_DECLARE_FLAG(double, min_time);
ABSL_DECLARE_FLAG(double, case_timeout);
ABSL_DECLARE_FLAG(bool, json);
ABSL_DECLARE_FLAG(bool, controls);
ABSL_DECLARE_FLAG(std::string, cores);
ABSL_DECLARE_FLAG(std::string, oversubscribe);
ABSL_DECLARE_FLAG(std::string, out);
ABSL_DECLARE_FLAG(bool, sweep_child);
ABSL_DECLARE_FLAG(int, tries);
ABSL_DECLARE_FLAG(int, iterations);
ABSL_DECLARE_FLAG(uint64_t, seed);
ABSL_DECLARE_FLAG(std::string, json_out);
ABSL_DECLARE_FLAG(std::string, binary);
ABSL_DECLARE_FLAG(std::string, paired_binary);
ABSL_DECLARE_FLAG(std::string, paired_out);
ABSL_DECLARE_FLAG(std::string, disable_detector);
ABSL_DECLARE_FLAG(double, time_budget);
ABSL_DECLARE_FLAG(std::string, placement);
ABSL_DECLARE_FLAG(std::string, shard);
ABSL_DECLARE_FLAG(std::string, shard_times);
ABSL_DECLARE_FLAG(std::string, resume);

#endif  // HARNESS_CLI_FLAGS_H_
