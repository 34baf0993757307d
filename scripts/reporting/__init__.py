"""Reporting for the concurrency harness: turns result folders into reports.

Modules, one purpose each:

- ``names``       parse benchmark names (``scenario/strategy/k:v/.../workers:n``)
- ``load``        read and validate run folders (docs/results-format.md)
- ``stats``       medians, spread, noise (CV and bimodality)
- ``meta``        strategy metadata: fixed baseline, ignored parameters, role
- ``ci``          CIs of medians and of ratios (paired by round: Student's t; else bootstrap)
- ``verdict``     faster/slower/same/noisy, and the winner-or-tie rule
- ``derived``     speedup vs the baseline, Karp-Flatt in its domain, 1-worker overhead
- ``probe``       machine-state probe: states, straddling results
- ``detection``   detection power: controls caught (races/detectors/explore.json)
- ``summary``     the report's first screen: the answer matrix and heatmap
- ``families``    the Rust originals: "Rust original" marks, best C++ / best Rust table
- ``calibrate``   simulated false-alarm rate and power of the verdicts
- ``gate``        compare's exit gate (Holm's correction over paired cases)
- ``yardstick``   issue #13's runtime-vs-references pairs, measured and tabled
- ``fit``         Amdahl and Universal Scalability Law fits
- ``analysis``    per scenario group: cases, trust marks, wait-vs-cpu
- ``document``    the report as a list of renderer-neutral blocks
- ``build``       analysis -> document blocks (with ``build_group``, ``build_run``, ``cells``)
- ``charts``      matplotlib charts as inline SVG text
- ``render_md``, ``render_html``, ``render_csv``  the three outputs
- ``outputs``     atomic file writes
- ``report_cli``  ``scripts/report``;  ``compare``  ``scripts/compare``
"""
