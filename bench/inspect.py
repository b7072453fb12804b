#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: `iwb inspect --format metadata FOLDER` against the floor,
`python3 -c "import main"` in the same folder (interpreter start + import of
the integration with the same runtime on PYTHONPATH). The last column also
gives the CPU time of `python3 -c "import lhub_integ"` alone: what the
runtime's import costs (it loads what the SDK loads, see docs/sdk-compat.md).

Usage: bench/inspect.py [--build DIR] [--runs N] [--markdown] [FOLDER...]
Default folders: every examples/* with a main.py, and tests/fixtures/good-full.
Prints a table of medians and the ratio inspect / floor.
"""
import argparse
import os
import tempfile
import resource
import shutil
import statistics
import subprocess
import sys
import time

SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_python():
    if os.environ.get("IWB_PYTHON"):
        return os.environ["IWB_PYTHON"]
    if os.path.exists("/usr/bin/python3"):
        return "/usr/bin/python3"
    return shutil.which("python3")


def child_env(python):
    env = {k: v for k, v in os.environ.items()
           if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
    env["IWB_PYTHON"] = python
    env["IWB_PYTHON_DIR"] = os.path.join(SOURCE_ROOT, "python")
    env["PYTHONPATH"] = env["IWB_PYTHON_DIR"]
    # A warm bytecode cache of its own, as the workbench's children have
    # (PYTHONPYCACHEPREFIX under the cache folder): the baseline pays for no compiling either.
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "iwb-bench-inspect-bytecode")
    return env


def run_once(argv, cwd, env):
    """Wall time and CPU time (user + system of the child and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit("%s failed in %s (exit %d)" % (" ".join(argv[:3]), cwd, done.returncode))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def interleaved_medians(commands, cwd, env, runs):
    """Median wall and CPU time of each command; the commands take turns, so a
    busy machine slows them alike. One warm-up round (page cache) is dropped."""
    walls = [[] for _ in commands]
    cpus = [[] for _ in commands]
    for i in range(runs + 1):
        for j, argv in enumerate(commands):
            wall, cpu = run_once(argv, cwd, env)
            if i > 0:
                walls[j].append(wall)
                cpus[j].append(cpu)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(SOURCE_ROOT, "build"),
                        help="meson build dir holding src/cli/iwb (default: ./build)")
    parser.add_argument("--runs", type=int, default=15, help="measured runs per command")
    parser.add_argument("--python", default=default_python(), help="interpreter")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("folders", nargs="*")
    args = parser.parse_args()

    iwb = os.path.join(os.path.abspath(args.build), "src", "cli", "iwb")
    if not os.access(iwb, os.X_OK):
        sys.exit("no %s: build first (meson setup %s && ninja -C %s)" % (iwb, args.build, args.build))

    folders = args.folders
    if not folders:
        examples = os.path.join(SOURCE_ROOT, "examples")
        if os.path.isdir(examples):
            folders = [os.path.join(examples, name) for name in sorted(os.listdir(examples))
                       if os.path.exists(os.path.join(examples, name, "main.py"))]
        folders.append(os.path.join(SOURCE_ROOT, "tests", "fixtures", "good-full"))

    env = child_env(args.python)
    rows = []
    for folder in folders:
        folder = os.path.abspath(folder)
        (inspect, inspect_cpu), (sdk, _), (floor, floor_cpu), (_, runtime_cpu) = interleaved_medians(
            [[iwb, "inspect", "--format", "metadata", folder],
             [args.python, "-m", "lhub_integ.generate_metadata"],
             [args.python, "-c", "import main"],
             [args.python, "-c", "import lhub_integ"]],
            folder, env, args.runs)
        rows.append((os.path.relpath(folder, SOURCE_ROOT), "%.1f" % (inspect * 1000),
                     "%.1f" % (sdk * 1000), "%.1f" % (floor * 1000), "%.2f" % (inspect / floor),
                     "%.2f" % (inspect_cpu / floor_cpu), "%.0f / %.0f / %.0f" % (
                         inspect_cpu * 1000, floor_cpu * 1000, runtime_cpu * 1000)))

    header = ("integration", "iwb inspect --format metadata (ms)",
              "generate_metadata alone (ms)", "python3 -c 'import main' (ms)",
              "ratio inspect / import (wall)", "ratio (CPU time)",
              "CPU ms: inspect / import main / import lhub_integ")
    if args.markdown:
        print("| %s |" % " | ".join(header))
        print("|---|---:|---:|---:|---:|---:|---:|")
        for row in rows:
            print("| %s |" % " | ".join(row))
    else:
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
        print("  ".join(h.ljust(w) if i == 0 else h.rjust(w)
                        for i, (h, w) in enumerate(zip(header, widths))))
        for row in rows:
            print("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                            for i, (c, w) in enumerate(zip(row, widths))))
    print("\nmedian of %d interleaved runs each after one warm-up; %s; %d CPUs; load %.1f" %
          (args.runs, args.python, os.cpu_count() or 0, os.getloadavg()[0]))


if __name__ == "__main__":
    main()
