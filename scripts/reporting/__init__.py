"""Reporting for the concurrency harness: turns result folders into reports.

Modules, one purpose each:

- ``names``       parse benchmark names (``scenario/strategy/k:v/.../workers:n``)
- ``load``        read and validate run folders (docs/results-format.md)
- ``stats``       medians, spread, noise (CV and bimodality), Mann-Whitney U
- ``fit``         Amdahl and Universal Scalability Law fits
- ``analysis``    per scenario group: scaling, speedup, efficiency, ranking
- ``document``    the report as a list of renderer-neutral blocks
- ``build``       analysis -> document blocks
- ``charts``      matplotlib charts as inline SVG text
- ``render_md``, ``render_html``, ``render_csv``  the three outputs
- ``outputs``     atomic file writes
- ``report_cli``  ``scripts/report``;  ``compare``  ``scripts/compare``
"""
