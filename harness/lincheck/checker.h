// Copyright: the concurrency-harness authors.
//
// Check(model, history): is a complete concurrent history (history.h)
// linearizable with respect to a sequential specification (`model`)?
//
//   ChannelModel model(ChannelModel::Mpsc(/*capacity=*/1, /*senders=*/2));
//   CheckResult r = Check(model, history);
//   if (!r.linearizable()) std::cerr << FormatFailure(model, history, r);
//
// A history is linearizable (Herlihy & Wing 1990) if every operation can be
// given one instant between its invocation and its response such that the
// operations, run one at a time in the order of those instants, are a legal
// run of the sequential model that returns exactly the recorded results.
//
// Algorithm: the Wing & Gong (1993) search as refined by Lowe (2017,
// "Testing for linearizability") and used by Porcupine: walk the call/return
// events in time order; at a call, try to linearize that operation now (the
// model accepts the call with the recorded result); at a return whose
// operation is not yet linearized, backtrack. Memoisation: a configuration
// (set of linearized operations, model state) that was reached before is not
// explored again, which turns the search from factorial into, in practice,
// linear-ish in the number of operations for the short histories used here.
//
// Partitioning (P-compositionality): operations on different objects
// (Operation::object) are checked separately. This is sound and complete by
// Herlihy–Wing locality: a history is linearizable iff every per-object
// sub-history is. Within one FIFO queue no finer partition is used: splitting
// by producer or by value is NOT sound for a queue (p1 sends a, p2 then sends
// b, the receiver gets b before a: each producer's projection is
// linearizable, the whole is not), so one channel is one search.
//
// The model (any type; see channel_model.h for one):
//   using Call = ...;  using Ret = ...;
//   using State = ...;   // copyable, equality-comparable, hashable with
//                        // absl::Hash (AbslHashValue or standard types)
//   State Init() const;
//   // The state after `call` returning `ret` in `state`, or std::nullopt if
//   // the sequential object could not return `ret` there (including: the
//   // call would still be blocked there).
//   std::optional<State> Step(const State&, const Call&, const Ret&) const;
//   std::string Describe(const Call&, const Ret&) const;  // "send(3) -> ok"
//
// Time stamps should be unique; on a tie a response sorts before an
// invocation (the earlier operation counts as preceding the later one).
//
// Thread safety: Check is a pure function of its arguments.
#ifndef HARNESS_LINCHECK_CHECKER_H_
#define HARNESS_LINCHECK_CHECKER_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "harness/lincheck/history.h"

namespace harness::lincheck {

enum class Verdict {
  kLinearizable,
  kNotLinearizable,
  kUnknown,  // the search ran past CheckOptions::max_steps
};

struct CheckOptions {
  // Upper bound on search steps per object (a step = one attempt to
  // linearize an operation); past it the verdict is kUnknown.
  uint64_t max_steps = 50'000'000;
};

struct CheckResult {
  Verdict verdict = Verdict::kLinearizable;
  // For kNotLinearizable / kUnknown: the object whose sub-history failed, and
  // the longest sequence of its operations (indices into the history, in
  // linearization order) that the search could linearize. The operation that
  // could not follow it is among the ones not in it whose call came before
  // the earliest unlinearized return.
  int object = 0;
  std::vector<size_t> longest_prefix;
  uint64_t steps = 0;  // search steps over all objects

  bool linearizable() const { return verdict == Verdict::kLinearizable; }
};

namespace checker_internal {

// A set of operation indices.
class Bits {
 public:
  explicit Bits(size_t n) : words_((n + 63) / 64, 0) {}
  void Set(size_t i) { words_[i / 64] |= uint64_t{1} << (i % 64); }
  void Clear(size_t i) { words_[i / 64] &= ~(uint64_t{1} << (i % 64)); }
  bool operator==(const Bits&) const = default;
  template <typename H>
  friend H AbslHashValue(H h, const Bits& b) {
    return H::combine(std::move(h), b.words_);
  }

 private:
  std::vector<uint64_t> words_;
};

struct Node {
  size_t op = 0;  // index into the sub-history
  bool is_call = false;
  Node* match = nullptr;  // a call's return node
  Node* prev = nullptr;
  Node* next = nullptr;
};

// Removes a call and its return from the event list (it is linearized).
inline void Lift(Node* call) {
  call->prev->next = call->next;
  if (call->next != nullptr) call->next->prev = call->prev;
  Node* ret = call->match;
  ret->prev->next = ret->next;
  if (ret->next != nullptr) ret->next->prev = ret->prev;
}

// Undoes Lift(call) (in the reverse order).
inline void Unlift(Node* call) {
  Node* ret = call->match;
  ret->prev->next = ret;
  if (ret->next != nullptr) ret->next->prev = ret;
  call->prev->next = call;
  if (call->next != nullptr) call->next->prev = call;
}

// Checks one object's operations (`ops` index into `history`).
template <typename Model, typename Call, typename Ret>
Verdict CheckObject(const Model& model, const History<Call, Ret>& history,
                    const std::vector<size_t>& ops, const CheckOptions& options,
                    std::vector<size_t>& longest_prefix, uint64_t& steps) {
  using State = typename Model::State;
  const size_t n = ops.size();
  // Events: 2 per operation, sorted by time (responses first on ties).
  std::vector<Node> nodes(2 * n);
  std::vector<Node*> events;
  events.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    Node& call = nodes[2 * i];
    Node& ret = nodes[2 * i + 1];
    call.op = i;
    call.is_call = true;
    call.match = &ret;
    ret.op = i;
    events.push_back(&call);
    events.push_back(&ret);
  }
  auto time = [&](const Node* e) {
    const auto& op = history[ops[e->op]];
    return e->is_call ? op.invoke : op.response;
  };
  std::sort(events.begin(), events.end(), [&](const Node* a, const Node* b) {
    const uint64_t ta = time(a), tb = time(b);
    if (ta != tb) return ta < tb;
    return !a->is_call && b->is_call;
  });
  Node head;
  Node* prev = &head;
  for (Node* e : events) {
    prev->next = e;
    e->prev = prev;
    prev = e;
  }

  struct Frame {
    Node* call;
    State before;
  };
  std::vector<Frame> stack;
  Bits linearized(n);
  absl::flat_hash_set<std::pair<Bits, State>> seen;
  State state = model.Init();
  Node* entry = head.next;
  while (head.next != nullptr) {
    if (entry->is_call) {
      if (++steps > options.max_steps) return Verdict::kUnknown;
      const auto& op = history[ops[entry->op]];
      std::optional<State> next = model.Step(state, op.call, op.ret);
      if (next.has_value()) {
        linearized.Set(entry->op);
        if (seen.insert({linearized, *next}).second) {
          stack.push_back(Frame{entry, std::move(state)});
          state = std::move(*next);
          Lift(entry);
          if (stack.size() > longest_prefix.size()) {
            longest_prefix.clear();
            for (const Frame& f : stack) longest_prefix.push_back(ops[f.call->op]);
          }
          entry = head.next;
          continue;
        }
        linearized.Clear(entry->op);
      }
      entry = entry->next;
    } else {
      // A return whose operation is not linearized: every order tried from
      // here failed; undo the last choice and try the next candidate.
      if (stack.empty()) return Verdict::kNotLinearizable;
      Frame top = std::move(stack.back());
      stack.pop_back();
      linearized.Clear(top.call->op);
      state = std::move(top.before);
      Unlift(top.call);
      entry = top.call->next;
    }
  }
  return Verdict::kLinearizable;
}

}  // namespace checker_internal

template <typename Model, typename Call, typename Ret>
CheckResult Check(const Model& model, const History<Call, Ret>& history,
                  const CheckOptions& options = {}) {
  std::map<int, std::vector<size_t>> by_object;
  for (size_t i = 0; i < history.size(); ++i) by_object[history[i].object].push_back(i);
  CheckResult result;
  for (const auto& [object, ops] : by_object) {
    std::vector<size_t> prefix;
    const Verdict v =
        checker_internal::CheckObject(model, history, ops, options, prefix, result.steps);
    if (v != Verdict::kLinearizable) {
      result.verdict = v;
      result.object = object;
      result.longest_prefix = std::move(prefix);
      return result;
    }
  }
  return result;
}

}  // namespace harness::lincheck

#endif  // HARNESS_LINCHECK_CHECKER_H_
