# SPDX-License-Identifier: GPL-3.0-or-later
"""What the benches share: timing one command (wall and CPU time).

Imported by bench/run.py, bench/history.py and bench/reaper.py; Python puts
a script's own folder first on sys.path, so `python3 bench/X.py` finds it
from any working directory.
"""
import os
import resource
import subprocess
import sys
import time


def timed(cmd, env=None, stdin=None, cwd=None, pass_fds=()):
    """(wall seconds, CPU seconds of cmd and all it waited for: user + system
    of the command and its descendants). Its output goes to /dev/null, so
    every cost of producing it counts and none of showing it; exits the
    bench with the command's stderr when it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.run(cmd, stdin=stdin, stdout=null, stderr=subprocess.PIPE,
                              env=env, cwd=cwd, pass_fds=pass_fds)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        sys.exit("benchmark command failed ({}): {}\n{}".format(
            proc.returncode, " ".join(cmd), proc.stderr.decode(errors="replace")))
    return elapsed, cpu


def paired_ci(times, baseline, level=0.95, resamples=4000, seed=1):
    """(median, low, high): the median of times[i] / baseline[i] over rounds run one
    after the other, and a bootstrap confidence interval of it (the rounds
    resampled with replacement, percentile interval). On a machine whose speed
    drifts from one minute to the next, each round's ratio compares runs made under
    the same conditions, where a ratio of two medians (or bests) also compares the
    conditions; and one invocation's median still moves by a few percent: the
    interval says how far, so that a goal is called met only when the whole
    interval is under it."""
    import random
    import statistics
    ratios = [t / b for t, b in zip(times, baseline) if b > 0]
    if not ratios:
        return float("nan"), float("nan"), float("nan")
    rnd = random.Random(seed)
    medians = sorted(statistics.median(rnd.choices(ratios, k=len(ratios))) for _ in range(resamples))
    cut = (1 - level) / 2
    return (statistics.median(ratios), medians[int(cut * resamples)],
            medians[min(resamples - 1, int((1 - cut) * resamples))])


def verdict(low, high, goal):
    """A ratio goal (at most @goal) judged on a confidence interval."""
    if high <= goal:
        return "met"
    if low > goal:
        return "not met"
    return "undecided (the interval holds the goal)"


def shuffled_rounds(modes, repeat, seed=7):
    """@repeat rounds, each running every mode once in an order of its own (seeded):
    a mode always run right after another one would carry that position's effect
    (measured here: the same command, second in each round, 3.6 % slower)."""
    import random
    rnd = random.Random(seed)
    for _ in range(repeat):
        order = list(modes)
        rnd.shuffle(order)
        yield order


# What iwb passes on from its own environment to an integration's child
# (src/core/process/iwb-python.c, passthrough_vars), besides LC_*.
PASSTHROUGH = ("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR",
               "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
               "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")


def child_environ(environ, **extra):
    """The environment a baseline command (the bare shim) gets: the same clean one iwb
    builds for its children, not the bench's whole environment. The baseline must not
    carry what the workbench's child does not: requests, for one, reads every
    variable of os.environ on every call (proxies), so a long environment slows
    the baseline's calls and would flatter the workbench."""
    env = {k: v for k, v in environ.items() if k in PASSTHROUGH or k.startswith("LC_")}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.setdefault("LANG", "C.UTF-8")
    env.update(PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
    env.update(extra)
    return env
