# SPDX-License-Identifier: GPL-3.0-or-later
"""Retrying requests that the service throttles (HTTP 429)."""
import time

TOO_MANY_REQUESTS = 429


def handle_request_throttling(wait_ms, request_function, max_retries=1):
    """Call ``request_function()``; on HTTP 429 wait ``wait_ms`` and retry (at most max_retries times)."""
    response = request_function()
    retries = 0
    while getattr(response, "status_code", None) == TOO_MANY_REQUESTS and retries < max_retries:
        time.sleep(max(0, wait_ms) / 1000.0)
        retries += 1
        response = request_function()
    return response
