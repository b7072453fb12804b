# SPDX-License-Identifier: GPL-3.0-or-later
"""
name: Misbehaving fixture
description: Hangs, forks, floods, garbles: the runner must survive all of it
"""
import os
import subprocess
import sys
import time

from lhub_integ import action
from lhub_integ.common import file_manager_client
from lhub_integ.execution import ExecutionType
from lhub_integ.params import ActionParam, DataType

SIZE = ActionParam("SIZE", action=["flood_line", "flood_lines", "many_results"],
                   data_type=DataType.INT, default="1000")


@action(name="Sleep forever", execution_type=ExecutionType.PROCESS_ONCE)
def sleep_forever():
    print("[result] {\"before\": \"the hang\"}", flush=True)
    print("going to sleep", flush=True)
    while True:
        time.sleep(1)


@action(name="Fork and hang", execution_type=ExecutionType.PROCESS_ONCE)
def fork_and_hang():
    child = subprocess.Popen(["sleep", "300"])
    print("[result] {\"grandchild\": %d}" % child.pid, flush=True)
    while True:
        time.sleep(1)


@action(name="Fork and leave", execution_type=ExecutionType.PROCESS_ONCE)
def fork_and_leave():
    # A daemon-like grandchild that holds stdout open after the action returns
    child = subprocess.Popen(["sleep", "300"])
    return {"grandchild": child.pid}


@action(name="Flood line", execution_type=ExecutionType.PROCESS_ONCE)
def flood_line():
    out = sys.stdout.buffer
    chunk = b"x" * (1024 * 1024)
    for _ in range(SIZE.read()):
        out.write(chunk)
    out.write(b"\n")
    out.flush()
    return {"after": "flood"}


@action(name="Flood lines", execution_type=ExecutionType.PROCESS_ONCE)
def flood_lines():
    line = "y" * 99 + "\n"
    block = line * 1000
    for _ in range(SIZE.read() // 1000):
        sys.stdout.write(block)
    sys.stdout.flush()
    return {"after": "lines"}


@action(name="Garbled", execution_type=ExecutionType.PROCESS_ONCE)
def garbled():
    sys.stdout.flush()
    os.write(1, b"caf\xe9 latin-1 \xff\xfe\n")
    os.write(2, b"nul\x00byte and \xc3\x28 bad\n")
    os.write(1, b"[result] {\"ok\": \"after garbage\"}\n")
    return None


@action(name="Close stdin", execution_type=ExecutionType.PROCESS_ONCE)
def close_stdin():
    os.close(0)
    time.sleep(0.2)
    return {"closed": True}


@action(name="Write file", execution_type=ExecutionType.PROCESS_ONCE)
def write_file():
    f = file_manager_client.openNewFileForWriting(extension="txt")
    f.fd.write("hello from the fixture\n")
    f.close()
    return {"lhub_file_id": f.name}


@action(name="Many results", execution_type=ExecutionType.PROCESS_ONCE)
def many_results():
    return [{"i": i, "pad": "p" * 100} for i in range(SIZE.read())]


@action(name="Exit three", execution_type=ExecutionType.PROCESS_ONCE)
def exit_three():
    print("leaving with 3", file=sys.stderr, flush=True)
    os._exit(3)


@action(name="Crash", execution_type=ExecutionType.PROCESS_ONCE)
def crash():
    os.kill(os.getpid(), 9)
