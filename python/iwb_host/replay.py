# SPDX-License-Identifier: GPL-3.0-or-later
"""Replay: answers the child's HTTP calls from a cassette without opening a socket.

A replayed connection gets a :class:`FakeSocket` instead of a network
connection: what the library writes to it is kept, and when the library reads
the response (``makefile``), the request captured by the hooks is matched
against the cassette and the recorded response is served from memory.

Each recorded response is parsed once, by http.client itself (its status
line and headers into a message, as ``HTTPResponse.begin()`` does): a
replayed call gets a reader of the body alone that carries that parse, and
the ``begin()`` hook installed by :func:`install_begin_hook` copies it into
the response instead of parsing the same bytes again. urllib3 and requests
see the same response object as for a real one.
"""
import copy
import http.client
import io
import os
import socket
import ssl
import sys
import threading

from iwb_host import body as bodymod
from iwb_host import hooks
from iwb_host.cassette import request_key
from iwb_host.exchange import NotRecordedError

_HOP_HEADERS = ("transfer-encoding", "content-length", "content-encoding", "connection", "keep-alive")


def response_bytes(response):
    """The raw HTTP/1.1 bytes of a recorded response (body whole, Content-Length set)."""
    data = bodymod.from_json(response.get("body"))
    status = int(response.get("status", 200))
    reason = response.get("reason") or ""
    lines = ["HTTP/1.1 %d %s" % (status, reason)]
    for name, value in response.get("headers") or ():
        if name.lower() in _HOP_HEADERS:
            continue
        lines.append("%s: %s" % (name, value.replace("\r", " ").replace("\n", " ")))
    lines.append("Content-Length: %d" % len(data))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace") + data


class _ReplayReader(io.BufferedReader):
    """The body of a replayed response; ``prepared`` is its parse (see _prepare)."""


def _prepare(raw):
    """(what begin() sets, the parsed message, the body) of a recorded response's raw
    bytes, parsed once by http.client's own begin(); None when it cannot be parsed
    (the raw bytes are then served and parsed per call, as by a real response)."""
    class _Source:
        def makefile(self, mode="rb"):
            return io.BufferedReader(io.BytesIO(raw))
    try:
        r = http.client.HTTPResponse(_Source())
        r.begin()
        body = r.fp.read()
    except Exception:  # noqa: BLE001 (a response http.client itself refuses: served raw)
        return None
    if r.chunked or r.length != len(body):
        return None
    return ((r.status, r.reason, r.version, r.will_close, r.length), r.msg, body)


_begin_hooked = False


def install_begin_hook():
    """Makes HTTPResponse.begin() take the prepared parse of a replayed response (once)."""
    global _begin_hooked
    if _begin_hooked:
        return
    R = http.client.HTTPResponse
    orig_begin = R.begin
    HTTPMessage = http.client.HTTPMessage

    def begin(self):
        fp = self.fp
        if type(fp) is not _ReplayReader or self.headers is not None:
            return orig_begin(self)
        (status, reason, version, will_close, length), template, _ = fp.prepared
        # A message as parse_headers() makes it (a copy of the template's header list).
        msg = HTTPMessage(template.policy)
        msg._headers = template._headers[:]
        msg._payload = template._payload
        msg._unixfrom = template._unixfrom
        msg.defects = template.defects[:]
        self.headers = self.msg = msg
        self.code = self.status = status
        self.reason = reason
        self.version = version
        self.chunked = False
        self.will_close = will_close
        # As begin() reads it for this request: no body for HEAD (nor for 1xx, 204, 304,
        # already so in the prepared length).
        self.length = 0 if self._method == "HEAD" else length
    begin.__doc__ = orig_begin.__doc__
    begin.__wrapped__ = orig_begin
    R.begin = begin
    _begin_hooked = True


def recorded_error(error, what):
    kind = error.get("kind")
    message = "%s (replayed from the cassette: %s)" % (error.get("reason") or error.get("message") or kind, what)
    if kind == "refused":
        return ConnectionRefusedError(111, message)
    if kind == "dns":
        return socket.gaierror(socket.EAI_NONAME, message)
    if kind == "timeout":
        return socket.timeout(message)
    if kind == "certificate":
        return ssl.SSLCertVerificationError(1, message)
    if kind == "reset":
        return ConnectionResetError(104, message)
    return ConnectionError(message)


class FakeSocket:
    """What a replayed connection writes to and reads from."""

    def __init__(self, replay, conn):
        self._replay = replay
        self._conn = conn
        self._out = bytearray()
        self._timeout = None
        self._pipe = None
        self._live = None

    # writing
    def sendall(self, data, *args):
        self._out += data

    def send(self, data, *args):
        self._out += data
        return len(data)

    # reading
    def makefile(self, mode="rb", *args, **kwargs):
        raw = bytes(self._out)
        self._out.clear()
        return self._replay.answer(self, self._conn, raw)

    # what libraries ask a socket
    def settimeout(self, value):
        self._timeout = value

    def gettimeout(self):
        return self._timeout

    def setsockopt(self, *args):
        pass

    def getsockopt(self, *args):
        return 0

    def setblocking(self, flag):
        pass

    def fileno(self):
        # urllib3 polls a pooled connection to see whether the peer closed it:
        # the read end of an idle pipe says "still open" (a pipe, not a socket).
        if self._pipe is None:
            self._pipe = os.pipe()
        return self._pipe[0]

    def getpeername(self):
        return (self._conn.host, self._conn.port)

    def shutdown(self, how):
        pass

    def close(self):
        if self._pipe is not None:
            for fd in self._pipe:
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._pipe = None
        if self._live is not None:
            self._live.close()
            self._live = None

    def __del__(self):
        self.close()


# Match keys kept (of requests whose body is at most _KEY_BODY_MAX bytes).
_KEYS_MAX = 512
_KEY_BODY_MAX = 4096
# Different recorded responses whose prepared form is shared by content.
_RESPONSES_MAX = 512


def _content_key(response):
    """What makes a recorded response's bytes (status, reason, headers, body), as a
    dictionary key; None when the response is not shaped so."""
    if not isinstance(response, dict):
        return None
    body = response.get("body")
    headers = response.get("headers") or ()
    if not isinstance(body, dict) or not isinstance(headers, (list, tuple)):
        return None
    return (response.get("status"), response.get("reason"),
            tuple(tuple(h) if isinstance(h, list) else h for h in headers),
            body.get("text"), body.get("base64"))


class Replay:
    """Matches requests against the cassette (indexed once, on the first request) and serves
    the recorded responses. The match key of a request seen before and the raw bytes of a
    recorded response are kept, so a repeated call costs a few dictionary lookups."""

    def __init__(self, cassette, strict, redactor, log=None):
        self.cassette = cassette
        self.strict = strict
        self.redactor = redactor
        self.log = log or sys.stderr
        self._log_lock = threading.Lock()
        self._keys = {}
        self._responses = {}
        self._by_content = {}

    def fake_connect(self, conn):
        conn.sock = FakeSocket(self, conn)
        if hooks.is_https(conn) and hasattr(conn, "is_verified"):
            conn.is_verified = True   # urllib3 2 warns about unverified HTTPS otherwise

    def _key(self, ex):
        """(match key, redacted URL) of @ex's request. Made from what the hooks kept
        (method, URL, the header lines as written, the body bytes as sent), so a request
        sent before is answered from a cache without parsing its headers again."""
        lines = ex._header_lines
        sent = ex.req_body.value()
        raw = ((ex.method, ex.url, tuple(lines) if lines else (), sent)
               if len(sent) <= _KEY_BODY_MAX else None)
        cache = self._keys
        made = cache.get(raw) if raw is not None else None
        if made is None:
            made = self._make_key(ex)
            if raw is not None:
                if len(cache) >= _KEYS_MAX:
                    cache.clear()
                cache[raw] = made
        return made

    def _make_key(self, ex):
        url = self.redactor.url(ex.url)
        data = self.redactor.data(ex.request_bytes())
        content_type = None
        for name, value in ex.req_headers:
            if name.lower() == "content-type":
                content_type = value      # the last one, as request_key() reads it
        # request_key() reads only the Content-Type of the headers
        key = request_key(ex.method, url, [("Content-Type", content_type)] if content_type else (), data)
        return key, url

    def _response(self, interaction):
        """(raw bytes, prepared parse or None) of a recorded response, made once per
        interaction, and once for all the interactions that recorded the same response:
        a call repeated a thousand times is a thousand interactions (answered in
        recorded order) but only as many different responses as the Date header had."""
        made = self._responses.get(id(interaction))
        if made is None:
            response = interaction["response"]
            key = _content_key(response)
            try:
                made = self._by_content.get(key) if key is not None else None
            except TypeError:        # a value of a hand-edited cassette that cannot be hashed
                key = None
            if made is None:
                raw = response_bytes(response)
                made = (raw, _prepare(raw))
                if key is not None:
                    if len(self._by_content) >= _RESPONSES_MAX:
                        self._by_content.clear()
                    self._by_content[key] = made
            self._responses[id(interaction)] = made
        return made

    def _reader(self, interaction):
        """A reader of a recorded response for http.client: of its body alone with its
        parse when begin() is hooked, else of its raw bytes."""
        raw, prepared = self._response(interaction)
        if prepared is None or not _begin_hooked:
            return io.BufferedReader(io.BytesIO(raw))
        reader = _ReplayReader(io.BytesIO(prepared[2]))
        reader.prepared = prepared
        return reader

    def answer(self, fake, conn, raw_request):
        st = hooks._state(conn)
        ex = st.current
        if ex is None:
            raise ConnectionError("iwb replay: a response was read on %s without a request"
                                  % hooks.connection_url(conn))
        key, url = self._key(ex)
        interaction = self.cassette.match(key)
        what = "%s %s" % (ex.method, url)
        if interaction is None:
            if self.strict:
                raise NotRecordedError(
                    "%s was not recorded in the cassette %s (strict replay answers only recorded "
                    "calls: record it again, or replay without --strict to let it through)"
                    % (what, self.cassette.path))
            self._say("iwb replay: %s was not recorded in %s; sent to the network" % (what, self.cassette.path))
            return self._passthrough(fake, conn, raw_request, ex)
        if interaction.get("response") is None:
            raise recorded_error(interaction.get("error") or {}, what)
        ex.replayed = True
        return self._reader(interaction)

    def _passthrough(self, fake, conn, raw_request, ex):
        """Lenient replay of an unrecorded call: a real connection of its own, for this call only.

        The connection's state names the call's exchange @ex as its current one, so that
        the connect hook gives @ex its timings, or — when the connection fails (refused,
        DNS, TLS...) — fails @ex itself: one exchange, with its method and URL, per call."""
        live = copy.copy(conn)
        live.__dict__.pop("_iwb_state", None)
        hooks._state(live).current = ex
        live.sock = None
        hooks.set_passthrough(True)
        try:
            live.connect()
        finally:
            hooks.set_passthrough(False)
        if fake._live is not None:
            fake._live.close()
        fake._live = live.sock
        live.sock.sendall(raw_request)
        return live.sock.makefile("rb")

    def _say(self, line):
        with self._log_lock:
            try:
                self.log.write(line + "\n")
                self.log.flush()
            except (OSError, ValueError):
                pass


def guard_sockets():
    """Strict replay: no network connection at all, even below http.client."""
    orig_connect = socket.socket.connect
    orig_connect_ex = socket.socket.connect_ex

    def _check(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not hooks.in_passthrough():
            host = address[0] if isinstance(address, tuple) else address
            port = address[1] if isinstance(address, tuple) and len(address) > 1 else ""
            raise NotRecordedError(
                "a network connection to %s:%s was attempted during strict replay; only the "
                "recorded HTTP calls are answered" % (host, port))

    def connect(self, address):
        _check(self, address)
        return orig_connect(self, address)

    def connect_ex(self, address):
        _check(self, address)
        return orig_connect_ex(self, address)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
