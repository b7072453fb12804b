# SPDX-License-Identifier: GPL-3.0-or-later
"""
name: Run fixture
description: Every way a run reports back, for tests/test-run.c
"""
import os

import requests

from lhub_integ import action, connection_validator
from lhub_integ.execution import ExecutionType
from lhub_integ.params import ActionParam, ConnectionParam, DataType, JinjaTemplatedStr, ValidationError

SERVICE_URL = ConnectionParam("SERVICE_URL", description="demo service URL")
TOKEN = ConnectionParam("TOKEN", description="chat token", input_type="password")
RATIO = ConnectionParam("RATIO", data_type=DataType.NUMBER, default="0.5")

COUNT = ActionParam("COUNT", action=["echo", "checked"], data_type=DataType.INT, default="1")
FLAG = ActionParam("FLAG", action="echo", data_type=DataType.BOOL, optional=True, default="no")


@connection_validator
def validate():
    response = requests.post("{}/chat/hooks/{}".format(SERVICE_URL.read(), TOKEN.read()),
                             json={"text": "test message from the run fixture"}, timeout=10)
    if response.status_code == 401:
        return [ValidationError(message="token rejected", param=TOKEN)]
    if response.status_code == 500:
        raise RuntimeError("service broken")
    return None


@action("Echo")
def echo(value):
    """
    Returns its input.

    :param value: the column to echo
    """
    if value == "boom":
        raise ValueError("boom requested")
    print("echo of {}".format(value))
    return {"value": value, "count": COUNT.read(), "flag": FLAG.read()}


@action("Greet")
def greet(name, greeting: JinjaTemplatedStr):
    """
    Renders a template per row.

    :param name: a name column
    :param greeting: the template
    """
    return {"name": name, "greeting": greeting}


def _check():
    return [ValidationError(message="COUNT must be below 10", param=COUNT)] if COUNT.read() >= 10 else []


@action(name="Checked", validator=_check)
def checked(value):
    """
    :param value: anything
    """
    return {"value": value}


@action(name="Environment", execution_type=ExecutionType.PROCESS_ONCE)
def environment():
    """What the workbench set for the SDK."""
    keys = ["__lh_ssl_verify", "__execution_start_time_ms", "__execution_end_time_ms",
            "INTEGRATIONS_FILES_PATH", "__integration_descriptor", "SERVICE_URL", "COUNT"]
    return {k: os.environ.get(k) for k in keys}


@action(name="Several", execution_type=ExecutionType.PROCESS_ONCE)
def several():
    """A list of results, a nested one and plain values."""
    return [{"a": 1}, {"nested": {"b": [1, 2]}}, "text", 42]
