// Copyright: the concurrency-harness authors.
//
// ChannelProgram: what the driver threads of one channel history do
// (channel_driver.h runs it on a real channel; checker.h checks the history).
//
//   std::mt19937_64 rng(seed);
//   ChannelProgram p = RandomChannelProgram(rng, ProgramShape::Mpsc());
//   std::cout << Describe(p);
//
// A program is a list of threads, each a producer or a consumer with a short
// script of calls. Producer k's i-th send sends the value 100 * (k + 1) + i,
// so values are unique and their sender and order are readable. The driver
// appends each thread's ending, which the scripts never contain:
//   Mpsc (Channel, MutexChannel): a producer drops its Sender, the (single)
//     consumer drops the Receiver;
//   Explicit (AsyncChannel): the last producer to finish, and the last
//     consumer to finish, each call Close().
// These endings guarantee that every blocking call returns: a blocked recv
// needs a value or the close, and every producer ends by closing; a blocked
// bounded send needs room or a gone receiver / a close, and the consumers
// end by dropping the receiver / closing (a queue that is full is not empty,
// so consumers are never blocked at the same time as a sender).
#ifndef HARNESS_LINCHECK_CHANNEL_PROGRAM_H_
#define HARNESS_LINCHECK_CHANNEL_PROGRAM_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "harness/lincheck/channel_model.h"

namespace harness::lincheck {

enum class ChannelFlavour { kMpsc, kExplicit };

struct ThreadScript {
  bool producer = true;
  int id = 0;                    // producer k / consumer k; kept when shrinking drops threads
  std::vector<ChannelCall> ops;  // without the ending (see above)
};

struct ChannelProgram {
  ChannelFlavour flavour = ChannelFlavour::kMpsc;
  std::vector<ThreadScript> threads;
  uint64_t jitter_seed = 1;  // seeds the random pauses between calls

  int producers() const {
    int n = 0;
    for (const ThreadScript& t : threads) n += t.producer ? 1 : 0;
    return n;
  }
  int consumers() const { return static_cast<int>(threads.size()) - producers(); }
};

// The sizes and mix of random programs.
struct ProgramShape {
  ChannelFlavour flavour = ChannelFlavour::kMpsc;
  int min_producers = 1, max_producers = 3;
  int min_consumers = 1, max_consumers = 1;
  // Calls per thread, the ending included: 3-8.
  int min_ops = 3, max_ops = 8;
  bool try_recv = true;       // consumers may call try_recv
  bool recv_for = true;       // consumers may call recv_for
  int max_recv_for_us = 200;  // recv_for timeouts: 0 or 1..this
  int close_in_8 = 0;         // producers: chance x/8 per call of a close

  // Channel / MutexChannel: one receiver, all receive calls.
  static ProgramShape Mpsc() { return ProgramShape{}; }
  // AsyncChannel: only blocking recv, 1-2 consumers, explicit close.
  static ProgramShape Explicit() {
    ProgramShape s;
    s.flavour = ChannelFlavour::kExplicit;
    s.max_consumers = 2;
    s.try_recv = false;
    s.recv_for = false;
    s.close_in_8 = 1;
    return s;
  }
};

inline int SendValue(int producer, int index) { return 100 * (producer + 1) + index; }

inline ChannelProgram RandomChannelProgram(std::mt19937_64& rng, const ProgramShape& shape) {
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  ChannelProgram p;
  p.flavour = shape.flavour;
  p.jitter_seed = rng() | 1;
  const int producers = uniform(shape.min_producers, shape.max_producers);
  const int consumers = uniform(shape.min_consumers, shape.max_consumers);
  for (int k = 0; k < producers; ++k) {
    ThreadScript t;
    t.producer = true;
    t.id = k;
    const int n = uniform(shape.min_ops, shape.max_ops) - 1;
    int sent = 0;
    for (int i = 0; i < n; ++i) {
      if (shape.close_in_8 > 0 && uniform(0, 7) < shape.close_in_8) {
        t.ops.push_back({ChannelCallKind::kClose, 0});
      } else {
        t.ops.push_back({ChannelCallKind::kSend, SendValue(k, sent++)});
      }
    }
    p.threads.push_back(t);
  }
  for (int c = 0; c < consumers; ++c) {
    ThreadScript t;
    t.producer = false;
    t.id = c;
    const int n = uniform(shape.min_ops, shape.max_ops) - 1;
    for (int i = 0; i < n; ++i) {
      std::vector<ChannelCallKind> kinds = {ChannelCallKind::kRecv};
      if (shape.try_recv) kinds.push_back(ChannelCallKind::kTryRecv);
      if (shape.recv_for) kinds.push_back(ChannelCallKind::kRecvFor);
      const ChannelCallKind kind = kinds[uniform(0, static_cast<int>(kinds.size()) - 1)];
      // recv_for: half of them with a zero timeout (a timeout is then the
      // common outcome on an empty channel), the rest up to the maximum.
      const int arg = kind != ChannelCallKind::kRecvFor ? 0
                      : uniform(0, 1) == 0              ? 0
                                                        : uniform(1, shape.max_recv_for_us);
      t.ops.push_back({kind, arg});
    }
    p.threads.push_back(t);
  }
  return p;
}

// "producer 0", "producer 1", ..., "receiver" (Mpsc) / "consumer 0", ...
inline std::string ThreadName(const ChannelProgram& p, int thread) {
  const ThreadScript& t = p.threads[thread];
  if (t.producer) return absl::StrCat("producer ", t.id);
  if (p.flavour == ChannelFlavour::kMpsc) return "receiver";
  return absl::StrCat("consumer ", t.id);
}

// One line per thread: "producer 0: send(100) send(101)".
inline std::string Describe(const ChannelProgram& p) {
  std::string out;
  for (size_t i = 0; i < p.threads.size(); ++i) {
    absl::StrAppend(&out, "  ", ThreadName(p, static_cast<int>(i)), ":");
    for (const ChannelCall& c : p.threads[i].ops) {
      switch (c.kind) {
        case ChannelCallKind::kSend:
          absl::StrAppend(&out, " send(", c.value, ")");
          break;
        case ChannelCallKind::kRecv:
          absl::StrAppend(&out, " recv");
          break;
        case ChannelCallKind::kTryRecv:
          absl::StrAppend(&out, " try_recv");
          break;
        case ChannelCallKind::kRecvFor:
          absl::StrAppend(&out, " recv_for(", c.value, "us)");
          break;
        case ChannelCallKind::kClose:
          absl::StrAppend(&out, " close");
          break;
        case ChannelCallKind::kDropSender:
          absl::StrAppend(&out, " drop_sender");
          break;
        case ChannelCallKind::kDropReceiver:
          absl::StrAppend(&out, " drop_receiver");
          break;
      }
    }
    absl::StrAppend(&out, " (+ ending)\n");
  }
  return out;
}

}  // namespace harness::lincheck

#endif  // HARNESS_LINCHECK_CHANNEL_PROGRAM_H_
