# SPDX-License-Identifier: GPL-3.0-or-later
"""Current time helpers."""
import time
from datetime import datetime, timezone

DEFAULT_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def current_time_int():
    """Milliseconds since the epoch."""
    return int(time.time() * 1000)


def current_time_string(time_format=DEFAULT_TIME_FORMAT):
    """The current UTC time formatted with ``time_format``."""
    return datetime.now(timezone.utc).strftime(time_format)
