#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""History benchmark (helper stores): what recording costs a whole `iwb run`.

The same `iwb run bench/run-echo main.echo` over N input rows (default
100,000; one result per row, correlated to its row, so the history stores
the input rows and the results) with `--no-history` (the baseline) and with
recording, alternately, R times each (default 3); medians of the wall
clock. Every run records into a fresh XDG_DATA_HOME. The goal: recording
adds at most 10 %.

Usage: bench/history.py --build BUILDDIR [--rows N] [--repeat R] [--markdown]
"""
import argparse
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile

from benchutil import timed as run

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
FOLDER = os.path.join(HERE, "run-echo")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True, help="meson build directory with src/cli/iwb")
    ap.add_argument("--rows", type=int, default=100000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()

    iwb = os.path.join(os.path.abspath(args.build), "src", "cli", "iwb")
    tmp = tempfile.mkdtemp(prefix="iwb-bench-history-")
    rows_path = os.path.join(tmp, "rows.jsonl")
    with open(rows_path, "w") as rows:
        for i in range(args.rows):
            rows.write(json.dumps({"value": "row number {}".format(i), "n": str(i)}) + "\n")

    env = dict(os.environ)
    env.update({"IWB_PYTHON": PYTHON, "IWB_PYTHON_DIR": os.path.join(SOURCE, "python"),
                "PYTHONDONTWRITEBYTECODE": "1"})
    cmd = [iwb, "run", FOLDER, "main.echo", "--input", rows_path, "--format", "jsonl", "--timeout", "0"]
    plain, recorded = [], []
    size = 0
    for r in range(args.repeat):
        for record in (False, True):
            home = os.path.join(tmp, "home-{}-{}".format(r, int(record)))
            os.makedirs(home)
            env["XDG_DATA_HOME"] = os.path.join(home, "data")
            env["XDG_CACHE_HOME"] = os.path.join(home, "cache")
            (recorded if record else plain).append(run(cmd + ([] if record else ["--no-history"]), env))
            db = os.path.join(home, "data", "integration-workbench", "history.sqlite")
            if record:
                con = sqlite3.connect(db)
                n_results, = con.execute("SELECT n_results FROM runs").fetchone()
                con.close()
                if n_results != args.rows:
                    sys.exit("recorded {} results, expected {}".format(n_results, args.rows))
                size = sum(os.path.getsize(os.path.join(os.path.dirname(db), f))
                           for f in os.listdir(os.path.dirname(db)))
            shutil.rmtree(home)
    shutil.rmtree(tmp)

    base = statistics.median(t[0] for t in plain)
    rec = statistics.median(t[0] for t in recorded)
    base_cpu = statistics.median(t[1] for t in plain)
    rec_cpu = statistics.median(t[1] for t in recorded)
    rows = [
        ("iwb run --no-history ({} rows, baseline)".format(args.rows), "{:.2f} s".format(base),
         "median of {}".format(args.repeat)),
        ("iwb run, recorded in the history", "{:.2f} s".format(rec), "median of {}".format(args.repeat)),
        ("overhead of recording, wall clock", "{:+.1f} %".format((rec / base - 1) * 100),
         "ratio {:.3f} (goal <= 1.10)".format(rec / base)),
        ("CPU time, all processes: --no-history / recorded", "{:.2f} s / {:.2f} s".format(base_cpu, rec_cpu),
         "ratio {:.3f}".format(rec_cpu / base_cpu)),
        ("history files after one run", "{:.1f} MB".format(size / 1e6),
         "{} input rows + {} results".format(args.rows, args.rows)),
    ]
    if args.markdown:
        print("| measurement | value | note |\n| --- | --- | --- |")
        for r in rows:
            print("| {} | {} | {} |".format(*r))
    else:
        for r in rows:
            print("{:<50} {:>10}  {}".format(*r))


if __name__ == "__main__":
    main()
