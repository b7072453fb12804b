# SPDX-License-Identifier: GPL-3.0-or-later
"""
name: Exit codes fixture
description: One way to end for each row of the SDK's exit-code table, and the endings that say nothing
"""
import os
import sys

from lhub_integ import action, connection_validator
from lhub_integ.execution import ExecutionType
from lhub_integ.params import ConnectionParam, ValidationError

MODE = ConnectionParam("MODE", description="ok, errors, raise, os_exit0, malformed, malformed_ok",
                       default="ok")


@connection_validator
def validate_connections():
    mode = MODE.read()
    if mode == "errors":
        return [ValidationError(message="bad value", param=MODE)]
    if mode == "raise":
        raise ValueError("the service said no")
    if mode == "os_exit0":
        sys.stdout.flush()
        os._exit(0)
    if mode == "malformed":
        print("[result] {\"not\": json", flush=True)
        os._exit(0)
    if mode == "malformed_ok":
        print("[result] {\"not\": json", flush=True)
    return None


@action(name="Succeed", execution_type=ExecutionType.PROCESS_ONCE)
def succeed():
    return {"ok": True}


@action(name="Traceback", execution_type=ExecutionType.PROCESS_ONCE)
def traceback_only():
    raise RuntimeError("uncaught in the action")


@action(name="Platform timeout", execution_type=ExecutionType.PROCESS_ONCE)
def exit_241():
    sys.stdout.flush()
    os._exit(241)


@action(name="Exit five", execution_type=ExecutionType.PROCESS_ONCE)
def exit_five():
    print("leaving with 5", file=sys.stderr, flush=True)
    os._exit(5)


@action(name="Malformed then exit", execution_type=ExecutionType.PROCESS_ONCE)
def malformed_exit():
    print("[result] {\"broken\": ", flush=True)
    sys.stdout.flush()
    os._exit(2)
