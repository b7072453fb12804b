#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Capture benchmark: N HTTP calls to the demo service with and without iwb_host.

One child makes N calls (default 1,000) with one requests.Session to `iwb
demo-service` on 127.0.0.1 and reads each JSON answer. Measured, each as the
median of R runs (default 5), wall-clock and CPU time of the child:

- live: `python3 -m scenario` — no workbench (the baseline);
- capture: `python3 -m iwb_host.launch scenario` with IWB_EVENTS_FD on a pipe
  that the benchmark drains, as the workbench will (goal: at most 10 % more);
- record: the same, also writing a cassette (IWB_RECORD);
- replay: strict replay of that cassette (IWB_REPLAY + IWB_REPLAY_STRICT),
  the demo service untouched (goal: faster than live).

The scenario's password is a secret parameter (IWB_SECRET_PARAMS), as in a
real run: redaction is on. The figures compared are those of the N calls
alone, measured inside the child (process CPU time of all its threads, the
capture's writer included, and wall-clock of the loop), best and median of R
interleaved runs (on a shared, loaded machine the minimum is the figure least
disturbed by other work), the CPU per call against live for the calls and
for the whole child (user + system, rusage), the whole child's wall-clock
(median), and the load average.

Separate processes compare badly on a loaded machine; the bench therefore also
makes the calls in one process with the capture switched on and off every
--block calls (R runs), the CPU of the two states compared block by block, and
likewise strict replay against live (two sessions in one process, alternating).

Usage: bench/capture.py --build BUILDDIR [--calls N] [--repeat R] [--block B] [--markdown]
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

# The CPU time is read after a pause of 0.2 s (no CPU): it counts the capture's writer
# thread reporting the last calls (it lets a batch gather for 0.02 s) in every mode alike.
SCENARIO = """
import os, sys, time, requests
base, n = os.environ["BASE"], int(os.environ["CALLS"])
s = requests.Session()
total = 0
cpu0, wall0 = time.process_time(), time.perf_counter()
for i in range(n):
    total += len(s.get(base + "/tracker/api/projects", auth=("demo", os.environ["PASSWORD"])).json()["projects"])
wall = time.perf_counter() - wall0
time.sleep(0.2)
print(total)
sys.stderr.write("IWB_BENCH %f %f\\n" % (time.process_time() - cpu0, wall))
"""

# The same calls in ONE process, the capture switched on and off every BLOCK calls
# (http.client's methods swapped between the hooked and the original ones; what
# stays hooked when off — urllib3's pool wrapper and the connect hooks — runs
# once per connection or costs a function call): the two states share every
# burst of load on the machine, which separate processes do not. The CPU of
# the "on" blocks includes waiting for the writer to report them (flush()).
AB_SCENARIO = """
import http.client, os, sys, time
C, R = http.client.HTTPConnection, http.client.HTTPResponse
def methods():
    return ({n: C.__dict__[n] for n in ("__init__", "putrequest", "putheader", "endheaders", "send", "getresponse")},
            {n: R.__dict__[n] for n in ("read", "read1", "readline", "readinto", "close") if n in R.__dict__})
off = methods()
from iwb_host import launch
host = launch.install_from_env()
on = methods()
def use(state):
    for cls, named in zip((C, R), state):
        for n, f in named.items():
            setattr(cls, n, f)
import requests
base, n, block = os.environ["BASE"], int(os.environ["CALLS"]), int(os.environ["BLOCK"])
s = requests.Session()
auth = ("demo", os.environ["PASSWORD"])
def calls(k):
    for _ in range(k):
        s.get(base + "/tracker/api/projects", auth=auth).json()
use(off); calls(block); use(on); calls(block)
cpu = {"off": 0.0, "on": 0.0}
wall = {"off": 0.0, "on": 0.0}
for r in range(max(1, n // block)):
    for name in (("off", "on") if r % 2 == 0 else ("on", "off")):
        use(on if name == "on" else off)
        c0, w0 = time.process_time(), time.perf_counter()
        calls(block)
        if name == "on":
            getattr(host, "flush", lambda: None)()   # (versions without a writer report inline)
        cpu[name] += time.process_time() - c0
        wall[name] += time.perf_counter() - w0
sys.stderr.write("IWB_AB %f %f %f %f %d\\n" % (cpu["off"], cpu["on"], wall["off"], wall["on"], max(1, n // block) * block))
"""

# Replay against live in ONE process, the same way: one session answered by strict replay
# of the cassette (recorded by the record mode before), one talking to the demo service
# (its connection made in pass-through, http.client's own methods, so not captured),
# alternating every BLOCK calls. The CPU of the replay blocks includes the capture of
# every replayed exchange (events on the pipe, flush()).
RP_SCENARIO = """
import http.client, os, sys, time
C, R = http.client.HTTPConnection, http.client.HTTPResponse
def methods():
    return ({n: C.__dict__[n] for n in ("__init__", "putrequest", "putheader", "endheaders", "send", "getresponse")},
            {n: R.__dict__[n] for n in ("read", "read1", "readline", "readinto", "close", "begin") if n in R.__dict__})
off = methods()
from iwb_host import hooks, launch
host = launch.install_from_env()
on = methods()
def use(state):
    for cls, named in zip((C, R), state):
        for n, f in named.items():
            setattr(cls, n, f)
import requests
base, n, block = os.environ["BASE"], int(os.environ["CALLS"]), int(os.environ["BLOCK"])
live, replay = requests.Session(), requests.Session()
auth = ("demo", os.environ["PASSWORD"])
def calls(s, k):
    for _ in range(k):
        s.get(base + "/tracker/api/projects", auth=auth).json()
def state(name):
    use(on if name == "replay" else off)
    hooks.set_passthrough(name == "live")
state("live"); calls(live, block); state("replay"); calls(replay, block); host.flush()
cpu = {"live": 0.0, "replay": 0.0}
wall = {"live": 0.0, "replay": 0.0}
for r in range(max(1, n // block)):
    for name in (("live", "replay") if r % 2 == 0 else ("replay", "live")):
        state(name)
        c0, w0 = time.process_time(), time.perf_counter()
        calls(live if name == "live" else replay, block)
        if name == "replay":
            host.flush()
        cpu[name] += time.process_time() - c0
        wall[name] += time.perf_counter() - w0
sys.stderr.write("IWB_AB %f %f %f %f %d\\n" % (cpu["live"], cpu["replay"], wall["live"], wall["replay"], max(1, n // block) * block))
"""


def run_ab(folder, env, block, module="abscenario"):
    """(CPU off, CPU on, wall off, wall on, calls per state) of AB_SCENARIO in one process."""
    r, w = os.pipe()
    events = []
    reader = threading.Thread(target=drain, args=(r, events))
    reader.start()
    proc = subprocess.run([PYTHON, "-m", module], cwd=folder, env=dict(env, IWB_EVENTS_FD=str(w), BLOCK=str(block)),
                          capture_output=True, text=True, pass_fds=(w,))
    os.close(w)
    reader.join()
    if proc.returncode != 0:
        sys.exit("benchmark child (in-process A/B) failed ({}):\n{}".format(proc.returncode, proc.stderr))
    fields = [line.split()[1:] for line in proc.stderr.splitlines() if line.startswith("IWB_AB ")][0]
    return [float(f) for f in fields[:4]] + [int(fields[4])]


def drain(fd, sink):
    with os.fdopen(fd, "rb") as f:
        for line in f:
            sink.append(len(line))


def run_child(folder, env, capture):
    """(wall s, CPU s, stdout, event count) of one child."""
    env = dict(env)
    pass_fds = ()
    events = []
    reader = None
    if capture:
        r, w = os.pipe()
        env["IWB_EVENTS_FD"] = str(w)
        pass_fds = (w,)
        reader = threading.Thread(target=drain, args=(r, events))
        reader.start()
    cmd = [PYTHON, "-m", "iwb_host.launch", "scenario"] if capture else [PYTHON, "-m", "scenario"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True, pass_fds=pass_fds)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if capture:
        os.close(w)
        reader.join()
    if proc.returncode != 0:
        sys.exit("benchmark child failed ({}):\n{}".format(proc.returncode, proc.stderr))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    loop = [line.split()[1:] for line in proc.stderr.splitlines() if line.startswith("IWB_BENCH ")][0]
    return wall, cpu, float(loop[0]), float(loop[1]), proc.stdout, len(events)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--block", type=int, default=50,
                        help="calls per block of the in-process on/off comparison (default 50)")
    args = parser.parse_args()

    load0 = os.getloadavg()[0]
    iwb = os.path.join(os.path.abspath(args.build), "src", "cli", "iwb")
    service = subprocess.Popen([iwb, "demo-service", "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        base = service.stdout.readline().strip()
        if not base.startswith("http://"):
            sys.exit("iwb demo-service did not start")
        with tempfile.TemporaryDirectory(prefix="iwb-bench-capture-") as folder:
            with open(os.path.join(folder, "scenario.py"), "w") as f:
                f.write(SCENARIO)
            with open(os.path.join(folder, "abscenario.py"), "w") as f:
                f.write(AB_SCENARIO)
            with open(os.path.join(folder, "rpscenario.py"), "w") as f:
                f.write(RP_SCENARIO)
            cassette = os.path.join(folder, "bench.cassette.json")
            # As the workbench runs an integration: its password parameter is a secret,
            # so redaction is on (IWB_SECRET_PARAMS names it).
            # Bytecode cached as the workbench's children have it (PYTHONPYCACHEPREFIX),
            # shared by every mode: no mode pays for compiling the runtime.
            env = dict(os.environ, BASE=base, CALLS=str(args.calls),
                       PYTHONPYCACHEPREFIX=os.path.join(folder, "bytecode"),
                       PYTHONPATH=os.path.join(SOURCE, "python"), PASSWORD="demo-password",
                       IWB_SECRET_PARAMS="PASSWORD")
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            modes = [
                ("live (no workbench)", dict(env), False),
                ("capture (events on a pipe)", dict(env), True),
                ("record (events + cassette)", dict(env, IWB_RECORD=cassette, IWB_RECORD_FRESH="1"), True),
                ("replay, strict (no socket)", dict(env, IWB_REPLAY=cassette, IWB_REPLAY_STRICT="1"), True),
            ]
            results = {name: [] for name, _, _ in modes}
            outputs = {}
            # Interleaved, so that a burst of load on the machine hits every mode alike.
            for _ in range(args.repeat):
                for name, menv, capture in modes:
                    wall, cpu, loop_cpu, loop_wall, out, n_events = run_child(folder, menv, capture)
                    results[name].append((wall, cpu, loop_cpu, loop_wall))
                    outputs[name] = (out, n_events)
            ab, rp = [], []
            for _ in range(args.repeat):
                ab.append(run_ab(folder, env, args.block))
                rp.append(run_ab(folder, dict(env, IWB_REPLAY=cassette, IWB_REPLAY_STRICT="1"),
                                 args.block, "rpscenario"))
    finally:
        service.terminate()
        service.wait(10)

    # The calls alone (measured inside the child, interpreter start-up left out), and the
    # whole child (user + system CPU from rusage). Best (least disturbed by other work on
    # the machine) and median of the interleaved runs.
    def best(name, k):
        return min(r[k] for r in results[name])

    def median(name, k):
        return statistics.median(r[k] for r in results[name])

    live = modes[0][0]
    rows = []
    for name, _, capture in modes:
        out, n_events = outputs[name]
        if out != outputs[live][0]:
            sys.exit("mode %s printed %r, live printed %r" % (name, out, outputs[live][0]))
        if capture and n_events != args.calls:
            sys.exit("mode %s wrote %d events for %d calls" % (name, n_events, args.calls))
        rows.append((name, best(name, 3), best(name, 2), median(name, 2),
                     (best(name, 3) / best(live, 3) - 1) * 100,
                     (best(name, 2) / best(live, 2) - 1) * 100,
                     (median(name, 2) / median(live, 2) - 1) * 100,
                     (median(name, 2) - median(live, 2)) / args.calls * 1e6,
                     (median(name, 1) - median(live, 1)) / args.calls * 1e6,
                     statistics.median(r[0] for r in results[name]), n_events if capture else "-"))
    ab_ratios = sorted(on / off - 1 for off, on, _, _, _ in ab)
    ab_per_call = sorted((on - off) / n * 1e6 for off, on, _, _, n in ab)
    ab_wall = sorted(won / woff - 1 for _, _, woff, won, _ in ab)
    ab_line = ("capture on/off in one process, swapped every %d calls (%d runs of %d calls per state): "
               "CPU %+.1f %% median (%+.1f .. %+.1f %%), %+.0f µs per call; wall %+.1f %% median"
               % (args.block, len(ab), ab[0][4], statistics.median(ab_ratios) * 100, ab_ratios[0] * 100,
                  ab_ratios[-1] * 100, statistics.median(ab_per_call), statistics.median(ab_wall) * 100))
    rp_ratios = sorted(rep / liv - 1 for liv, rep, _, _, _ in rp)
    rp_per_call = sorted((rep - liv) / n * 1e6 for liv, rep, _, _, n in rp)
    rp_wall = sorted(wrep / wliv - 1 for _, _, wliv, wrep, _ in rp)
    rp_line = ("strict replay vs live in one process, swapped every %d calls (%d runs of %d calls per state): "
               "CPU %+.1f %% median (%+.1f .. %+.1f %%), %+.0f µs per call; wall %+.1f %% median (%+.1f .. %+.1f %%)"
               % (args.block, len(rp), rp[0][4], statistics.median(rp_ratios) * 100, rp_ratios[0] * 100,
                  rp_ratios[-1] * 100, statistics.median(rp_per_call), statistics.median(rp_wall) * 100,
                  rp_wall[0] * 100, rp_wall[-1] * 100))
    load = "load average %.1f / %.1f / %.1f (1/5/15 min) at the end; before: %.1f" % (os.getloadavg() + (load0,))

    if args.markdown:
        print("| %d calls, %d interleaved runs | calls wall (best) | calls CPU (best / median) | "
              "vs live wall | vs live CPU (best / median) | CPU per call vs live: calls / whole child | "
              "whole child wall (median) | events |" % (args.calls, args.repeat))
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, wall, cpu, cpu_med, dw, dc, dc_med, per, per_child, whole, n in rows:
            print("| %s | %.2f s | %.2f / %.2f s | %+.1f %% | %+.1f / %+.1f %% | %+.0f / %+.0f µs | %.2f s | %s |"
                  % (name, wall, cpu, cpu_med, dw, dc, dc_med, per, per_child, whole, n))
        print()
        print(ab_line + ".")
        print()
        print(rp_line + ".")
        print()
        print(load)
    else:
        for name, wall, cpu, cpu_med, dw, dc, dc_med, per, per_child, whole, n in rows:
            print("%-28s calls: wall %.2f s, CPU %.2f s (median %.2f); vs live: wall %+.1f %%, CPU %+.1f %% "
                  "(median %+.1f %%, %+.0f µs/call; whole child %+.0f µs/call); whole child %.2f s; events %s"
                  % (name, wall, cpu, cpu_med, dw, dc, dc_med, per, per_child, whole, n))
        print(ab_line)
        print(rp_line)
        print(load)

if __name__ == "__main__":
    main()
