# SPDX-License-Identifier: GPL-3.0-or-later
"""
name: Process trees fixture
description: Forks, double-forks, setsid daemons and SIGTERM-deaf children: nothing may outlive a run
"""
import os
import signal
import subprocess
import sys
import time

from lhub_integ import action, connection_validator
from lhub_integ.execution import ExecutionType
from lhub_integ.params import ConnectionParam

MODE = ConnectionParam("MODE", description="ok, or hang (daemonize, then hang)", default="ok")


def _daemonize(deaf=False):
    """fork, setsid, fork: the classic daemon, which leaves every process
    group and session of its parent. Returns the daemon's pid."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.setsid()
        pid2 = os.fork()
        if pid2 == 0:
            if deaf:
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
            os.write(w, b"%d\n" % os.getpid())
            os.close(w)
            # stdio closed like a real daemon: no pipe keeps the run waiting
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            while True:
                time.sleep(1)
        os._exit(0)
    os.close(w)
    os.waitpid(pid, 0)
    with os.fdopen(r) as f:
        return int(f.read().strip())


def _started():
    """Tells a test that watches $TMPDIR that every process is up."""
    tmp = os.environ.get("TMPDIR")
    if tmp:
        with open(os.path.join(tmp, "started"), "w") as f:
            f.write("%d\n" % os.getpid())


def _fork_chain(depth):
    """A chain of forked processes, each sleeping."""
    if os.fork() == 0:
        if depth > 1:
            _fork_chain(depth - 1)
        while True:
            time.sleep(1)


@connection_validator
def validate_connections():
    if MODE.read() == "hang":
        daemon = _daemonize(deaf=True)
        print("[result] {\"daemon\": %d}" % daemon, flush=True)
        print("validator hangs", flush=True)
        _started()
        while True:
            time.sleep(1)
    return None


@action(name="Daemonize and hang", execution_type=ExecutionType.PROCESS_ONCE)
def daemonize_hang():
    daemon = _daemonize()
    deaf = _daemonize(deaf=True)
    print("[result] {\"daemon\": %d, \"deaf\": %d}" % (daemon, deaf), flush=True)
    print("daemons started", flush=True)
    _started()
    while True:
        time.sleep(1)


@action(name="Daemonize and leave", execution_type=ExecutionType.PROCESS_ONCE)
def daemonize_leave():
    return {"daemon": _daemonize(deaf=True)}


@action(name="Ignore SIGTERM", execution_type=ExecutionType.PROCESS_ONCE)
def ignore_term():
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # children that ignore it too (SIG_IGN is inherited across exec)
    subprocess.Popen(["sleep", "300"])
    subprocess.Popen(["sh", "-c", "sleep 300 & sleep 300"])
    print("[result] {\"deaf\": true}", flush=True)
    print("ignoring SIGTERM", flush=True)
    _started()
    while True:
        time.sleep(1)


@action(name="Fork tree", execution_type=ExecutionType.PROCESS_ONCE)
def fork_tree():
    _fork_chain(3)
    _daemonize()
    subprocess.Popen(["sleep", "300"], start_new_session=True)
    print("[result] {\"tree\": true}", flush=True)
    print("tree started", flush=True)
    _started()
    while True:
        time.sleep(1)
