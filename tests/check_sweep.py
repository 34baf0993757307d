"""Checks a sweep's result folder: every file present and valid JSON, the run
context naming clang 19 and the preset, every case checked, none in error.

Usage: check_sweep.py RUN_DIR PRESET CORES(e.g. 1,2)
"""
import json
import os
import sys


def fail(message):
    print(f"check_sweep: FAIL: {message}")
    sys.exit(1)


def main():
    run_dir, preset, cores = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    manifest = json.load(open(os.path.join(run_dir, "manifest.json")))
    if manifest.get("failed") or manifest.get("hung"):
        fail(f"failed {manifest.get('failed')} hung {manifest.get('hung')}")
    if sorted(str(c) for c in manifest["cores"]) != sorted(cores):
        fail(f"manifest cores {manifest['cores']} != {cores}")
    checks = 0
    for c in cores:
        data = json.load(open(os.path.join(run_dir, f"cores-{c}.json")))
        ctx = data["context"]
        if not ctx.get("compiler", "").startswith("clang 19"):
            fail(f"cores-{c}.json: compiler is {ctx.get('compiler')!r}, not clang 19")
        if ctx.get("preset") != preset:
            fail(f"cores-{c}.json: preset is {ctx.get('preset')!r}, not {preset!r}")
        if ctx.get("harness_cores") != c:
            fail(f"cores-{c}.json: harness_cores is {ctx.get('harness_cores')!r}")
        for key in ("build_flags", "sanitizer", "git_commit", "cpu_model", "allowed_cpus", "kernel"):
            if not ctx.get(key):
                fail(f"cores-{c}.json: context has no {key}")
        runs = [b for b in data["benchmarks"] if b.get("run_type") == "iteration"]
        if not runs:
            fail(f"cores-{c}.json has no runs")
        for b in runs:
            name = b["name"]
            if b.get("error_occurred"):
                fail(f"{name}: {b.get('error_message')}")
            if not name.endswith(f"/workers:{b['workers']:.0f}/process_time/manual_time"):
                fail(f"{name}: name does not end with its workers")
            if b["checked_runs"] != b["iterations"] or b["iterations"] < 1:
                fail(f"{name}: {b['checked_runs']} checked of {b['iterations']} runs")
            if not b["items_per_second"] > 0:
                fail(f"{name}: items_per_second {b['items_per_second']}")
            checks += 1
    print(f"check_sweep: {checks} repetitions over cores {','.join(cores)} checked: ok")


if __name__ == "__main__":
    main()
