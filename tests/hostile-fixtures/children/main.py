# SPDX-License-Identifier: GPL-3.0-or-later
"""
name: Hostile children
description: Test fixture of test-hostile-children. A validator that ends in every odd way a child can (half a result then a hang, a stopped process, a signal to its supervisor, exec of another program, a [result] line over the line limit, a raise in __del__ at exit, every fd closed, a grandchild in its own process group holding the pipes) an action that never stops printing results, and one that signals the workbench.
"""
import json
import os
import signal
import subprocess
import sys
import time

from lhub_integ import action, connection_validator
from lhub_integ.execution import ExecutionType
from lhub_integ.params import ActionParam, ConnectionParam, DataType

MODE = ConnectionParam("MODE", description="how the validator ends", default="ok")
SIGNO = ActionParam("SIGNO", action="signal_workbench", data_type=DataType.INT, default="15",
                    description="the signal sent to the workbench")


class _RaisesAtExit:
    def __del__(self):
        raise RuntimeError("raised from __del__ at exit")


def _started():
    """Tells the test that watches $TMPDIR that every process is up."""
    tmp = os.environ.get("TMPDIR")
    if tmp:
        with open(os.path.join(tmp, "started"), "w") as f:
            f.write("%d\n" % os.getpid())


def _hang():
    _started()
    while True:
        time.sleep(1)


@connection_validator
def validate():
    mode = MODE.read()
    if mode == "partial_result_hang":
        sys.stdout.write("[result] {\"half\": ")
        sys.stdout.flush()
        _hang()
    if mode == "stdout_closed_hang":
        sys.stdout.flush()
        os.close(1)
        _hang()
    if mode == "own_group_grandchild":
        subprocess.Popen(["sleep", "300"], process_group=0)
        return None
    if mode == "own_group_hang":
        os.setpgid(0, 0)
        _hang()
    if mode == "sigstop":
        _started()
        os.kill(os.getpid(), signal.SIGSTOP)
        return None
    if mode == "term_parent":
        os.kill(os.getppid(), signal.SIGTERM)
        time.sleep(0.5)
        return None
    if mode == "kill_parent":
        subprocess.Popen(["sleep", "300"], start_new_session=True)
        subprocess.Popen(["sleep", "300"])
        os.kill(os.getppid(), signal.SIGKILL)
        _hang()
    if mode == "exec_hang":
        sys.stdout.flush()
        os.execvp("sh", ["sh", "-c", "echo '[result] {\"from\": \"sh\"}'; echo x > \"$TMPDIR/started\"; "
                         "exec sleep 300"])
    if mode == "exec_true":
        sys.stdout.flush()
        os.execvp("true", ["true"])
    if mode == "del_raises":
        global _kept
        _kept = _RaisesAtExit()
        return None
    if mode == "overlong_result":
        print("[result] " + json.dumps({"actionOverrides": [{"name": "x" * (5 << 20)}]}), flush=True)
        return None
    if mode == "overlong_only":
        print("[result] " + json.dumps({"big": "x" * (5 << 20)}), flush=True)
        os._exit(0)
    if mode == "all_fds_closed":
        os.closerange(0, 1024)
        time.sleep(0.2)
        os._exit(0)
    return None


@action(name="Endless", execution_type=ExecutionType.PROCESS_ONCE)
def endless():
    i = 0
    while True:
        print("[result] {\"i\": %d}" % i, flush=(i % 100 == 0))
        i += 1


@action(name="Signal the workbench", execution_type=ExecutionType.PROCESS_ONCE)
def signal_workbench():
    """Sends SIGNO to the workbench (the parent of its supervisor), then
    goes on: the workbench must neither die nor stop the run."""
    with open("/proc/%d/stat" % os.getppid()) as f:
        workbench = int(f.read().rsplit(")", 1)[1].split()[1])
    os.kill(workbench, SIGNO.read())
    time.sleep(0.5)
    return {"after": "the signal"}
