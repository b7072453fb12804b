# SPDX-License-Identifier: GPL-3.0-or-later
"""
name: Workbench UI Fixture
description: Drives the window's tests: field errors, row errors, many results, a slow action.
"""
import sys
import time

from lhub_integ import action, connection_validator
from lhub_integ.params import ActionParam, ConnectionParam, DataType, InputType, ValidationError

API_KEY = ConnectionParam("API_KEY", label="API key", input_type=InputType.PASSWORD)
REGION = ConnectionParam("REGION", label="Region", options=["eu", "us"])
PREFIX = ActionParam("PREFIX", action="echo", label="Prefix", default=">")


@connection_validator
def validate():
    if API_KEY.read() == "crash":
        sys.stderr.write("the validator broke down\n")
        return "not a list"
    if API_KEY.read() != "open-sesame":
        return [ValidationError(message="This key is not accepted", param=API_KEY)]
    return []


@action("Echo")
def echo(text):
    """Returns each row's text with the prefix.

    :param text: The text column
    """
    if text == "bad":
        raise ValueError("bad input row")
    return {"text": PREFIX.read() + text, "nested": {"length": len(text)}}


@action("Many results")
def many(count: int):
    """Returns COUNT results for the row.

    :param count: How many results
    """
    return [{"i": i, "square": i * i} for i in range(count)]


@action("Sleep")
def sleepy(seconds: float):
    """Sleeps, then answers.

    :param seconds: How long
    """
    time.sleep(seconds)
    return {"slept": seconds}
