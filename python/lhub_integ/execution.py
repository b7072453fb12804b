# SPDX-License-Identifier: GPL-3.0-or-later
"""How the shim runs an action."""
from enum import Enum


class ExecutionType(Enum):
    # the function is called once per input row with the mapped columns
    PROCESS_PER_ROW = "process_per_row"
    # the function is called once, without arguments and without input rows
    # (platform actions whose results are not correlated to input rows)
    PROCESS_ONCE = "process_once"
