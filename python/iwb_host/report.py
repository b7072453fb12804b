# SPDX-License-Identifier: GPL-3.0-or-later
"""The event line of a finished exchange, built from cached pieces.

An integration calls the same few endpoints again and again: the request's
header lines, the response's headers (until the Date changes) and small bodies
repeat. :class:`EventLines` keeps the redacted JSON text of each such piece,
keyed by what it was made from (the raw header lines or parsed headers, the
raw body bytes and what shapes their form), and writes the line around them;
a piece seen for the first time is made by the Host's own functions
(``_body``, ``_capped``, the Redactor), so the line is exactly
``EventSink.encode(Host._event(...))`` — the tests compare the two.
"""
import json

from iwb_host import body as bodymod
from iwb_host.exchange import _ms

_str = json.encoder.encode_basestring_ascii
_encode = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode

# Entries kept per cache (each cache is emptied when full), and the largest
# body whose JSON is kept.
CACHE_MAX = 256
BODY_CACHE_MAX = 4096


_INFINITY = float("inf")


def _value(v):
    """JSON of a scalar, as json.dumps writes it."""
    if v is None:
        return "null"
    t = type(v)
    if t is str:
        return _str(v)
    if t is float:
        if v == v and v != _INFINITY and v != -_INFINITY:
            return float.__repr__(v)
        return _encode(v)
    if v is True:
        return "true"
    if v is False:
        return "false"
    if t is int:
        return int.__repr__(v)
    return _encode(v)


def _ms_json(ns):
    """JSON of Exchange's milliseconds (_ms) of a duration in nanoseconds (finite)."""
    return "null" if ns is None else float.__repr__(_ms(ns))


# The timings of a call on a reused connection (no DNS, connect or TLS), up to "sent".
_REUSED_TIMINGS = 'null,"connect":null,"tls":null,"sent":'
_FLAGS = {(True, False): '},"reused_connection":true,"replayed":false',
          (False, False): '},"reused_connection":false,"replayed":false',
          (True, True): '},"reused_connection":true,"replayed":true',
          (False, True): '},"reused_connection":false,"replayed":true'}


def _header_value(headers, name):
    for n, v in headers:
        if n.lower() == name:
            return v
    return None


class EventLines:
    def __init__(self, host):
        self.host = host
        self.redactor = host.redactor
        self._requests = {}
        self._responses = {}
        self._bodies = {}
        self._request_parts = {}
        self._response_parts = {}
        # ',"pid":N' of this process (the pid changes in a forked child), and
        # ',"thread":NAME,"thread_id":N' of the threads seen, by name and ident.
        self._pid_part = (None, None)
        self._threads = {}
        # The last header list seen and its head: finished exchanges share equal lists
        # (iwb_host.exchange), so a repeated one is recognised without hashing it.
        self._last_lines = self._last_request_head = None
        self._last_raw = self._last_response_head = None

    @staticmethod
    def _put(cache, key, value):
        if len(cache) >= CACHE_MAX:
            cache.clear()
        cache[key] = value
        return value

    def _request_head(self, ex):
        """(headers JSON, Content-Type, chunked) of the request."""
        lines = ex._header_lines
        if lines is not None and lines is self._last_lines:
            return self._last_request_head
        key = tuple(lines) if lines is not None else None
        head = self._requests.get(key) if key is not None else None
        if head is None:
            headers = ex.req_headers
            head = (_encode(self.redactor.headers(headers)), _header_value(headers, "content-type"),
                    ex.req_chunked)
            if key is not None:
                self._put(self._requests, key, head)
        if lines is not None:
            self._last_lines, self._last_request_head = lines, head
        return head

    def _response_head(self, ex):
        """(headers JSON, Content-Type, Content-Encoding) of the response."""
        raw = ex._resp_raw
        if raw is not None and raw is self._last_raw:
            return self._last_response_head
        key = tuple(raw) if raw is not None else None
        try:
            head = self._responses.get(key) if key is not None else None
        except TypeError:    # a message of another policy may hold unhashable values
            key = head = None
        if head is None:
            headers = ex.resp_headers
            head = (_encode(self.redactor.headers(headers)), _header_value(headers, "content-type"),
                    _header_value(headers, "content-encoding"))
            if key is not None:
                self._put(self._responses, key, head)
        if raw is not None:
            self._last_raw, self._last_response_head = raw, head
        return head

    def _body(self, data, size, content_type, truncated, decoded=None, incomplete=False):
        key = None
        if len(data) <= BODY_CACHE_MAX:
            key = (data, size, content_type, truncated, decoded, incomplete)
            text = self._bodies.get(key)
            if text is not None:
                return text
        host = self.host
        body = host._body(data, size, content_type, truncated, None)
        if decoded:
            body["decoded"] = decoded
        if incomplete:
            body["incomplete"] = True
        text = _encode(host._capped(body))
        if key is not None:
            self._put(self._bodies, key, text)
        return text

    def _request_part(self, ex, headers, body):
        """',"method": ... "request":{...},"timings":{"dns":' of an exchange: the same for
        every call with the same method, URL, version, header lines and body."""
        key = (ex.method, ex.url, ex.http_version, headers, body)
        text = self._request_parts.get(key)
        if text is None:
            text = self._put(self._request_parts, key, "".join((
                ',"method":', _value(ex.method), ',"url":', _value(self.redactor.url(ex.url)),
                ',"http_version":', _value(ex.http_version), ',"request":{"headers":', headers,
                ',"body":', body, '},"timings":{"dns":')))
        return text

    def _response_part(self, ex, headers, body):
        """',"response":{...}' of an exchange that got a response (the same for every
        response with the same status line, headers and body)."""
        key = (ex.status, ex.reason, ex.resp_version, headers, body)
        text = self._response_parts.get(key)
        if text is None:
            text = self._put(self._response_parts, key, "".join((
                ',"response":{"status":', _value(ex.status), ',"reason":',
                _str(self.redactor.text(ex.reason or "")), ',"http_version":', _value(ex.resp_version),
                ',"headers":', headers, ',"body":', body, '}')))
        return text

    def line(self, ex):
        """The event of @ex as one line of JSON (without its newline)."""
        headers, content_type, chunked = self._request_head(ex)
        buf = ex.req_body
        data = buf.value()
        if chunked:
            data = bodymod.dechunk(data)
        truncated = buf.truncated
        body = self._body(data, len(data) if not truncated else buf.size, content_type, truncated)
        pid = self.host.pid
        pid_part = self._pid_part
        if pid_part[0] != pid:
            pid_part = self._pid_part = (pid, ',"pid":' + int.__repr__(pid))
        key = (ex.thread, ex.thread_id)
        thread_part = self._threads.get(key)
        if thread_part is None:
            thread_part = self._put(self._threads, key, "".join((
                ',"thread":', _value(key[0]), ',"thread_id":', _value(key[1]))))
        dns, connect, tls = ex.dns, ex.connect, ex.tls
        if dns is None and connect is None and tls is None:
            timings = _REUSED_TIMINGS
        else:
            timings = "".join((_value(dns), ',"connect":', _value(connect), ',"tls":', _value(tls),
                               ',"sent":'))
        out = [
            '{"event":"http","id":', int.__repr__(ex.id), pid_part[1], thread_part,
            ',"started":', _str(ex.started_iso()), self._request_part(ex, headers, body),
            timings, _ms_json(ex.sent_ns), ',"first_byte":', _ms_json(ex.first_byte_ns),
            ',"total":', _ms_json(ex.total_ns), _FLAGS[(ex.reused is True, ex.replayed is True)],
        ]
        if ex.status is not None:
            headers, content_type, encoding = self._response_head(ex)
            buf = ex.resp_body
            data = buf.value() if buf is not None else b""
            decoded = None
            truncated = buf.truncated if buf is not None else False
            if encoding and not truncated and not ex.incomplete:
                plain = bodymod.decode_content(data, encoding)
                if plain is not None:
                    data, decoded = plain, encoding.strip().lower()
            size = (buf.size if buf is not None else 0) if decoded is None else len(data)
            out.append(self._response_part(
                ex, headers, self._body(data, size, content_type, truncated, decoded, ex.incomplete)))
        if ex.error is not None:
            r = self.redactor
            out += [',"error":', _encode({k: r.text(v) for k, v in ex.error.items()})]
        out.append("}")
        return "".join(out)
