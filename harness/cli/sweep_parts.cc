#include "harness/cli/sweep_parts.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "harness/cli/atomic_file.h"

namespace harness::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kOutcomes[] = {"ok", "failed", "hung", "crashed", "missing"};

std::string PartName(int round, int index) {
  return absl::StrCat("r", round, "-i", index, ".json");
}

// The part file's JSON; null when it cannot be read or parsed.
json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace

fs::path PartsDir(const fs::path& dir) { return dir / "parts"; }

bool WritePart(const fs::path& dir, const PlannedCase& planned, int index,
               const ChildResult& result, const RepetitionInfo& info, double seconds) {
  const json part = {{"tag", planned.tag},
                     {"index", index},
                     {"round", info.round},
                     {"position", info.position},
                     {"seconds", seconds},
                     {"outcome", kOutcomes[result.outcome]},
                     {"detail", result.detail},
                     {"benchmarks", result.benchmarks},
                     {"context", result.context},
                     {"probe_before", info.probe_before},
                     {"probe_after", info.probe_after},
                     {"steal_ms", info.steal_ms},
                     {"irq_ms", info.irq_ms}};
  std::error_code ec;
  fs::create_directories(PartsDir(dir), ec);
  const fs::path path = PartsDir(dir) / PartName(info.round, index);
  if (ec) {
    std::cerr << "harness: cannot create " << PartsDir(dir).string() << ": " << ec.message()
              << "\n";
    return false;
  }
  if (absl::Status st = WriteAtomically(path, part.dump() + "\n"); !st.ok()) {
    std::cerr << "harness: " << st.message() << "\n";
    return false;
  }
  return true;
}

std::vector<Part> ReadParts(const fs::path& dir, const std::vector<PlannedCase>& plan, int rounds,
                            int* removed) {
  std::vector<Part> parts;
  std::vector<std::pair<int, int>> order;  // (round, position) per part
  *removed = 0;
  std::error_code ec;
  // The result of a child that was running when the sweep died.
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (absl::StartsWith(e.path().filename().string(), ".case-")) fs::remove(e.path(), ec);
  }
  if (!fs::is_directory(PartsDir(dir))) return parts;
  for (const auto& e : fs::directory_iterator(PartsDir(dir), ec)) {
    const json j = ReadJson(e.path());
    Part p;
    bool ok = j.is_object() && j.value("index", -1) >= 0 &&
              static_cast<size_t>(j.value("index", -1)) < plan.size() &&
              j.value("round", -1) >= 0 && j.value("round", -1) < rounds &&
              j.value("tag", "") == plan[static_cast<size_t>(j.value("index", 0))].tag &&
              e.path().filename() == PartName(j.value("round", 0), j.value("index", 0)) &&
              j.contains("benchmarks") && j["benchmarks"].is_array();
    if (ok) {
      p.index = j["index"];
      p.round = j["round"];
      p.seconds = j.value("seconds", 0.0);
      const std::string outcome = j.value("outcome", "");
      const auto* it = std::find(std::begin(kOutcomes), std::end(kOutcomes), outcome);
      ok = it != std::end(kOutcomes);
      if (ok) p.result.outcome = static_cast<ChildResult::Outcome>(it - std::begin(kOutcomes));
      p.result.detail = j.value("detail", "");
      p.result.benchmarks = j["benchmarks"];
      p.result.context = j.value("context", json());
      p.info = {.round = p.round,
                .position = j.value("position", 0),
                .probe_before = j.value("probe_before", json()),
                .probe_after = j.value("probe_after", json()),
                .steal_ms = j.value("steal_ms", json()),
                .irq_ms = j.value("irq_ms", json())};
    }
    if (!ok) {  // a leftover temporary file, or not a part of this plan
      fs::remove(e.path(), ec);
      ++*removed;
      continue;
    }
    parts.push_back(std::move(p));
  }
  std::sort(parts.begin(), parts.end(), [](const Part& a, const Part& b) {
    return std::pair(a.round, a.info.position) < std::pair(b.round, b.info.position);
  });
  return parts;
}

std::map<std::string, double> SecondsByTag(const fs::path& dir) {
  std::map<std::string, std::pair<double, int>> sums;
  std::error_code ec;
  if (!fs::is_directory(PartsDir(dir))) return {};
  for (const auto& e : fs::directory_iterator(PartsDir(dir), ec)) {
    const json j = ReadJson(e.path());
    if (!j.is_object() || !j.contains("tag") || !j["tag"].is_string() || !j.contains("seconds") ||
        !j["seconds"].is_number()) {
      continue;
    }
    auto& [sum, n] = sums[j["tag"].get<std::string>()];
    sum += j["seconds"].get<double>();
    ++n;
  }
  std::map<std::string, double> out;
  for (const auto& [tag, s] : sums) out[tag] = s.first / s.second;
  return out;
}

}  // namespace harness::cli
