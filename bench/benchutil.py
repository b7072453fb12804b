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
