# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers that integrations import: printing results and errors, formatting, small utilities.

Importing this module computes :data:`batch_info` from ``__execution_start_time_ms`` /
``__execution_end_time_ms`` (a non-numeric value fails the import, as with the SDK).
Like the SDK's, it loads jinja2, netaddr and dateutil (with ``dateutil.tz``) and the
other helper modules ``import lhub_integ`` brings in (see docs/sdk-compat.md).
"""
import contextlib
import io
import json
import os
import random
import re
import string
import sys
import time
from collections import namedtuple
from datetime import date, datetime, timezone

from lhub_integ import _fileio
from lhub_integ._optional import require
from lhub_integ.common import constants, input_helpers, input_json_helpers  # noqa: F401

# Loaded at import, as the SDK does; without the package only its helper fails
# (see lhub_integ/_optional.py).
try:
    import jinja2
except ModuleNotFoundError:
    jinja2 = None
try:
    import netaddr
except ModuleNotFoundError:
    netaddr = None
try:
    from dateutil import tz as dateutil_tz
except ModuleNotFoundError:
    dateutil_tz = None

EXECUTION_START_TIME_ENV = "__execution_start_time_ms"
EXECUTION_END_TIME_ENV = "__execution_end_time_ms"
ACTION_TIMEOUT_ENV = "__lh_action_timeout_sec"

# The SDK's type: a namedtuple named batch_info (its repr reads "batch_info(start_time=...").
BatchInfo = namedtuple("batch_info", ["start_time", "start_time_int", "end_time", "end_time_int"])

# HTTP status -> message, for integrations that report failed requests
all_message_response_map = {
    400: "Bad request: the service rejected the request",
    401: "Authentication failed: check the credentials",
    403: "Forbidden: the credentials do not allow this operation",
    404: "Not found: check the URL or the requested resource",
    405: "Method not allowed",
    408: "The request timed out",
    409: "Conflict",
    422: "Unprocessable entity: check the input values",
    429: "Too many requests: the service is throttling, try again later",
    500: "Internal server error on the remote service",
    502: "Bad gateway",
    503: "Service unavailable: try again later",
    504: "Gateway timeout",
}


# ----------------------------------------------------------------------------- printing results

def print_result(result, dump=False):
    """Print one result line (``[result] <text>``); a dict (or anything with dump=True) as JSON.

    With FileIO the result goes to the output file instead.
    """
    if dump:
        result = json.dumps(result)
    _fileio.emit_result(result)


def print_correlated_result(result, original_lhub_id, dump=False):
    """Print one result correlated to the input row ``original_lhub_id``."""
    if dump:
        result = json.dumps(result)
    _fileio.emit_result(result, original_lhub_id)


def print_error(message):
    """Print ``{"has_error": true, "error": message}`` as a result."""
    print_result({"has_error": True, "error": message})


def print_correlated_error(message, original_lhub_id, event_dict=None):
    """Print an error result correlated to ``original_lhub_id`` (extra keys from event_dict)."""
    result = {"has_error": True, "error": message}
    for key, value in (event_dict or {}).items():
        result.setdefault(key, value)
    print_correlated_result(result, original_lhub_id)


def exit_with_instantiation_errors(code, errors, message="Integration validation failed."):
    """Print ``{"errors": errors, "message": message}`` and exit with ``code``."""
    print_result({"errors": errors, "message": message})
    sys.exit(code)


def exit_with_error_message(code, message):
    exit_with_instantiation_errors(code, [], message)


def print_validation_message(errors, message="Integration validation failed."):
    """Print validation errors (a list of ``{"message", "inputId"}``) or success when empty."""
    if errors:
        print_result({"errors": errors, "message": message})
    else:
        print_successful_validation_result()


def print_successful_validation_result():
    print_result("{}")


def print_debug_log(message):
    """Print a plain ``[Debug] ...`` line (the platform backend does not show it)."""
    print("[Debug] %s" % (message,))


def print_stderr(*args, **kwargs):
    kwargs["file"] = sys.stderr
    print(*args, **kwargs)


def format_success(result=None):
    """``{"has_error": false, "error": null, ...result}``; a non-dict goes under "result"."""
    formatted = {"has_error": False, "error": None}
    if isinstance(result, dict):
        for key, value in result.items():
            if key not in formatted:
                formatted[key] = value
    elif result is not None:
        formatted["result"] = result
    return formatted


def format_error(message, result=None, exception=None):
    """``{"has_error": true, "error": message, ...}``; echoes message and exception to stderr."""
    print_stderr(message)
    formatted = {"has_error": True, "error": message}
    if exception is not None:
        print_stderr(repr(exception))
        formatted["error_exception"] = str(exception)
    if isinstance(result, dict):
        for key, value in result.items():
            if key not in formatted:
                formatted[key] = value
    return formatted


def print_each_result_in_list(results, original_lhub_id=None, sort_keys=True):
    """Print every result wrapped by :func:`format_success`; nothing -> a "noResults" row."""
    if not results:
        results = [{"noResults": "no results returned"}]
    for result in results:
        text = json.dumps(format_success(result), sort_keys=sort_keys, default=serialize_datetime_object)
        if original_lhub_id is not None:
            print_correlated_result(text, original_lhub_id)
        else:
            print_result(text)


# ----------------------------------------------------------------------------- templates

def render_jinja_template(text, data, autoescape=False, undefined=None):
    """Render ``text`` with the fields of ``data`` (StrictUndefined by default)."""
    jinja = require(jinja2, "jinja2")
    if undefined is None:
        undefined = jinja.StrictUndefined
    environment = jinja.Environment(autoescape=autoescape, undefined=undefined)
    return environment.from_string(text).render(data or {})


# ----------------------------------------------------------------------------- URLs

def check_for_http_or_https_protocol(url):
    return bool(url) and (url.lower().startswith("http://") or url.lower().startswith("https://"))


def add_default_http_protocol_if_missing(url, default_protocol="http://"):
    if not url or check_for_http_or_https_protocol(url):
        return url
    return default_protocol + url


def create_url_params_from_list(name, values):
    """``name=a&name=b`` for a list of values."""
    from urllib.parse import quote
    return "&".join("%s=%s" % (name, quote(str(v), safe="")) for v in (values or []))


# ----------------------------------------------------------------------------- values

def get_nested_key_value(data, keys, default=None, separator="."):
    """Follow ``keys`` (a list or a ``separator``-joined path) into nested dicts/lists."""
    if isinstance(keys, str):
        keys = keys.split(separator) if keys else []
    current = data
    for key in keys:
        if isinstance(current, dict) and key in current:
            current = current[key]
        elif isinstance(current, (list, tuple)):
            try:
                current = current[int(key)]
            except (ValueError, IndexError):
                return default
        else:
            return default
    return current


def random_text(length=8, alphabet=string.ascii_letters + string.digits):
    return "".join(random.choice(alphabet) for _ in range(length))


def password_generator(size=16, rules=None):
    """A random password of ``size`` characters.

    ``rules`` maps "lower", "upper", "digits", "special" to booleans (all true by
    default); at least one character of every enabled class is included.
    """
    classes = {
        "lower": string.ascii_lowercase,
        "upper": string.ascii_uppercase,
        "digits": string.digits,
        "special": "!@#$%^&*()-_=+[]{};:,.?",
    }
    rules = rules or {}
    enabled = [chars for name, chars in classes.items() if rules.get(name, True)]
    if not enabled:
        raise ValueError("password_generator: every character class is disabled")
    if size < len(enabled):
        raise ValueError("password_generator: size %d is smaller than the %d required classes"
                         % (size, len(enabled)))
    rng = random.SystemRandom()
    chars = [rng.choice(c) for c in enabled]
    pool = "".join(enabled)
    chars += [rng.choice(pool) for _ in range(size - len(chars))]
    rng.shuffle(chars)
    return "".join(chars)


def xstr(value):
    return "" if value is None else str(value)


def string_or_none(value):
    return str(value) if value else None


def array_or_none(value):
    return value if value else None


def int_of_string_or_none(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def to_boolean(value):
    """"true"/"yes"/1 -> True; "false"/"no"/falsy -> False; other strings ValueError."""
    if isinstance(value, bool):
        return value
    if not value:
        return False
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "yes", "y", "1"):
            return True
        if lowered in ("false", "no", "n", "0"):
            return False
        raise ValueError("Cannot convert %r to a boolean" % (value,))
    if isinstance(value, (int, float)):
        return bool(value)
    raise TypeError("Cannot convert a %s to a boolean" % type(value).__name__)


def keep_retrying(function, max_retries=3, wait_seconds=1.0, exceptions=(Exception,)):
    """Call ``function()`` until it does not raise; re-raise after ``max_retries`` retries."""
    attempt = 0
    while True:
        try:
            return function()
        except exceptions:
            if attempt >= max_retries:
                raise
            attempt += 1
            time.sleep(wait_seconds)


def convert_xml_attr_string_in_json_to_json_property(data):
    """Rename xmltodict's ``@attr`` / ``#text`` keys to plain ``attr`` / ``text`` recursively."""
    if isinstance(data, dict):
        converted = {}
        for key, value in data.items():
            if isinstance(key, str) and key[:1] in ("@", "#"):
                key = key[1:]
            converted[key] = convert_xml_attr_string_in_json_to_json_property(value)
        return converted
    if isinstance(data, list):
        return [convert_xml_attr_string_in_json_to_json_property(v) for v in data]
    return data


def ip_address_as_string(value):
    return str(require(netaddr, "netaddr").IPAddress(int(value)))


def ip_address_as_long(value):
    return int(require(netaddr, "netaddr").IPAddress(value))


def strip_shell_colors(text):
    return re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]", "", text or "")


def serialize_datetime_object(value):
    """``json.dumps(default=...)`` hook: dates and datetimes as ISO 8601 text."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


@contextlib.contextmanager
def capture_stdout_output():
    """Context manager collecting what is printed to stdout into a StringIO."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        yield buffer


@contextlib.contextmanager
def capture_stderr_output():
    buffer = io.StringIO()
    with contextlib.redirect_stderr(buffer):
        yield buffer


# ----------------------------------------------------------------------------- time window

def _epoch_ms(name):
    return float(os.environ.get(name, "0"))


def _utc():
    """The SDK's UTC: ``dateutil.tz.tzutc()`` (``datetime.timezone.utc`` without dateutil)."""
    return dateutil_tz.tzutc() if dateutil_tz is not None else timezone.utc


def get_execution_time_range():
    """The batch window from ``__execution_start_time_ms`` / ``__execution_end_time_ms`` (UTC)."""
    start = _epoch_ms(EXECUTION_START_TIME_ENV)
    end = _epoch_ms(EXECUTION_END_TIME_ENV)
    utc = _utc()
    return BatchInfo(
        start_time=datetime.fromtimestamp(start / 1000.0, tz=utc),
        start_time_int=int(start),
        end_time=datetime.fromtimestamp(end / 1000.0, tz=utc),
        end_time_int=int(end),
    )


def get_remaining_time_for_action(start_time=None, timeout_seconds=None):
    """Seconds left before ``__lh_action_timeout_sec`` elapses since ``start_time`` (epoch s).

    ``None`` when no timeout is known.
    """
    if timeout_seconds is None:
        raw = os.environ.get(ACTION_TIMEOUT_ENV, "").strip()
        if not raw:
            return None
        timeout_seconds = float(raw)
    if start_time is None:
        start_time = batch_info.start_time_int / 1000.0 if batch_info.start_time_int else time.time()
    return max(0.0, start_time + float(timeout_seconds) - time.time())


batch_info = get_execution_time_range()
