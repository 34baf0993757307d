"""Tests of the reporting package (Python unittest).

Run: ``scripts/reporting/run_tests`` or
``/usr/bin/python3 -m unittest discover -s scripts/reporting/tests -t scripts``.
"""
import os
import sys

_SCRIPTS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if _SCRIPTS not in sys.path:
    sys.path.insert(0, _SCRIPTS)
