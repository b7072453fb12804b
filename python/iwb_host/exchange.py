# SPDX-License-Identifier: GPL-3.0-or-later
"""One HTTP exchange as the hooks see it, and its event."""
import datetime
import itertools
import socket
import ssl
import threading
import time

from iwb_host import body as bodymod

_ids = itertools.count(1)


class NotRecordedError(ConnectionError):
    """Strict replay: the request is not in the cassette (a ConnectionError, as offline)."""


def _now_ms(t0):
    return round((time.perf_counter() - t0) * 1000.0, 3)


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


class Exchange:
    """Filled by the hooks as the request goes out and the caller reads the response."""

    def __init__(self, host, method, url, t0=None, wall=None):
        self.host = host
        self.id = next(_ids)
        self.t0 = t0 if t0 is not None else time.perf_counter()
        self.wall = wall if wall is not None else time.time()
        thread = threading.current_thread()
        self.thread = thread.name
        self.thread_id = thread.ident
        self.method = method
        self.url = url
        self.http_version = None
        self.req_headers = []
        self.req_body = bodymod.BodyBuffer(host.request_limit)
        self.req_chunked = False
        self.status = None
        self.reason = None
        self.resp_version = None
        self.resp_headers = []
        self.resp_body = None
        self.dns = None
        self.connect = None
        self.tls = None
        self.sent = None
        self.first_byte = None
        self.reused = True
        self.error = None
        self.replayed = False
        self.done = False
        self.incomplete = False

    # -- filled by the hooks

    def connected(self, timings):
        self.dns, self.connect, self.tls = timings
        self.reused = False

    def header(self, name, value):
        self.req_headers.append((name, value))
        if name.lower() == "transfer-encoding" and "chunked" in value.lower():
            self.req_chunked = True

    def request_sent(self):
        if self.sent is None:
            self.sent = _now_ms(self.t0)

    def response(self, status, reason, version, headers):
        self.first_byte = _now_ms(self.t0)
        if self.sent is None:
            self.sent = self.first_byte
        self.status = status
        self.reason = reason
        self.resp_version = version
        self.resp_headers = headers
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
        self.total = _now_ms(self.t0)
        self.host.exchange_done(self)

    # -- derived

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
        dt = datetime.datetime.fromtimestamp(self.wall, tz=datetime.timezone.utc)
        return dt.isoformat(timespec="milliseconds").replace("+00:00", "Z")
