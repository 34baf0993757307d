"""Issue #13's yardstick table (reporting.yardstick): pairs, best-of, paired ratios."""
import unittest
from types import SimpleNamespace

from .helpers import SCRIPTS, call  # noqa: F401  (puts the package on sys.path)
from reporting import yardstick


def _samples(scenario, strategy, cores, rates):
    case = SimpleNamespace(scenario=scenario, strategy=strategy, workers=cores)
    return [SimpleNamespace(case=case, cores=cores, error=None, throughput=r, round=i) for i, r in enumerate(rates)]


class YardstickTest(unittest.TestCase):
    def test_pairs_pick_the_best_of_ours_and_pair_by_round(self):
        state = (1.0, 0.6, 1.0, 0.6, 1.0)  # a machine-state flip shared by every case of a round
        a = []
        a += _samples("actor_ping", "coroutines", 1, [30 * s for s in state])
        a += _samples("actor_ping", "actor_pool", 1, [10 * s for s in state])
        a += _samples("actor_ping", "rust_tokio", 1, [15 * s * j for s, j in zip(state, (1.0, 1.01, 0.99, 1.0, 1.0))])
        a += _samples("actor_ping", "caf", 1, [3 * s for s in state])
        runs = {"a": SimpleNamespace(samples=a), "b": SimpleNamespace(samples=[])}
        table = {(r[0], r[1]): r for r in yardstick.rows(runs)}
        label, cores, best, iv, ours, theirs = table[("best actor vs Tokio actor, 1 actor, 100k asks", 1)]
        self.assertEqual(best, "coroutines")
        self.assertAlmostEqual(iv.estimate, 2.0, delta=0.02)
        self.assertLess(iv.hi - iv.lo, 0.05)  # the flips cancel in the per-round ratios
        self.assertAlmostEqual(table[("best actor vs CAF, 1 actor (no regression)", 1)][3].estimate, 10.0)
        self.assertIn(
            "| best actor vs Tokio actor, 1 actor, 100k asks | 1 | coroutines | **2.00**",
            yardstick.render(yardstick.rows(runs)),
        )

    def test_bad_input_exits_2_with_one_line(self):
        rc, _, err = call(yardstick.main, ["--analyse", "/nonexistent/yardstick"])
        self.assertEqual(rc, 2)
        self.assertEqual(len(err.strip().splitlines()), 1)
        rc, _, err = call(yardstick.main, ["--repetitions", "3"])
        self.assertEqual(rc, 2)


if __name__ == "__main__":
    unittest.main()
