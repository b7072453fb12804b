# SPDX-License-Identifier: GPL-3.0-or-later
"""Turn an HTTP response (requests) into a ``format_success`` / ``format_error`` dict."""
from lhub_integ.common import helpers


def derive_result_json(response):
    """401/403/404/other non-200 -> an error dict; 200 -> format_success of the JSON body."""
    status = response.status_code
    if status == 401:
        return helpers.format_error("Authentication failed (HTTP 401): check the credentials")
    if status == 403:
        return helpers.format_error("Access forbidden (HTTP 403): the credentials do not allow this request")
    if status == 404:
        return helpers.format_error("Not found (HTTP 404): %s" % getattr(response, "url", ""))
    if status != 200:
        return helpers.format_error("Request failed with HTTP %s: %s" % (status, getattr(response, "text", "")))
    try:
        body = response.json()
    except ValueError as ex:
        return helpers.format_error("The response is not valid JSON", exception=ex)
    return helpers.format_success(body)
