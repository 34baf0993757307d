#include "harness/cli/flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, filter, "",
          "regex searched in case names "
          "(<scenario>/<strategy>/<param>:<value>/.../workers:<n>); "
          "empty selects every case");
ABSL_FLAG(std::string, set, "",
          "parameter values, 'name=v[|v...],name2=v': replaces the defaults "
          "(e.g. --set 'increments=1000|100000')");
ABSL_FLAG(std::string, workers, "",
          "run: worker counts, e.g. 1,2,4 (default: the number of CPUs this "
          "process may use); explore: worker counts of the strategies (default 2,4)");
ABSL_FLAG(bool, quick, false, "use the scenarios' tiny sizes (smoke runs)");
ABSL_FLAG(int, repetitions, 0,
          "repetitions of each case (0: 1 for run, 5 for sweep, 2 with --quick)");
ABSL_FLAG(double, min_time, 0,
          "minimum seconds of timed runs per repetition (0: 0.1 for run, 0.05 for "
          "sweep, 0.01 with --quick)");
ABSL_FLAG(double, case_timeout, 300,
          "seconds one case may take (run: all its repetitions; sweep: each "
          "repetition) before it is reported as a hang");
ABSL_FLAG(bool, json, false, "list: print JSON instead of text");
ABSL_FLAG(bool, controls, false,
          "list, run: include the seeded races (controls of the sanitizer "
          "check; they exist only in the tsan build)");
ABSL_FLAG(int, tries, 5,
          "races: runs of each control (each in its own process); the count "
          "flagged is reported");
ABSL_FLAG(std::string, json_out, "",
          "races: also write the verdicts as JSON (races.json) to this file");
ABSL_FLAG(std::string, cores, "",
          "sweep: core counts, e.g. 1,2,4 (default: 1 .. the CPUs this "
          "process may use)");
ABSL_FLAG(std::string, oversubscribe, "",
          "sweep: worker multipliers beyond workers = cores, e.g. 2,4 runs "
          "workers = 2*cores and 4*cores too");
ABSL_FLAG(std::string, out, "",
          "sweep: result folder (default reports/<run-id>); explore: a JSON "
          "file for the verdicts (explore.json)");
ABSL_FLAG(bool, sweep_child, false, "internal: this run is one case of a sweep (quiet output)");
ABSL_FLAG(int, iterations, 200, "stress: cases to run");
ABSL_FLAG(uint64_t, seed, 0,
          "stress, explore: random seed (0: from the clock; printed either way); "
          "sweep: seed of the rounds' case order (0: random; printed and recorded)");
ABSL_FLAG(std::string, binary, "",
          "sweep: run the cases with this harness binary instead of this one "
          "(side A of a paired sweep; lets a new harness drive an old build)");
ABSL_FLAG(std::string, paired_binary, "",
          "sweep: a paired A/B sweep: every repetition also runs with this "
          "other harness binary (side B), in the same round, A/B order random");
ABSL_FLAG(std::string, paired_out, "", "sweep: side B's result folder (with --paired_binary)");
ABSL_FLAG(std::string, disable_detector, "",
          "test only (the necessity tests of `harness detectors`): switch off one "
          "detector, check|stress|watchdog|tsan|explore, so that its controls must be "
          "reported missed; run honours check, stress honours stress");
ABSL_FLAG(double, time_budget, 0,
          "races: seconds the whole run may take before it stops adding tries "
          "of the strategies (every control's tries and every strategy's first "
          "try always run); 0: the command's default, printed");
ABSL_FLAG(std::string, placement, "cores",
          "sweep: which CPUs n cores are (hwloc topology, inside the allowed CPUs): "
          "compact (fill a core's hardware threads first), cores (one thread per "
          "physical core first), spread (round-robin over sockets / NUMA nodes) or "
          "list:0,2,4 (exactly these, in order)");
ABSL_FLAG(std::string, shard, "",
          "sweep: i/n runs the i-th of n deterministic parts of the planned cases, "
          "balanced by expected time (see --shard_times)");
ABSL_FLAG(std::string, shard_times, "",
          "sweep: a previous sweep folder whose per-repetition times (parts/) "
          "estimate each case's time for --shard (default: every case the same)");
ABSL_FLAG(std::string, resume, "",
          "sweep: continue the sweep in this folder (same flags): repetitions "
          "recorded in DIR/parts are kept, the rest run");
