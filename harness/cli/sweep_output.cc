#include "harness/cli/sweep_output.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <set>

#include "absl/strings/str_cat.h"
#include "harness/cli/atomic_file.h"
#include "harness/core/benchmark_adapter.h"

namespace harness::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Fields copied from the first repetition, not aggregated.
const std::set<std::string>& Bookkeeping() {
  static const auto* keys = new std::set<std::string>{"family_index",
                                                      "per_family_instance_index",
                                                      "repetition_index",
                                                      "repetitions",
                                                      "threads",
                                                      "iterations",
                                                      "round",
                                                      "position",
                                                      "steal_ms",
                                                      "irq_ms"};
  return *keys;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

json Aggregates(const std::vector<json>& repetitions, int planned) {
  if (repetitions.size() < 2) return json::array();
  std::map<std::string, std::vector<double>> values;
  for (const json& r : repetitions) {
    if (r.value("error_occurred", false)) return json::array();
    for (const auto& [key, value] : r.items()) {
      if (value.is_number() && !Bookkeeping().count(key)) {
        values[key].push_back(value.get<double>());
      }
    }
  }
  const json& first = repetitions.front();
  const std::string run_name = first.value("run_name", first.value("name", ""));
  json out = json::array();
  for (const char* aggregate : {"mean", "median", "stddev", "cv"}) {
    json e = {{"name", absl::StrCat(run_name, "_", aggregate)},
              {"run_name", run_name},
              {"run_type", "aggregate"},
              {"aggregate_name", aggregate},
              {"aggregate_unit", std::string(aggregate) == "cv" ? "percentage" : "time"},
              {"repetitions", planned},
              {"iterations", repetitions.size()}};
    for (const char* key : {"family_index", "per_family_instance_index", "threads", "time_unit"}) {
      if (first.contains(key)) e[key] = first[key];
    }
    for (const auto& [key, v] : values) {
      if (v.size() != repetitions.size()) continue;  // not in every repetition
      const double n = static_cast<double>(v.size());
      double mean = 0;
      for (double x : v) mean += x / n;
      double ss = 0;
      for (double x : v) ss += (x - mean) * (x - mean);
      const double stddev = std::sqrt(ss / (n - 1));
      const std::string name = aggregate;
      if (name == "mean") {
        e[key] = mean;
      } else if (name == "median") {
        e[key] = Median(v);
      } else if (name == "stddev") {
        e[key] = stddev;
      } else if (mean != 0) {
        e[key] = stddev / mean;
      } else {
        e[key] = nullptr;
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

SweepOutput::SweepOutput(fs::path dir, json manifest, int repetitions)
    : dir_(std::move(dir)), manifest_(std::move(manifest)), repetitions_(repetitions) {
  manifest_["files"] = json::object();
  manifest_["failed"] = json::array();
  manifest_["hung"] = json::array();
  manifest_["missing"] = json::array();
}

bool SweepOutput::Add(int index, const PlannedCase& planned, ChildResult result,
                      const RepetitionInfo& info) {
  if (!contexts_.count(planned.cores) && !result.context.is_null() && !result.context.empty()) {
    contexts_[planned.cores] = result.context;
    // Each child ran one repetition; the file holds the sweep's rounds.
    contexts_[planned.cores]["repetitions"] = absl::StrCat(repetitions_);
  }
  bool ok = true;
  switch (result.outcome) {
    case ChildResult::kOk:
      break;
    case ChildResult::kFailed:
    case ChildResult::kCrashed:
      manifest_["failed"].push_back(planned.tag);
      ok = false;
      break;
    case ChildResult::kHung:
      manifest_["hung"].push_back(planned.tag);
      ok = false;
      break;
    case ChildResult::kMissing:
      manifest_["missing"].push_back(planned.tag);
      return false;
  }
  const std::string name = planned.spec.name + kBenchmarkNameSuffix;
  if (result.outcome == ChildResult::kHung || result.outcome == ChildResult::kCrashed) {
    const std::string message = planned.spec.name + ": " + result.detail;
    result.benchmarks = json::array({{{"name", name},
                                      {"run_name", name},
                                      {"run_type", "iteration"},
                                      {"error_occurred", true},
                                      {"error_message", message}}});
  }
  for (json& b : result.benchmarks) {
    if (b.value("run_type", "iteration") != "iteration") continue;
    b["repetitions"] = repetitions_;
    b["repetition_index"] = info.round;
    b["round"] = info.round;
    b["position"] = info.position;
    b["probe_before"] = info.probe_before;
    b["probe_after"] = info.probe_after;
    b["steal_ms"] = info.steal_ms;
    b["irq_ms"] = info.irq_ms;
    entries_[index].push_back(std::move(b));
  }
  return ok;
}

bool SweepOutput::Write(const std::vector<PlannedCase>& plan, int rounds_done, double seconds) {
  std::map<int, json> files;  // by cores
  for (size_t i = 0; i < plan.size(); ++i) {
    const int cores = plan[i].cores;
    json& file = files[cores];
    if (file.is_null()) {
      file = {{"context", contexts_.count(cores) ? contexts_[cores]
                                                 : json{{"harness_cores", absl::StrCat(cores)}}},
              {"benchmarks", json::array()}};
      for (const auto& [key, value] : extra_context_[cores]) file["context"][key] = value;
    }
    auto it = entries_.find(static_cast<int>(i));
    if (it == entries_.end()) continue;
    std::vector<json> reps = it->second;
    std::sort(reps.begin(), reps.end(), [](const json& a, const json& b) {
      return a.value("round", 0) < b.value("round", 0);
    });
    for (const json& r : reps) file["benchmarks"].push_back(r);
    for (json& a : Aggregates(reps, repetitions_)) file["benchmarks"].push_back(std::move(a));
  }
  for (auto& [cores, file] : files) {
    const std::string name = absl::StrCat("cores-", cores, ".json");
    if (absl::Status st = WriteAtomically(dir_ / name, file.dump(2) + "\n"); !st.ok()) {
      std::cerr << "harness: " << st.message() << "\n";
      return false;
    }
    manifest_["files"][absl::StrCat(cores)] = name;
  }
  manifest_["rounds_done"] = rounds_done;
  manifest_["seconds"] = seconds;
  if (absl::Status st = WriteAtomically(dir_ / "manifest.json", manifest_.dump(2) + "\n");
      !st.ok()) {
    std::cerr << "harness: " << st.message() << "\n";
    return false;
  }
  return true;
}

}  // namespace harness::cli
