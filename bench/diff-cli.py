#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""
`iwb diff A.json B.json` as users run it (the whole process: reading,
parsing, diffing, printing to a pipe) against `diff -u A.json B.json` of the
same pretty-printed files, at several sizes, in the same run.

For each size it writes two platform descriptors (N inputs spread over
actions of 100 inputs; the second with 300 value changes, 200 moves, 50
removed and 50 added inputs, fixed seed), runs both commands R times and
reports medians of wall-clock and CPU time (user + system, from
/usr/bin/time, like the peak RSS), the
ratio iwb / diff -u, the peak RSS of iwb (ru_maxrss) against the size of the
two inputs, and the growth of iwb's CPU time between sizes against n log n.

    bench/diff-cli.py --build BUILDDIR [--sizes 10000,50000,100000]
                      [--repeat R] [--markdown]
"""
import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time


def make_input(action, i):
    select = i % 5 == 0
    return {
        "id": "INPUT_%d_%d" % (action, i),
        "label": "Input %d of action %d" % (i, action),
        "data_type": "column" if i % 7 == 0 else "string",
        "input_type": "select" if select else ("columnSelect" if i % 7 == 0 else "text"),
        "optional": i % 3 == 0,
        "description": "What input %d does: a longer description text" % i,
        "default": None,
        "options": ["option-%d" % k for k in range(4)] if select else None,
        "source": "column" if i % 7 == 0 else "param",
    }


def make_descriptor(n_inputs, per_action=100):
    actions = []
    for a in range(max(1, n_inputs // per_action)):
        actions.append({
            "name": "Action %d" % a,
            "entrypoint": "main.action_%d" % a,
            "description": "An action",
            "instantiation": {"steps": [{"inputs": [make_input(a, i) for i in range(per_action)]}]},
        })
    return {"name": "Benchmark integration", "description": "Generated", "logoUrl": None,
            "connection": {"inputs": []}, "actions": actions}


def mutate(desc, changes=300, moves=200, add=50, remove=50):
    rnd = random.Random(5)
    b = json.loads(json.dumps(desc))
    acts = b["actions"]

    def inputs():
        return rnd.choice(acts)["instantiation"]["steps"][0]["inputs"]

    for k in range(changes):
        ins = inputs()
        item = rnd.choice(ins)
        if k % 4 == 0:
            item["description"] = "Changed description %d" % k
        elif k % 4 == 1:
            item["optional"] = not item["optional"]
        elif k % 4 == 2:
            item["options"] = ["live-project-%d" % ((k + o) % 9) for o in range(6)]
            item["input_type"] = "select"
        else:
            item["default"] = "Changed default %d" % k
    for _ in range(moves):
        ins = inputs()
        ins.insert(rnd.randrange(len(ins)), ins.pop(rnd.randrange(len(ins))))
    for _ in range(remove):
        ins = inputs()
        ins.pop(rnd.randrange(len(ins)))
    for k in range(add):
        a = rnd.randrange(len(acts))
        ins = acts[a]["instantiation"]["steps"][0]["inputs"]
        ins.insert(rnd.randrange(len(ins) + 1), make_input(a, 1000000 + k))
    return b


def run(argv, scratch):
    """wall seconds, CPU seconds, peak RSS in bytes of one command, stdout to a pipe.

    The figures come from /usr/bin/time (a small process that forks the
    command): ru_maxrss through wait4() here would count the pages of this
    big Python process that the command was forked from."""
    stats = os.path.join(scratch, "time.out")
    start = time.monotonic()
    proc = subprocess.Popen(["/usr/bin/time", "-o", stats, "-f", "%M %U %S %x"] + argv,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out_len = 0
    while True:
        chunk = proc.stdout.read(1 << 16)
        if not chunk:
            break
        out_len += len(chunk)
    proc.wait()
    wall = time.monotonic() - start
    with open(stats) as f:
        last = f.read().strip().splitlines()[-1].split()
    rss_kb, user, system, status = int(last[0]), float(last[1]), float(last[2]), int(last[3])
    if status not in (0, 1):
        sys.exit("%s failed with %d" % (" ".join(argv), status))
    return wall, user + system, rss_kb * 1024, out_len


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    iwb = os.path.join(args.build, "src", "cli", "iwb")
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []

    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            a = make_descriptor(n)
            b = mutate(a)
            pa, pb = os.path.join(tmp, "a-%d.json" % n), os.path.join(tmp, "b-%d.json" % n)
            for path, doc in ((pa, a), (pb, b)):
                with open(path, "w") as f:
                    json.dump(doc, f, indent=2)
            del a, b
            size = os.path.getsize(pa) + os.path.getsize(pb)
            ours, base = [], []
            for _ in range(args.repeat):
                ours.append(run([iwb, "diff", "--color=never", pa, pb], tmp))
                base.append(run(["diff", "-u", pa, pb], tmp))
            rows.append({
                "inputs": n, "bytes": size,
                "iwb_wall": statistics.median(r[0] for r in ours),
                "iwb_cpu": statistics.median(r[1] for r in ours),
                "iwb_rss": max(r[2] for r in ours),
                "diff_wall": statistics.median(r[0] for r in base),
                "diff_cpu": statistics.median(r[1] for r in base),
                "out": ours[0][3],
            })

    first = rows[0]
    if args.markdown:
        print("| inputs each | both files | `iwb diff` wall (CPU) | `diff -u` wall (CPU) "
              "| ratio wall (CPU) | iwb peak RSS (x input) | CPU growth vs n log n |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    else:
        print("%8s %9s %18s %18s %13s %16s %10s" % ("inputs", "MB", "iwb wall (cpu) ms",
              "diff -u wall (cpu)", "ratio w (cpu)", "iwb RSS MB (x)", "growth"))
    for r in rows:
        nlogn = (r["inputs"] * math.log(r["inputs"])) / (first["inputs"] * math.log(first["inputs"]))
        growth = (r["iwb_cpu"] / first["iwb_cpu"]) / nlogn if first["iwb_cpu"] > 0 else 0
        cells = (r["inputs"], r["bytes"] / 1e6,
                 r["iwb_wall"] * 1e3, r["iwb_cpu"] * 1e3, r["diff_wall"] * 1e3, r["diff_cpu"] * 1e3,
                 r["iwb_wall"] / r["diff_wall"], r["iwb_cpu"] / max(r["diff_cpu"], 1e-6),
                 r["iwb_rss"] / 1e6, r["iwb_rss"] / r["bytes"], growth)
        if args.markdown:
            print("| %d | %.1f MB | %.0f ms (%.0f ms) | %.0f ms (%.0f ms) | %.2fx (%.2fx) "
                  "| %.0f MB (%.2fx) | %.2f |" % cells)
        else:
            print("%8d %9.1f %9.0f (%6.0f) %9.0f (%6.0f) %6.2f (%5.2f) %8.0f (%5.2f) %9.2f" % cells)
    print("\nratio < 1: iwb diff is faster than diff -u. growth: (CPU / CPU at %d inputs) / "
          "(n log n / n0 log n0); <= 1 means no worse than n log n." % first["inputs"])


if __name__ == "__main__":
    main()
