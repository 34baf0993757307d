// Copyright: the concurrency-harness authors.
//
// Readable renderings of histories and checker failures.
//
//   std::cout << FormatHistory(model, history, names);
//   std::cout << FormatFailure(model, history, result, names);
//
// FormatHistory prints one line per operation, ordered by invocation, with
// its thread, its interval in renumbered time (0, 1, 2, ... over all call and
// return events, so intervals are easy to compare: A precedes B iff A's end <
// B's start) and `model.Describe(call, ret)`:
//
//      start  end  thread       operation
//          0    3  producer 0   send(100) -> ok
//          1    2  receiver     try_recv -> empty
//
// FormatFailure adds the verdict and the longest prefix the search could
// linearize. `thread_name` maps a thread id to a label (default "t<id>").
#ifndef HARNESS_LINCHECK_FORMAT_H_
#define HARNESS_LINCHECK_FORMAT_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/lincheck/checker.h"
#include "harness/lincheck/history.h"

namespace harness::lincheck {

using ThreadNamer = std::function<std::string(int thread)>;

inline std::string DefaultThreadName(int thread) { return absl::StrCat("t", thread); }

template <typename Model, typename Call, typename Ret>
std::string FormatHistory(const Model& model, const History<Call, Ret>& history,
                          const ThreadNamer& thread_name = DefaultThreadName) {
  std::vector<uint64_t> stamps;
  for (const auto& op : history) {
    stamps.push_back(op.invoke);
    stamps.push_back(op.response);
  }
  std::sort(stamps.begin(), stamps.end());
  auto renumber = [&](uint64_t t) {
    return std::lower_bound(stamps.begin(), stamps.end(), t) - stamps.begin();
  };
  std::vector<size_t> order(history.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return history[a].invoke < history[b].invoke; });
  bool several_objects = false;
  for (const auto& op : history) several_objects |= op.object != history.front().object;
  std::string out = absl::StrFormat("  %5s %4s  %-12s %s\n", "start", "end", "thread",
                                    several_objects ? "object: operation" : "operation");
  for (size_t i : order) {
    const auto& op = history[i];
    const std::string what = several_objects
                                 ? absl::StrCat(op.object, ": ", model.Describe(op.call, op.ret))
                                 : model.Describe(op.call, op.ret);
    absl::StrAppendFormat(&out, "  %5d %4d  %-12s %s\n", renumber(op.invoke), renumber(op.response),
                          thread_name(op.thread), what);
  }
  return out;
}

template <typename Model, typename Call, typename Ret>
std::string FormatFailure(const Model& model, const History<Call, Ret>& history,
                          const CheckResult& result,
                          const ThreadNamer& thread_name = DefaultThreadName) {
  std::string out;
  switch (result.verdict) {
    case Verdict::kLinearizable:
      absl::StrAppend(&out, "linearizable (", history.size(), " operations)\n");
      break;
    case Verdict::kNotLinearizable:
      absl::StrAppend(&out, "NOT linearizable (", history.size(), " operations, object ",
                      result.object, ", ", result.steps, " search steps):\n");
      break;
    case Verdict::kUnknown:
      absl::StrAppend(&out, "UNKNOWN: search budget exhausted after ", result.steps, " steps (",
                      history.size(), " operations, object ", result.object, "):\n");
      break;
  }
  absl::StrAppend(&out, FormatHistory(model, history, thread_name));
  if (result.verdict != Verdict::kLinearizable) {
    absl::StrAppend(&out, "  longest linearizable prefix (", result.longest_prefix.size(),
                    " operations):");
    if (result.longest_prefix.empty()) absl::StrAppend(&out, " none");
    for (size_t i : result.longest_prefix) {
      absl::StrAppend(&out, "\n    ", thread_name(history[i].thread), ": ",
                      model.Describe(history[i].call, history[i].ret));
    }
    absl::StrAppend(&out, "\n");
  }
  return out;
}

}  // namespace harness::lincheck

#endif  // HARNESS_LINCHECK_FORMAT_H_
