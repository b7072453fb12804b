# SPDX-License-Identifier: GPL-3.0-or-later
"""
name: Runner benchmark
description: An action that returns its input row, and one that returns many rows
"""
from lhub_integ import action
from lhub_integ.execution import ExecutionType
from lhub_integ.params import ActionParam, DataType

COUNT = ActionParam("COUNT", action="many", data_type=DataType.INT, default="1000")


@action("Echo")
def echo(value, n):
    """
    Returns its input.

    :param value: a text column
    :param n: a number column
    """
    return {"value": value, "n": n}


@action(name="Many", execution_type=ExecutionType.PROCESS_ONCE)
def many():
    """COUNT result rows from one call."""
    return [{"i": i, "text": "result row"} for i in range(COUNT.read())]
