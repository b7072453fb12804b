#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Capture through `iwb run`: N HTTP calls made by an action, with and without the workbench.

An integration with one PROCESS_ONCE action that makes N calls (default
1,000) with one requests.Session to `iwb demo-service` on 127.0.0.1
(`GET /tracker/api/projects`, basic auth, JSON read) and returns how many
projects it saw. Measured, best of R interleaved runs (default 5):

- shim: `python3 -m lhub_integ.shim_exec -e main.calls` with the same
  environment, no workbench, no capture (the baseline);
- iwb run --no-capture: the workbench without the capture host (what
  capture costs is the difference to the next line);
- iwb run: `iwb run FOLDER main.calls --format jsonl` — the child under
  iwb_host, one "http" event per call parsed by IwbRun and printed
  (goal: at most 10 % more wall time than the shim);
- iwb run --replay: strict replay of a cassette recorded once before, the
  demo service untouched (goal: faster than live).

Wall-clock of the whole command (the workbench's own start-up and loading
the integration from the metadata cache included). Each round runs the four
in an order of its own; the goals are judged on the median of the rounds'
ratios and its 95 % bootstrap interval (met only when the whole interval is).

Usage: bench/capture-run.py --build BUILDDIR [--calls N] [--repeat R] [--markdown]
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

from benchutil import child_environ, paired_ci, shuffled_rounds, verdict

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

MAIN = '''"""
name: Bench calls
description: many HTTP calls in one action
"""
import requests
from lhub_integ import action
from lhub_integ.execution import ExecutionType
from lhub_integ.params import ConnectionParam, InputType

BASE = ConnectionParam("BASE", description="base URL")
PASSWORD = ConnectionParam("PASSWORD", description="password", input_type=InputType.PASSWORD)
CALLS = ConnectionParam("CALLS", description="how many")


@action(name="Calls", execution_type=ExecutionType.PROCESS_ONCE)
def calls():
    """N calls"""
    s = requests.Session()
    total = 0
    for _ in range(int(CALLS.read())):
        total += len(s.get(BASE.read() + "/tracker/api/projects",
                           auth=("demo", PASSWORD.read())).json()["projects"])
    return {"projects_seen": total}
'''


def timed(cmd, env, cwd=None):
    """(wall s, CPU s of the command and its descendants, stdout)"""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        sys.exit("benchmark command failed ({}): {}\n{}\n{}".format(
            proc.returncode, " ".join(cmd), proc.stdout[-2000:], proc.stderr[-2000:]))
    return wall, cpu, proc.stdout


def result_of(out):
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("[result]"):
            return json.loads(line[8:])["result"] if "result" in json.loads(line[8:]) else json.loads(line[8:])
        if line.startswith("{"):
            ev = json.loads(line)
            if ev.get("event") == "result":
                return ev["result"]
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()

    iwb = os.path.join(os.path.abspath(args.build), "src", "cli", "iwb")
    service = subprocess.Popen([iwb, "demo-service", "--port", "0"], stdout=subprocess.PIPE, text=True)
    rows = {}
    try:
        base = service.stdout.readline().strip()
        if not base.startswith("http://"):
            sys.exit("iwb demo-service did not start")
        with tempfile.TemporaryDirectory(prefix="iwb-bench-capture-run-") as tmp:
            folder = os.path.join(tmp, "bench-calls")
            os.mkdir(folder)
            with open(os.path.join(folder, "main.py"), "w") as f:
                f.write(MAIN)
            pw = os.path.join(tmp, "pw")
            with open(pw, "w") as f:
                f.write("demo-password\n")
            cassette = os.path.join(tmp, "cassette.json")
            env = dict(os.environ, IWB_PYTHON=PYTHON, IWB_PYTHON_DIR=os.path.join(SOURCE, "python"),
                       PYTHONDONTWRITEBYTECODE="1", XDG_DATA_HOME=os.path.join(tmp, "data"),
                       XDG_CACHE_HOME=os.path.join(tmp, "cache"))
            common = ["--set", "BASE=" + base, "--set-file", "PASSWORD=" + pw,
                      "--set", "CALLS=%d" % args.calls, "--no-history", "--format", "jsonl"]
            # iwb's clean child environment (benchutil.child_environ), and a warm bytecode
            # cache, as the workbench's children have (PYTHONPYCACHEPREFIX)
            shim_env = child_environ(env, PYTHONPATH=os.path.join(SOURCE, "python"), BASE=base,
                                     PASSWORD="demo-password", CALLS=str(args.calls),
                                     PYTHONPYCACHEPREFIX=os.path.join(tmp, "shim-bytecode"))
            # warm the metadata cache, and record the cassette once
            timed([iwb, "run", folder, "main.calls"] + common + ["--record", cassette], env)
            modes = [
                ("shim (no workbench, no capture)",
                 [PYTHON, "-m", "lhub_integ.shim_exec", "-e", "main.calls"], shim_env, folder),
                ("iwb run --no-capture (workbench only)",
                 [iwb, "run", folder, "main.calls"] + common + ["--no-capture"], env, None),
                ("iwb run (capture, events parsed and printed)",
                 [iwb, "run", folder, "main.calls"] + common, env, None),
                ("iwb run --replay --strict (no socket)",
                 [iwb, "run", folder, "main.calls"] + common + ["--replay", cassette, "--strict"], env, None),
            ]
            times = {name: [] for name, *_ in modes}
            cpus = {name: [] for name, *_ in modes}
            results = {}
            for order in shuffled_rounds(modes, args.repeat):
                for name, cmd, menv, cwd in order:
                    wall, cpu, out = timed(cmd, menv, cwd)
                    times[name].append(wall)
                    cpus[name].append(cpu)
                    results[name] = result_of(out)
                    if name.startswith("iwb run") and "--no-capture" not in cmd:
                        n = sum(1 for line in out.splitlines() if line.startswith('{"event":"http"'))
                        if n != args.calls:
                            sys.exit("%s: %d http events for %d calls" % (name, n, args.calls))
    finally:
        service.terminate()
        service.wait(10)

    live = modes[0][0]
    for name, *_ in modes:
        if results[name] != results[live]:
            sys.exit("%s returned %r, the shim %r" % (name, results[name], results[live]))
    base_t = min(times[live])
    base_c = min(cpus[live])
    no_capture = modes[1][0]
    capture = modes[2][0]
    if args.markdown:
        print("| %d calls through an action (best of %d) | wall | vs shim | CPU (all processes) | vs shim | "
              "median wall |" % (args.calls, args.repeat))
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, *_ in modes:
        best = min(times[name])
        cpu = min(cpus[name])
        med = sorted(times[name])[len(times[name]) // 2]
        if args.markdown:
            print("| %s | %.2f s | %+.1f %% | %.2f s | %+.1f %% | %.2f s |"
                  % (name, best, (best / base_t - 1) * 100, cpu, (cpu / base_c - 1) * 100, med))
        else:
            print("%-48s wall %.2f s (%+.1f %%)  CPU %.2f s (%+.1f %%)  median %.2f s"
                  % (name, best, (best / base_t - 1) * 100, cpu, (cpu / base_c - 1) * 100, med))
    # Round by round (the modes of a round ran one after the other, in an order of the
    # round's own): the ratios that the goals are about, as medians of the rounds'
    # ratios with a 95 % bootstrap interval.
    replay = modes[3][0]
    print()
    print("round by round, median of %d rounds' wall ratios [95 %% interval]:" % args.repeat)
    for label, a, b, goal in (("capture / --no-capture (goal <= 1.10)", capture, no_capture, 1.10),
                              ("capture / shim", capture, live, None),
                              ("replay / live capture (goal < 1)", replay, capture, 1.0)):
        med, low, high = paired_ci(times[a], times[b])
        judged = ""
        if goal is not None:
            judged = "  " + verdict(low, high, goal)
        print("  %-40s %.3f [%.3f, %.3f]%s" % (label, med, low, high, judged))
    # What capture costs in iwb run: the capture line against --no-capture, per call.
    per_call = (statistics.median(cpus[capture]) - statistics.median(cpus[no_capture])) / args.calls * 1e6
    print()
    print("capture's CPU per call (iwb run against iwb run --no-capture, medians, iwb and child): %+.0f µs"
          % per_call)
    print("load average %.1f / %.1f / %.1f (1/5/15 min) at the end" % os.getloadavg())


if __name__ == "__main__":
    main()
