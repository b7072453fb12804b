# SPDX-License-Identifier: GPL-3.0-or-later
"""Validation for legacy integrations: ``time_between_consecutive_requests_milliseconds``.

Only checks the value (a non-negative integer when set); no delay is implemented.
Run as ``python -m lhub_integ.common.time_between_rows_validate``.
"""
import os

from lhub_integ.common import validations

TIME_BETWEEN_ROWS = "time_between_consecutive_requests_milliseconds"


def check_time_between_rows():
    value = os.environ.get(TIME_BETWEEN_ROWS)
    if value is None or not value.strip():
        return None
    return validations.check_non_negative_integer(
        value, TIME_BETWEEN_ROWS, "Time between consecutive requests must be a non-negative integer")


def main():
    validations.finalize_validation_from_errors([check_time_between_rows()])


if __name__ == "__main__":
    main()
