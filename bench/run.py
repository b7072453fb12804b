#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runner benchmark: `iwb run` against the bare SDK shim, and its peak memory.

1. Throughput: an action that returns its input row, over N rows (default
   100,000): `iwb run ... --input rows.jsonl --format jsonl` (loading the
   integration, parsing the rows, writing them, parsing every result and
   printing one JSON event per line) against the strictest fair baseline:
   `python3 -m lhub_integ.shim_exec -e main.echo > /dev/null` fed the same
   rows (with their lhub_id) directly, no workbench, no pipe, no reader.
   Both write to /dev/null. Reports rows/s and the ratio; the target is
   that the workbench adds at most 10 % wall time. Also shown, for
   comparison and not as the baseline of the goal: the same shim with its
   output read through a pipe by `cat`. The shim writes each result with a
   system call of its own; a reader that takes every line as it comes (cat)
   is woken for each of them, and the shim pays for those wake-ups. `iwb`
   lets a few milliseconds of output gather in the pipe between reads.
   `iwb run` is measured as users repeat it (the unchanged folder's
   metadata from the cache) and on a folder's first run
   (IWB_NO_METADATA_CACHE=1: generate_metadata).
2. Peak memory of the `iwb` process (VmHWM, polled from /proc; the Python
   child is not counted) for M result rows (default 1,000,000), in both
   output formats. Target: bounded, under 200 MB.

Usage: bench/run.py --build BUILDDIR [--rows N] [--results M] [--repeat R] [--markdown]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from benchutil import child_environ, paired_ci, shuffled_rounds, timed, verdict

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
FOLDER = os.path.join(HERE, "run-echo")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def child_env():
    env = dict(os.environ)
    env["IWB_PYTHON"] = PYTHON
    env["IWB_PYTHON_DIR"] = os.path.join(SOURCE, "python")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    tmp = tempfile.mkdtemp(prefix="iwb-bench-run-")
    env["XDG_DATA_HOME"] = os.path.join(tmp, "data")
    env["XDG_CACHE_HOME"] = os.path.join(tmp, "cache")
    return env


def peak_rss_kib(cmd, env):
    """Runs cmd, polls /proc/PID/status VmHWM of that process only."""
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(cmd, stdout=null, stderr=subprocess.PIPE, env=env)
        peak = 0
        while proc.poll() is None:
            try:
                with open("/proc/{}/status".format(proc.pid)) as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            peak = max(peak, int(line.split()[1]))
            except OSError:
                pass
            time.sleep(0.02)
        err = proc.stderr.read()
    if proc.returncode != 0:
        sys.exit("benchmark command failed ({}): {}\n{}".format(
            proc.returncode, " ".join(cmd), err.decode(errors="replace")))
    return peak


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True, help="meson build directory with src/cli/iwb")
    ap.add_argument("--rows", type=int, default=100000)
    ap.add_argument("--results", type=int, default=1000000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()

    iwb = os.path.join(os.path.abspath(args.build), "src", "cli", "iwb")
    env = child_env()
    tmp = tempfile.mkdtemp(prefix="iwb-bench-rows-")
    rows_path = os.path.join(tmp, "rows.jsonl")
    wrapped_path = os.path.join(tmp, "wrapped.jsonl")
    with open(rows_path, "w") as rows, open(wrapped_path, "w") as wrapped:
        for i in range(args.rows):
            row = {"value": "row number {}".format(i), "n": str(i)}
            rows.write(json.dumps(row) + "\n")
            # the same rows as iwb sends them: with an lhub_id
            wrapped.write(json.dumps({"row": dict(lhub_id=i + 1, **row)}) + "\n")

    # The environment iwb gives its children (benchutil.child_environ), not the bench's.
    # The workbench's children keep their bytecode in a cache (PYTHONPYCACHEPREFIX);
    # the baseline gets a warm bytecode cache of its own too, so the
    # comparison is of the work per run, not of compiling the runtime.
    shim_env = child_environ(env, PYTHONPATH=env["IWB_PYTHON_DIR"], ___value="value", ___n="n",
                             PYTHONPYCACHEPREFIX=os.path.join(tmp, "shim-bytecode"))
    # The strictest fair baseline: the shim alone, its stdout straight to
    # /dev/null (timed() does that), so every cost of reading, parsing and
    # printing the results is counted against the workbench.
    shim_cmd = [PYTHON, "-m", "lhub_integ.shim_exec", "-e", "main.echo"]
    iwb_cmd = [iwb, "run", FOLDER, "main.echo", "--input", rows_path, "--format", "jsonl",
               "--timeout", "0"]
    cold_env = dict(env, IWB_NO_METADATA_CACHE="1")
    # the same without the HTTP capture host (python3 -m iwb_host.launch): its cost
    nocap_cmd = iwb_cmd + ["--no-capture"]
    iwb_times, shim_times, cold_times, nocap_times = [], [], [], []
    timed(iwb_cmd, env=env)  # fills the metadata and bytecode caches
    with open(wrapped_path, "rb") as stdin:
        timed(shim_cmd, stdin=stdin, env=shim_env, cwd=FOLDER)  # fills the shim's bytecode cache
    def run_shim():
        with open(wrapped_path, "rb") as stdin:
            shim_times.append(timed(shim_cmd, stdin=stdin, env=shim_env, cwd=FOLDER))

    # For comparison, not the baseline of the goal: the same shim with its output read
    # through a pipe by cat, which reads every line as it comes (see the docstring).
    piped_times = []

    def run_shim_piped():
        with open(wrapped_path, "rb") as stdin, open(os.devnull, "wb") as null:
            start = time.perf_counter()
            reader = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=null)
            shim_proc = subprocess.Popen(shim_cmd, stdin=stdin, stdout=reader.stdin,
                                         stderr=subprocess.DEVNULL, env=shim_env, cwd=FOLDER)
            reader.stdin.close()
            shim_proc.wait()
            reader.wait()
            piped_times.append(time.perf_counter() - start)
        if shim_proc.returncode != 0:
            sys.exit("benchmark command failed ({}): {} | cat".format(shim_proc.returncode, " ".join(shim_cmd)))

    modes = [
        run_shim,
        run_shim_piped,
        # as users run it again and again: the unchanged folder's metadata
        # comes from the cache (filled before the loop)
        lambda: iwb_times.append(timed(iwb_cmd, env=env)),
        lambda: nocap_times.append(timed(nocap_cmd, env=env)),
        # the first run of a folder: generate_metadata imports it
        lambda: cold_times.append(timed(iwb_cmd, env=cold_env)),
    ]
    # each round in an order of its own (benchutil.shuffled_rounds)
    for order in shuffled_rounds(modes, args.repeat):
        for mode in order:
            mode()
    shim = statistics.median(t[0] for t in shim_times)
    wb = statistics.median(t[0] for t in iwb_times)
    cold = statistics.median(t[0] for t in cold_times)
    shim_cpu = statistics.median(t[1] for t in shim_times)
    wb_cpu = statistics.median(t[1] for t in iwb_times)
    nocap = statistics.median(t[0] for t in nocap_times)
    nocap_cpu = statistics.median(t[1] for t in nocap_times)
    paired, low, high = paired_ci([t[0] for t in iwb_times], [t[0] for t in shim_times])
    piped, piped_low, piped_high = paired_ci(piped_times, [t[0] for t in shim_times])

    rss_jsonl = peak_rss_kib([iwb, "run", FOLDER, "main.many", "--set", "COUNT={}".format(args.results),
                              "--format", "jsonl", "--timeout", "0"], env)
    rss_text = peak_rss_kib([iwb, "run", FOLDER, "main.many", "--set", "COUNT={}".format(args.results),
                             "--timeout", "0"], env)

    rows = [
        ("shim_exec > /dev/null ({} rows)".format(args.rows), "{:.2f} s".format(shim),
         "{:,.0f} rows/s".format(args.rows / shim)),
        ("iwb run --format jsonl ({} rows)".format(args.rows), "{:.2f} s".format(wb),
         "{:,.0f} rows/s".format(args.rows / wb)),
        ("overhead of the workbench, wall clock", "{:+.1f} %".format((wb / shim - 1) * 100),
         "ratio {:.3f} (target <= 1.10)".format(wb / shim)),
        ("the same, round by round (median of the rounds' ratios)",
         "{:+.1f} %".format((paired - 1) * 100),
         "ratio {:.3f}, 95 % interval [{:.3f}, {:.3f}]: {}".format(paired, low, high, verdict(low, high, 1.10))),
        ("for comparison: shim_exec | cat (each result read as it comes, no workbench)",
         "{:+.1f} %".format((piped - 1) * 100),
         "ratio {:.3f}, 95 % interval [{:.3f}, {:.3f}] (round by round)".format(piped, piped_low, piped_high)),
        ("iwb run --no-capture (no capture host)", "{:.2f} s".format(nocap),
         "ratio {:.3f}".format(nocap / shim)),
        ("the capture host's launcher: iwb run / iwb run --no-capture, wall / CPU",
         "{:+.1f} % / {:+.1f} %".format((wb / nocap - 1) * 100, (wb_cpu / nocap_cpu - 1) * 100),
         "(no HTTP calls: hooks installed, nothing captured)"),
        ("iwb run, first run of the folder (metadata imported)", "{:.2f} s".format(cold),
         "ratio {:.3f}".format(cold / shim)),
        ("CPU time: shim_exec > /dev/null / iwb run (all processes)",
         "{:.2f} s / {:.2f} s".format(shim_cpu, wb_cpu),
         "ratio {:.3f}".format(wb_cpu / shim_cpu)),
        ("iwb run peak RSS, {} results, jsonl".format(args.results), "{:.1f} MB".format(rss_jsonl / 1024),
         "target < 200 MB"),
        ("iwb run peak RSS, {} results, text".format(args.results), "{:.1f} MB".format(rss_text / 1024),
         "target < 200 MB"),
    ]
    if args.markdown:
        print("| measurement | value | |")
        print("| --- | --- | --- |")
        for r in rows:
            print("| {} | {} | {} |".format(*r))
    else:
        width = max(len(r[0]) for r in rows)
        for r in rows:
            print("{:<{w}}  {:>12}  {}".format(r[0], r[1], r[2], w=width))
    print("(median of {} runs; {} cores; python {})".format(
        args.repeat, os.cpu_count(), sys.version.split()[0]), file=sys.stderr)


if __name__ == "__main__":
    main()
