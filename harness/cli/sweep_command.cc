// `harness sweep`: every selected case at every core count, each case in its
// own child process pinned to that many CPUs (workers = cores, plus the
// oversubscription multipliers), with a time limit per case. Writes
// DIR/cores-<n>.json (Google Benchmark JSON, merged from the cases) and
// DIR/manifest.json, each to a temporary name first and renamed into place.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "harness/cli/child_process.h"
#include "harness/cli/commands.h"
#include "harness/cli/flags.h"
#include "harness/core/benchmark_adapter.h"
#include "harness/core/affinity.h"
#include "harness/core/watchdog.h"
#include "nlohmann/json.hpp"

namespace harness::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Writes `content` to `path` through a temporary file and a rename, so a
// reader sees the old file or the new one, never half of one.
bool WriteAtomically(const fs::path& path, const std::string& content) {
  const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << content;
    if (!out.flush()) return false;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return !ec;
}

struct ChildResult {
  enum Outcome { kOk, kFailed, kHung, kCrashed } outcome = kOk;
  json benchmarks = json::array();  // this case's entries
  json context;
  std::string detail;
};

// Runs one case in a child pinned to `cpus`; `limit` bounds its wall time.
ChildResult RunChild(const std::vector<std::string>& args,
                     const std::vector<int>& cpus, const fs::path& json_out,
                     double limit_seconds) {
  ChildResult result;
  // The child has its own watchdog at `limit_seconds`, which prints the
  // stacks; the limit here is the backstop for a child too broken to do that.
  const ChildExit exit = RunSelf(args, {.cpus = cpus, .limit_seconds = limit_seconds + 30});
  if (exit.killed_for_time || (!exit.signaled && exit.code == kHangExitStatus)) {
    result.outcome = ChildResult::kHung;
    result.detail = absl::StrFormat("hang: did not finish within %.0f s", limit_seconds);
    return result;
  }
  std::ifstream in(json_out);
  std::stringstream text;
  text << in.rdbuf();
  // Google Benchmark writes a coefficient of variation of 0/0 as a bare NaN,
  // which is not JSON: it becomes null (no value) in the merged file.
  const std::string valid = std::regex_replace(
      text.str(), std::regex(R"((:\s*)-?(NaN|nan|inf|Infinity)\b)"), "$1null");
  json parsed = json::parse(valid, nullptr, /*allow_exceptions=*/false);
  std::error_code ec;
  fs::remove(json_out, ec);
  if (parsed.is_discarded() || !parsed.contains("benchmarks")) {
    result.outcome = ChildResult::kCrashed;
    result.detail = exit.signaled ? absl::StrCat("crashed: signal ", exit.code)
                                  : absl::StrCat("crashed: exit status ", exit.code,
                                                 " and no result");
    return result;
  }
  result.context = parsed["context"];
  result.benchmarks = parsed["benchmarks"];
  if (exit.signaled || exit.code != 0) {
    result.outcome = ChildResult::kFailed;
    for (const auto& b : result.benchmarks) {
      if (b.value("error_occurred", false)) {
        result.detail = b.value("error_message", "");
        break;
      }
    }
    if (result.detail.empty()) result.detail = "failed";
  }
  return result;
}

// The median items/s over the repetitions of one case, for the progress line.
std::string Throughput(const json& benchmarks) {
  for (const auto& b : benchmarks) {
    if (b.value("aggregate_name", "") == "median" && b.contains("items_per_second")) {
      return absl::StrFormat("%.3g items/s (median)", b["items_per_second"].get<double>());
    }
  }
  for (const auto& b : benchmarks) {
    if (b.contains("items_per_second")) {
      return absl::StrFormat("%.3g items/s", b["items_per_second"].get<double>());
    }
  }
  return "";
}

std::string RunId() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(absl::FormatTime("%Y%m%d-%H%M%S", absl::Now(), absl::LocalTimeZone()),
                      "-", host);
}

}  // namespace

int SweepCommand(const std::vector<std::string>& original_args) {
  const std::vector<int> allowed = AllowedCpus();
  const int max_cores = static_cast<int>(allowed.size());
  std::vector<int> cores;
  if (std::string text = absl::GetFlag(FLAGS_cores); !text.empty()) {
    auto parsed = ParsePositiveIntList(text, "--cores", 1 << 20);
    if (!parsed.ok()) return UsageError(parsed.status().message());
    for (int c : *parsed) {
      if (c > max_cores) {
        return UsageError(absl::StrCat("--cores ", c, ": this process may use only ",
                                       max_cores, " CPUs (", FormatCpuList(allowed), ")"));
      }
    }
    cores = *parsed;
  } else {
    for (int c = 1; c <= max_cores; ++c) cores.push_back(c);
  }
  std::vector<int> multipliers = {1};
  if (std::string text = absl::GetFlag(FLAGS_oversubscribe); !text.empty()) {
    auto parsed = ParsePositiveIntList(text, "--oversubscribe", 64);
    if (!parsed.ok()) return UsageError(parsed.status().message());
    for (int m : *parsed) {
      if (m > 1) multipliers.push_back(m);
    }
  }
  const bool quick = absl::GetFlag(FLAGS_quick);
  int repetitions = absl::GetFlag(FLAGS_repetitions);
  if (repetitions < 0) return UsageError("--repetitions must be >= 0");
  if (repetitions == 0) repetitions = quick ? 2 : 5;
  const double case_timeout = absl::GetFlag(FLAGS_case_timeout);
  if (case_timeout <= 0) return UsageError("--case_timeout must be > 0");

  // Every case at every core count, selected up front so that bad input is
  // refused before anything runs or is written.
  struct Planned {
    int cores;
    CaseSpec spec;
  };
  std::vector<Planned> plan;
  for (int c : cores) {
    std::vector<int> workers;
    for (int m : multipliers) workers.push_back(c * m);
    auto sel = SelectionFromFlags(workers);
    if (!sel.ok()) return UsageError(sel.status().message());
    auto cases = SelectCases(Registry::Global(), *sel);
    if (!cases.ok()) return UsageError(cases.status().message());
    for (auto& spec : *cases) plan.push_back({c, std::move(spec)});
  }

  const std::string run_id = RunId();
  fs::path out = absl::GetFlag(FLAGS_out);
  if (out.empty()) out = fs::path("reports") / run_id;
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec || !fs::is_directory(out)) {
    return UsageError(absl::StrCat("cannot create --out folder ", out.string()));
  }

  std::cerr << "harness: sweep of " << plan.size() << " cases over cores "
            << absl::StrJoin(cores, ",") << " (" << repetitions
            << " repetitions each) into " << out.string() << "\n";
  // Arguments every child shares: one case, this selection's sizes.
  std::vector<std::string> base_args = {"harness", "run", "--sweep_child",
                                        absl::StrCat("--repetitions=", repetitions),
                                        absl::StrCat("--case_timeout=", case_timeout),
                                        "--benchmark_out_format=json"};
  if (quick) base_args.push_back("--quick");
  if (!absl::GetFlag(FLAGS_set).empty()) {
    base_args.push_back("--set=" + absl::GetFlag(FLAGS_set));
  }
  if (absl::GetFlag(FLAGS_min_time) > 0) {
    base_args.push_back(absl::StrCat("--min_time=", absl::GetFlag(FLAGS_min_time)));
  }
  for (const auto& a : original_args) {
    if (a.rfind("--benchmark_", 0) == 0) base_args.push_back(a);
  }

  json manifest = {{"format", "concurrency-harness-run/1"},
                   {"run_id", run_id},
                   {"created", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(),
                                                absl::UTCTimeZone())},
                   {"host", run_id.substr(run_id.rfind('-') + 1)},
                   {"quick", quick},
                   {"repetitions", repetitions},
                   {"cores", cores},
                   {"allowed_cpus", FormatCpuList(allowed)},
                   {"files", json::object()},
                   {"cases", plan.size()},
                   {"failed", json::array()},
                   {"hung", json::array()},
                   {"command", absl::StrJoin(original_args, " ")}};
  const auto sweep_start = std::chrono::steady_clock::now();
  size_t index = 0;
  for (int c : cores) {
    const std::vector<int> cpus(allowed.begin(), allowed.begin() + c);
    json merged = {{"context", json::object()}, {"benchmarks", json::array()}};
    for (const Planned& p : plan) {
      if (p.cores != c) continue;
      ++index;
      const fs::path case_json = out / absl::StrCat(".case-", getpid(), ".json");
      std::vector<std::string> args = base_args;
      args.push_back("--filter=" + ExactFilter(p.spec.name));
      args.push_back(absl::StrCat("--workers=", p.spec.values.workers()));
      args.push_back("--benchmark_out=" + case_json.string());
      const auto start = std::chrono::steady_clock::now();
      ChildResult r = RunChild(args, cpus, case_json, case_timeout);
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (merged["context"].empty() && !r.context.empty()) merged["context"] = r.context;
      const std::string tag = absl::StrCat("c", c, ":", p.spec.name);
      std::string verdict;
      switch (r.outcome) {
        case ChildResult::kOk:
          verdict = absl::StrCat(Throughput(r.benchmarks), "  ok");
          break;
        case ChildResult::kFailed:
        case ChildResult::kCrashed:
          verdict = "FAILED: " + r.detail;
          manifest["failed"].push_back(tag);
          break;
        case ChildResult::kHung:
          verdict = "HUNG: " + r.detail;
          manifest["hung"].push_back(tag);
          break;
      }
      if (r.outcome == ChildResult::kHung || r.outcome == ChildResult::kCrashed) {
        // Keep the case visible in the results, as an error.
        r.benchmarks = json::array({{{"name", p.spec.name + kBenchmarkNameSuffix},
                                     {"run_name", p.spec.name + kBenchmarkNameSuffix},
                                     {"run_type", "iteration"},
                                     {"repetitions", repetitions},
                                     {"repetition_index", 0},
                                     {"error_occurred", true},
                                     {"error_message", p.spec.name + ": " + r.detail}}});
      }
      for (auto& b : r.benchmarks) merged["benchmarks"].push_back(std::move(b));
      std::cerr << absl::StrFormat("[%*d/%d] cores %d  %s  %s (%.1f s)\n",
                                   static_cast<int>(absl::StrCat(plan.size()).size()),
                                   index, plan.size(), c, p.spec.name, verdict, secs);
    }
    if (merged["context"].empty()) {
      merged["context"] = {{"harness_cores", absl::StrCat(c)}};
    }
    const std::string file = absl::StrCat("cores-", c, ".json");
    if (!WriteAtomically(out / file, merged.dump(2) + "\n")) {
      std::cerr << "harness: cannot write " << (out / file).string() << "\n";
      return kExitFailed;
    }
    manifest["files"][absl::StrCat(c)] = file;
  }
  manifest["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - sweep_start).count();
  if (!WriteAtomically(out / "manifest.json", manifest.dump(2) + "\n")) {
    std::cerr << "harness: cannot write " << (out / "manifest.json").string() << "\n";
    return kExitFailed;
  }
  const bool bad = !manifest["failed"].empty() || !manifest["hung"].empty();
  std::cerr << "harness: " << (bad ? "sweep finished with failures" : "sweep done")
            << ": " << manifest["failed"].size() << " failed, "
            << manifest["hung"].size() << " hung; results in " << out.string()
            << "\n";
  return bad ? kExitFailed : kExitOk;
}

}  // namespace harness::cli
