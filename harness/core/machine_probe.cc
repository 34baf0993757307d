#include "harness/core/machine_probe.h"

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace harness {
namespace {

bool PinThisThread(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0;
}

}  // namespace

absl::StatusOr<ProcStat> ParseProcStat(std::string_view text) {
  ProcStat stat;
  for (std::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::StartsWith(line, "cpu") || line.size() < 4 ||
        !absl::ascii_isdigit(static_cast<unsigned char>(line[3]))) {
      continue;
    }
    std::vector<std::string_view> fields = absl::StrSplit(line, ' ', absl::SkipEmpty());
    int cpu = 0;
    // Fields: cpuN user nice system idle iowait irq softirq steal [guest ...]
    if (fields.size() < 9 || !absl::SimpleAtoi(fields[0].substr(3), &cpu)) {
      return absl::InvalidArgumentError(absl::StrCat("/proc/stat: malformed line '", line, "'"));
    }
    int64_t v[8];
    for (int i = 0; i < 8; ++i) {
      if (!absl::SimpleAtoi(fields[i + 1], &v[i]) || v[i] < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("/proc/stat: bad number '", fields[i + 1], "' in '", line, "'"));
      }
    }
    stat[cpu] = CpuTicks{.irq = v[5], .softirq = v[6], .steal = v[7]};
  }
  return stat;
}

ProcStat ReadProcStat() {
  std::ifstream in("/proc/stat");
  if (!in) return {};
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = ParseProcStat(text.str());
  return parsed.ok() ? *std::move(parsed) : ProcStat{};
}

std::optional<StealIrq> StealIrqBetween(const ProcStat& before, const ProcStat& after,
                                        const std::vector<int>& cpus) {
  static const double ms_per_tick = 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  StealIrq result;
  for (int cpu : cpus) {
    auto b = before.find(cpu), a = after.find(cpu);
    if (b == before.end() || a == after.end()) return std::nullopt;
    result.steal_ms += static_cast<double>(a->second.steal - b->second.steal) * ms_per_tick;
    result.irq_ms +=
        static_cast<double>(a->second.irq + a->second.softirq - b->second.irq - b->second.softirq) *
        ms_per_tick;
  }
  return result;
}

RoundTrip MeasureRoundTrip(int cpu_a, int cpu_b, int trips, int64_t budget_ns) {
  // Memory ordering: `token` is the only shared state. A writes 2k+1 (a
  // ping) and spins until it reads 2k+2 (B's pong); B spins until it reads
  // 2k+1 and writes 2k+2. Release/acquire is enough: nothing but the token
  // itself is communicated, and each side only waits for the other's next
  // value. `stop` (relaxed is enough: it only ends B's spin, and B re-checks
  // it every spin) tells B that A has given up or finished.
  std::atomic<int64_t> token{0};
  std::atomic<bool> stop{false};
  std::atomic<bool> b_ready{false};
  std::vector<int64_t> samples;
  samples.reserve(static_cast<size_t>(std::max(trips, 0)));
  bool pinned_b = true;
  std::thread b([&] {
    pinned_b = PinThisThread(cpu_b);
    b_ready.store(true, std::memory_order_release);
    int64_t expect = 1;
    while (!stop.load(std::memory_order_relaxed)) {
      if (token.load(std::memory_order_acquire) == expect) {
        token.store(expect + 1, std::memory_order_release);
        expect += 2;
      }
    }
  });
  // A runs on a helper thread too, so that the caller's affinity is kept.
  std::thread a([&] {
    if (!PinThisThread(cpu_a)) return;
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + std::chrono::nanoseconds(budget_ns);
    while (!b_ready.load(std::memory_order_acquire)) {
      if (std::chrono::steady_clock::now() > deadline) return;
    }
    int64_t value = 1;
    for (int i = 0; i < trips; ++i, value += 2) {
      const auto t0 = std::chrono::steady_clock::now();
      if (t0 > deadline) break;
      token.store(value, std::memory_order_release);
      bool answered = true;
      // The clock is read every 1024 spins only, so that it barely adds to
      // the trip it measures.
      for (uint32_t spins = 1; token.load(std::memory_order_acquire) != value + 1; ++spins) {
        if (spins % 1024 == 0 && std::chrono::steady_clock::now() > deadline) {
          answered = false;
          break;
        }
      }
      if (!answered) break;
      const auto t1 = std::chrono::steady_clock::now();
      samples.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
    }
  });
  a.join();
  stop.store(true, std::memory_order_relaxed);
  b.join();
  RoundTrip result;
  if (!pinned_b) return result;
  result.trips = static_cast<int>(samples.size());
  if (samples.empty()) return result;
  std::sort(samples.begin(), samples.end());
  const size_t n = samples.size();
  result.median_ns = n % 2 == 1 ? static_cast<double>(samples[n / 2])
                                : 0.5 * static_cast<double>(samples[n / 2 - 1] + samples[n / 2]);
  return result;
}

}  // namespace harness
