#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reaper benchmark: what the supervisor between the workbench and each child
(src/core/process/iwb-reaper.c) costs.

1. `iwb run bench/run-echo main.echo --input ONE_ROW --format jsonl` as users
   run it (the folder's metadata from the cache, which the first run fills),
   with the reaper (the default) against the same build with IWB_REAPER=none
   (children spawned directly, as before the reaper). Interleaved
   repetitions; medians of wall time and of CPU time (user + system of iwb
   and every process it waited for: the reaper and Python included).
2. The reaper alone: `iwb-reaper LIFELINE STATUS /bin/true` against
   `/bin/true` (fork + exec + wait + the empty-tree check), many times.

Usage: bench/reaper.py --build BUILDDIR [--repeat R] [--markdown]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

import benchutil

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
FOLDER = os.path.join(HERE, "run-echo")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def timed(cmd, env=None, pass_fds=()):
    """(wall seconds, CPU seconds of cmd and all it waited for), stdin /dev/null"""
    return benchutil.timed(cmd, stdin=subprocess.DEVNULL, env=env, pass_fds=pass_fds)


def med(samples, i):
    return statistics.median(s[i] for s in samples)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True, help="meson build directory with src/cli/iwb")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()

    build = os.path.abspath(args.build)
    iwb = os.path.join(build, "src", "cli", "iwb")
    reaper = os.path.join(build, "src", "core", "process", "iwb-reaper")
    tmp = tempfile.mkdtemp(prefix="iwb-bench-reaper-")
    env = dict(os.environ)
    env.update({"IWB_PYTHON": PYTHON, "IWB_PYTHON_DIR": os.path.join(SOURCE, "python"),
                "PYTHONDONTWRITEBYTECODE": "1",
                "XDG_DATA_HOME": os.path.join(tmp, "data"),
                "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
                "XDG_CONFIG_HOME": os.path.join(tmp, "config")})
    env.pop("IWB_REAPER", None)
    without = dict(env, IWB_REAPER="none")
    rows = os.path.join(tmp, "row.jsonl")
    with open(rows, "w") as f:
        f.write(json.dumps({"value": "one row", "n": "1"}) + "\n")
    cmd = [iwb, "run", FOLDER, "main.echo", "--input", rows, "--format", "jsonl"]

    load_before = os.getloadavg()[0]
    timed(cmd, env=env)  # fills the metadata cache
    timed(cmd, env=without)
    with_times, without_times = [], []
    for i in range(args.repeat):
        # interleaved, and alternating which goes first
        pair = [(with_times, env), (without_times, without)]
        if i % 2:
            pair.reverse()
        for samples, e in pair:
            samples.append(timed(cmd, env=e))

    # The reaper alone: a lifeline nobody writes to, a status pipe drained.
    lifeline_r, lifeline_w = os.pipe()
    status_r, status_w = os.pipe()
    os.set_blocking(status_r, False)
    bare_times, reaper_times = [], []
    n_exec = args.repeat * 10
    for i in range(n_exec):
        bare_times.append(timed(["/bin/true"]))
        reaper_times.append(timed([reaper, str(lifeline_r), str(status_w), "/bin/true"],
                                  pass_fds=(lifeline_r, status_w)))
        try:
            while os.read(status_r, 4096):
                pass
        except BlockingIOError:
            pass
    for fd in (lifeline_r, lifeline_w, status_r, status_w):
        os.close(fd)
    load_after = os.getloadavg()[0]
    shutil.rmtree(tmp, ignore_errors=True)

    w_wall, w_cpu = med(with_times, 0) * 1000, med(with_times, 1) * 1000
    n_wall, n_cpu = med(without_times, 0) * 1000, med(without_times, 1) * 1000
    b_wall, b_cpu = med(bare_times, 0) * 1000, med(bare_times, 1) * 1000
    r_wall, r_cpu = med(reaper_times, 0) * 1000, med(reaper_times, 1) * 1000
    if args.markdown:
        print("Load average {:.1f} before, {:.1f} after; medians of {} interleaved runs "
              "({} for the exec alone).\n".format(load_before, load_after, args.repeat, n_exec))
        print("| measured | with the reaper | without (IWB_REAPER=none) | ratio wall (CPU) |")
        print("| --- | ---: | ---: | ---: |")
        print("| `iwb run` of one row, wall (CPU) | {:.1f} ms ({:.1f} ms) | {:.1f} ms ({:.1f} ms) "
              "| {:.3f}x ({:.3f}x) |".format(w_wall, w_cpu, n_wall, n_cpu, w_wall / n_wall, w_cpu / n_cpu))
        print("| `iwb-reaper … /bin/true` against `/bin/true`, wall (CPU) | {:.2f} ms ({:.2f} ms) "
              "| {:.2f} ms ({:.2f} ms) | +{:.2f} ms (+{:.2f} ms) |".format(
                  r_wall, r_cpu, b_wall, b_cpu, r_wall - b_wall, r_cpu - b_cpu))
    else:
        print("load average: {:.1f} before, {:.1f} after".format(load_before, load_after))
        print("iwb run, one row: with reaper {:.1f} ms wall, {:.1f} ms CPU; without {:.1f} ms wall, "
              "{:.1f} ms CPU; ratio {:.3f}x wall, {:.3f}x CPU".format(
                  w_wall, w_cpu, n_wall, n_cpu, w_wall / n_wall, w_cpu / n_cpu))
        print("iwb-reaper /bin/true: {:.2f} ms wall, {:.2f} ms CPU; /bin/true: {:.2f} ms wall, "
              "{:.2f} ms CPU".format(r_wall, r_cpu, b_wall, b_cpu))


if __name__ == "__main__":
    main()
