"""The Rust originals' marking and the best C++ / best Rust ratio (families.py)."""
from __future__ import annotations

import unittest
from types import SimpleNamespace

from . import helpers  # noqa: F401  (puts scripts/ on sys.path)
from reporting import families


def _group(medians, meta):
    """A stand-in group: medians {strategy: {cores: median or 'ERR'}}."""
    run = SimpleNamespace(strategy_meta={f"s/{k}": v for k, v in meta.items()})

    def main(s, p):
        m = medians.get(s, {}).get(p)
        if m is None:
            return None
        return SimpleNamespace(error="boom" if m == "ERR" else None, median=None if m == "ERR" else m)

    return SimpleNamespace(
        run=run, scenario="s", title="s", host="h", cores=[1, 2], throughput_strategies=sorted(medians), main=main
    )


class FamiliesTest(unittest.TestCase):
    def test_mark_uses_metadata_then_prefix(self):
        g = _group({}, {"rust_x": {"family": "rust"}, "rust_y": {"family": "cpp"}, "a": {}})
        self.assertEqual(families.mark(g.run, "s", "rust_x"), "rust_x (Rust original)")
        self.assertEqual(families.mark(g.run, "s", "rust_y"), "rust_y")  # metadata wins
        self.assertEqual(families.mark(g.run, "s", "a"), "a")
        self.assertEqual(families.mark(g.run, "s", "rust_z"), "rust_z (Rust original)")  # no metadata

    def test_ratio_is_best_cpp_over_best_rust(self):
        g = _group(
            {"a": {1: 10.0, 2: 30.0}, "b": {1: 20.0, 2: "ERR"}, "rust_r": {1: 40.0, 2: 15.0}, "rust_q": {1: 8.0}},
            {
                "a": {"family": "cpp"},
                "b": {"family": "cpp"},
                "rust_r": {"family": "rust"},
                "rust_q": {"family": "rust"},
            },
        )
        self.assertEqual(families.ratio_cell(g, 1).text, "**0.50x** (b / rust_r)")
        self.assertEqual(families.ratio_cell(g, 2).text, "**2.00x** (a / rust_r)")  # b failed: left out

    def test_baseline_is_not_the_best_cpp(self):
        g = _group(
            {"sequential": {1: 100.0}, "a": {1: 10.0}, "rust_r": {1: 20.0}},
            {"sequential": {"family": "cpp", "baseline": True}, "a": {"family": "cpp"}, "rust_r": {"family": "rust"}},
        )
        self.assertEqual(families.ratio_cell(g, 1).text, "**0.50x** (a / rust_r)")

    def test_ratio_carries_its_paired_interval(self):
        def case(rate, jitter):
            samples = [
                SimpleNamespace(throughput=rate * (0.6 if r % 2 else 1.0) * j, round=r, error=None)
                for r, j in enumerate(jitter)
            ]
            return SimpleNamespace(error=None, median=rate, samples=samples)

        cases = {"a": case(20.0, (1.00, 1.01, 0.99, 1.00, 1.02)), "rust_r": case(10.0, (1.01, 1.00, 1.00, 0.99, 1.00))}
        run = SimpleNamespace(strategy_meta={"s/a": {"family": "cpp"}, "s/rust_r": {"family": "rust"}})
        g = SimpleNamespace(
            run=run,
            scenario="s",
            title="s",
            host="h",
            cores=[1],
            throughput_strategies=sorted(cases),
            main=lambda s, p: cases[s],
        )
        cell = families.ratio_cell(g, 1)
        self.assertRegex(cell.text, r"^\*\*2\.0\dx\*\* \[1\.9\dx, 2\.0\dx\] \(a / rust_r\)$")
        self.assertEqual(cell.style, "good")  # the whole interval above 1

    def test_missing_family_is_named(self):
        g = _group({"a": {1: 1.0}}, {"a": {"family": "cpp"}})
        self.assertEqual(families.ratio_cell(g, 1).text, "no Rust result")
        self.assertEqual(families.blocks([g], [1], False), [])
        g = _group({"rust_r": {1: 1.0}}, {"rust_r": {"family": "rust"}})
        self.assertEqual(families.ratio_cell(g, 1).text, "no C++ result")
        self.assertEqual(len(families.blocks([g], [1], False)), 3)


if __name__ == "__main__":
    unittest.main()
