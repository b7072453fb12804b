# SPDX-License-Identifier: GPL-3.0-or-later
"""One HTTP exchange as the hooks see it, and its event."""
import datetime
import itertools
import math
import socket
import ssl
import threading
import time

from iwb_host import body as bodymod

try:
    # The policy of http.client's messages, whose raw header list reads as their items().
    from email._policybase import compat32 as _COMPAT32
except ImportError:  # pragma: no cover
    _COMPAT32 = None

_ids = itertools.count(1)


class NotRecordedError(ConnectionError):
    """Strict replay: the request is not in the cassette (a ConnectionError, as offline)."""


_clock = time.perf_counter_ns
_current_thread = threading.current_thread

# "YYYY-MM-DDTHH:MM:SS" of the last whole seconds seen (Exchange.started_iso).
_iso_seconds = {}
_ISO_SECONDS_MAX = 64


def iso_utc_ms(wall):
    """@wall (seconds since the epoch) as ISO 8601 UTC with milliseconds, exactly as
    ``datetime.fromtimestamp(wall, timezone.utc).isoformat(timespec="milliseconds")``
    with "Z" for "+00:00" writes it: microseconds rounded half to even, then cut to
    milliseconds; the date and time of a second are formatted once."""
    frac, whole = math.modf(wall)
    us = round(frac * 1e6)
    seconds = int(whole)
    if us >= 1000000:
        seconds += 1
        us -= 1000000
    elif us < 0:
        seconds -= 1
        us += 1000000
    prefix = _iso_seconds.get(seconds)
    if prefix is None:
        if len(_iso_seconds) >= _ISO_SECONDS_MAX:
            _iso_seconds.clear()
        prefix = _iso_seconds[seconds] = datetime.datetime.fromtimestamp(
            seconds, tz=datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return "%s.%03dZ" % (prefix, us // 1000)


def _ms(ns):
    """Milliseconds (3 decimals: whole microseconds, half up) of a duration in nanoseconds;
    None stays None. In integers, then one division: a third of round(ns / 1e6, 3)'s cost."""
    return None if ns is None else ((ns + 500) // 1000) / 1000


def _text(value):
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")
    return str(value)


def _header_line(line):
    """(name, value) of one header line as http.client buffers it: NAME + b": " + VALUE."""
    name, _, value = bytes(line).partition(b":")
    return name.decode("latin-1"), value[1:].decode("latin-1")


def _chain(exc):
    seen = []
    while exc is not None and len(seen) < 12 and exc not in seen:
        seen.append(exc)
        nxt = getattr(exc, "__cause__", None) or getattr(exc, "__context__", None)
        if nxt is None:
            reason = getattr(exc, "reason", None)  # urllib3's MaxRetryError, urllib's URLError
            nxt = reason if isinstance(reason, BaseException) else None
        exc = nxt
    return seen


def classify_error(exc):
    """(kind, reason) of an exception: refused, dns, timeout, certificate, tls, reset, closed, not_recorded, error."""
    for e in _chain(exc):
        if isinstance(e, NotRecordedError):
            return "not_recorded", str(e)
        if isinstance(e, ssl.SSLCertVerificationError):
            return "certificate", getattr(e, "verify_message", None) or str(e)
        if isinstance(e, ssl.SSLError):
            return "tls", getattr(e, "reason", None) or str(e)
        if isinstance(e, socket.gaierror):
            return "dns", e.strerror or str(e)
        if isinstance(e, ConnectionRefusedError):
            return "refused", e.strerror or str(e)
        if isinstance(e, (socket.timeout, TimeoutError)):
            return "timeout", str(e) or "timed out"
        if isinstance(e, (ConnectionResetError, BrokenPipeError)):
            return "reset", e.strerror or str(e)
    name = type(exc).__name__
    if name in ("RemoteDisconnected", "IncompleteRead", "BadStatusLine"):
        return "closed", str(exc)
    for e in _chain(exc):
        if "timed out" in str(e).lower() or "timeout" in type(e).__name__.lower():
            return "timeout", str(e)
    return "error", str(exc)


# Bodies up to this size are compared with the previous exchange's (Exchange's docstring).
_SHARED_BODY_MAX = 4096


class LastSeen:
    """What the previous finished exchange held (per Host): request header lines,
    response header pairs, request and response body bytes."""

    __slots__ = ("lines", "raw", "req", "resp")

    def __init__(self):
        self.lines = self.raw = self.req = self.resp = None


def _shared_body(buf, last):
    """Makes @buf's one small kept part the @last bytes when they are equal; returns
    what the next exchange's body is compared with."""
    parts = buf._parts
    if len(parts) != 1 or len(parts[0]) > _SHARED_BODY_MAX:
        return last
    if parts[0] == last:
        parts[0] = last
        return last
    return parts[0]


def _share(ex, last):
    """On the calling thread, as @ex finishes: takes equal pieces from @last (a
    LastSeen), then leaves its own there. Two threads finishing together may
    each miss a piece (it is only kept twice then)."""
    lines = ex._header_lines
    if lines is not None:
        if lines == last.lines:
            ex._header_lines = last.lines
        else:
            last.lines = lines
    raw = ex._resp_raw
    if raw:
        if raw == last.raw:
            ex._resp_raw = last.raw
        else:
            last.raw = raw
    last.req = _shared_body(ex.req_body, last.req)
    if ex.resp_body is not None:
        last.resp = _shared_body(ex.resp_body, last.resp)


class Exchange:
    """Filled by the hooks as the request goes out and the caller reads the response.

    On the calling thread the hooks only keep references and clock readings
    (nanoseconds); everything derived — header texts, milliseconds, the event —
    is computed when the exchange is reported (iwb_host.launch's writer thread).
    Request headers are the lines http.client buffered for the request
    (``_buffer``, taken at ``endheaders`` or, for a request that failed before,
    when it finishes); response headers are the parsed message's (name, value)
    pairs, kept without the message.

    A finished exchange waits for the writer, and while it waits what it holds
    stays in memory: the calling thread's next calls then allocate elsewhere,
    colder in the caches, which costs them more than keeping the exchange
    small. So a finished exchange shares its header lists and small bodies with
    the previous exchange when they are equal (the usual case: an integration
    calls the same endpoint again), and its own copies are freed at once."""

    __slots__ = ("host", "id", "t0", "wall", "thread", "thread_id", "method", "url", "http_version",
                 "_header_lines", "_conn_buffer", "_buffer_start", "_req_headers", "req_body", "status", "reason",
                 "resp_version", "_resp_raw", "_resp_headers", "resp_body", "dns", "connect", "tls",
                 "sent_ns", "first_byte_ns", "total_ns", "reused", "error", "replayed", "done",
                 "incomplete", "__weakref__")

    def __init__(self, host, method, url, t0=None, wall=None):
        self.host = host
        self.id = next(_ids)
        self.t0 = t0 if t0 is not None else _clock()
        self.wall = wall if wall is not None else time.time()
        # The calling thread's name as it is now (a thread renamed later made this call
        # under this name) and its ident.
        thread = _current_thread()
        self.thread = thread.name
        self.thread_id = thread.ident
        self.method = method
        self.url = url
        self.http_version = None
        self._conn_buffer = None
        self._buffer_start = 0
        self._header_lines = None
        self._req_headers = None
        self.req_body = bodymod.BodyBuffer(host.request_limit)
        self.status = None
        self.reason = None
        self.resp_version = None
        self._resp_raw = None
        self._resp_headers = []
        self.resp_body = None
        self.dns = None
        self.connect = None
        self.tls = None
        self.sent_ns = None
        self.first_byte_ns = None
        self.total_ns = None
        self.reused = True
        self.error = None
        self.replayed = False
        self.done = False
        self.incomplete = False

    # -- filled by the hooks

    def connected(self, timings):
        self.dns, self.connect, self.tls = timings
        self.reused = False

    def buffering(self, buffer, start):
        """http.client buffers this request's request line at @buffer[@start], then its header lines."""
        self._conn_buffer = buffer
        self._buffer_start = start

    def headers_sent(self):
        """Takes the header lines of the request from the buffer before http.client sends and clears it."""
        buffer = self._conn_buffer
        if buffer is not None:
            self._header_lines = buffer[self._buffer_start + 1:]
            self._conn_buffer = None

    def request_sent(self):
        if self.sent_ns is None:
            self.sent_ns = _clock() - self.t0

    def response(self, status, reason, version, msg):
        self.first_byte_ns = _clock() - self.t0
        if self.sent_ns is None:
            self.sent_ns = self.first_byte_ns
        self.status = status
        self.reason = reason
        self.resp_version = version
        raw = getattr(msg, "_headers", None)
        if type(raw) is not list or getattr(msg, "policy", None) is not _COMPAT32:
            raw = list(msg.items()) if msg is not None else []
        self._resp_raw = raw
        self._resp_headers = None
        self.resp_body = bodymod.BodyBuffer(self.host.response_limit)

    def fail(self, exc):
        if self.done:
            return
        kind, reason = classify_error(exc)
        self.error = {"kind": kind, "message": "%s: %s" % (type(exc).__name__, exc), "reason": reason}
        self.finish()

    def finish(self, incomplete=False):
        if self.done:
            return
        self.done = True
        self.incomplete = incomplete
        self.total_ns = _clock() - self.t0
        if self._header_lines is None:
            # Finished before its headers went out: the lines buffered so far.
            self.headers_sent()
        _share(self, self.host.last)
        self.host.exchange_done(self)

    # -- derived (when reported)

    @property
    def req_headers(self):
        headers = self._req_headers
        if headers is None:
            headers = self._req_headers = [_header_line(line) for line in self._header_lines or ()]
        return headers

    @property
    def resp_headers(self):
        headers = self._resp_headers
        if headers is None:
            raw = self._resp_raw
            headers = self._resp_headers = [(_text(n), _text(v)) for n, v in raw] if raw is not None else []
        return headers

    @property
    def req_chunked(self):
        for n, v in self.req_headers:
            if n.lower() == "transfer-encoding" and "chunked" in v.lower():
                return True
        return False

    @property
    def sent(self):
        return _ms(self.sent_ns)

    @property
    def first_byte(self):
        return _ms(self.first_byte_ns)

    @property
    def total(self):
        return _ms(self.total_ns)

    def header_value(self, headers, name):
        name = name.lower()
        for n, v in headers:
            if n.lower() == name:
                return v
        return None

    def request_bytes(self):
        data = self.req_body.value()
        if self.req_chunked:
            data = bodymod.dechunk(data)
        return data

    def response_bytes(self):
        """(bytes, decoded encoding or None) of the response body as the caller read it."""
        if self.resp_body is None:
            return b"", None
        data = self.resp_body.value()
        encoding = self.header_value(self.resp_headers, "content-encoding")
        if encoding and not self.resp_body.truncated and not self.incomplete:
            decoded = bodymod.decode_content(data, encoding)
            if decoded is not None:
                return decoded, encoding.strip().lower()
        return data, None

    def started_iso(self):
        return iso_utc_ms(self.wall)
