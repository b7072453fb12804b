# SPDX-License-Identifier: GPL-3.0-or-later
"""The hooks on http.client that every HTTP library of the child goes through.

``requests`` → ``urllib3`` → ``http.client``; ``urllib.request`` → ``http.client``.
urllib3's connection classes subclass ``http.client.HTTPConnection`` and call
its ``__init__``, ``putrequest``, ``putheader``, ``endheaders``, ``send`` and
``getresponse``, but replace ``connect``: the ``__init__`` hook therefore wraps
``connect`` and ``_new_conn`` of every class of a new connection the first time
it is seen. A connection urllib3 opens before its request is written (HTTPS)
learns the method and URL of a failed connect from the caller's frames
(``_pool_request``), so that the calls that succeed pay nothing for it.
Response bodies are recorded as the caller reads them (``read``, ``read1``,
``readinto``, ``readline``), never ahead of it.

When the compiled accelerator ``iwb_host._speedups`` loads (``_load_speedups``:
built for this very interpreter), the hooks installed are its C methods, which
take the common path of a call themselves and hand every other case to the
Python hooks below; the events are the same either way.
"""
import functools
import http.client
import socket
import sys
import threading
import time

from iwb_host.exchange import Exchange

_clock = time.perf_counter_ns

_tls = threading.local()
_patched = set()
_HOST = None
# The accelerator in use (None: the Python hooks alone).
_SPEEDUPS = None
SPEEDUPS_NAME = "_speedups"


class _ConnState:
    __slots__ = ("current", "header_block", "send_depth", "connect_depth", "connect_t0",
                 "connect_wall", "inner", "dns", "pending", "replay_sock",
                 "url_host", "url_prefix")

    def __init__(self):
        self.current = None
        self.header_block = False
        self.send_depth = 0
        self.connect_depth = 0
        self.connect_t0 = None
        self.connect_wall = None
        self.inner = None
        self.dns = None
        self.pending = None
        self.replay_sock = None
        # "scheme://netloc" of the connection's requests (connection_url), and the host
        # it was made for; forgotten at every connect (a tunnel is set before one).
        self.url_host = None
        self.url_prefix = None


def _state(conn):
    # Plain attributes (with class defaults set by install()), not the instance's
    # __dict__: reading an instance's __dict__ turns its attributes into a dictionary
    # of their own, which makes every later attribute access on it slower.
    st = conn._iwb_state
    if st is None:
        st = conn._iwb_state = _ConnState()
    return st


def in_passthrough():
    return getattr(_tls, "passthrough", False)


def set_passthrough(value):
    _tls.passthrough = value


def is_https(conn):
    return getattr(conn, "default_port", 80) == 443


def _url_prefix(conn):
    host = getattr(conn, "_tunnel_host", None) or conn.host
    port = getattr(conn, "_tunnel_port", None) or conn.port
    scheme = "https" if is_https(conn) else "http"
    if ":" in host and not host.startswith("["):
        host = "[%s]" % host
    default = 443 if scheme == "https" else 80
    netloc = host if port in (None, default) else "%s:%s" % (host, port)
    return "%s://%s" % (scheme, netloc)


def connection_url(conn, target="/", st=None):
    """The absolute URL of a request target written on @conn (@st: its state, whose
    prefix is kept)."""
    if target.startswith(("http://", "https://")):
        return target
    if st is None:
        prefix = _url_prefix(conn)
    else:
        prefix = st.url_prefix
        if prefix is None or st.url_host is not conn.host:
            st.url_host = conn.host
            prefix = st.url_prefix = _url_prefix(conn)
    if not target.startswith("/"):
        target = "/" + target if target != "*" else target
    return prefix + target


# -- connect: timings, failures, replay's fake connection ----------------------

def _wrap_connect(orig, name):
    @functools.wraps(orig)
    def connect(self, *args, **kwargs):
        host = _HOST
        if host is None:
            return orig(self, *args, **kwargs)
        if host.replay is not None and not in_passthrough():
            if name == "connect":
                return host.replay.fake_connect(self)
            return orig(self, *args, **kwargs)
        st = _state(self)
        outer = st.connect_depth == 0
        t = _clock()
        st.url_prefix = None
        if outer:
            st.connect_t0 = t
            st.connect_wall = time.time()
            st.inner = None
            _tls.dns = None
        st.connect_depth += 1
        try:
            result = orig(self, *args, **kwargs)
        except BaseException as e:
            st.connect_depth -= 1
            if outer:
                _connect_failed(self, st, e)
            raise
        st.connect_depth -= 1
        elapsed = (_clock() - t) / 1e6
        if outer:
            dns = getattr(_tls, "dns", None)
            tcp = st.inner if st.inner is not None else elapsed
            tls = max(elapsed - tcp, 0.0) if is_https(self) else None
            if dns is not None:
                tcp = max(tcp - dns, 0.0)
            timings = (_r(dns), _r(tcp), _r(tls))
            if st.current is not None and not st.current.done:
                st.current.connected(timings)
            else:
                st.pending = (st.connect_t0, st.connect_wall, timings)
        elif st.inner is None:
            st.inner = elapsed
        return result
    connect.__iwb_wrapped__ = True
    return connect


def _r(value):
    return None if value is None else round(value, 3)


def _connect_failed(conn, st, exc):
    ex = st.current
    if ex is None or ex.done:
        method, url = _pool_request(conn)
        ex = Exchange(_HOST, method, connection_url(conn, url or "/"),
                      t0=st.connect_t0, wall=st.connect_wall)
        _HOST.exchange_started(ex)
    ex.reused = False
    ex.fail(exc)
    st.current = None


def _getaddrinfo_timed(orig):
    @functools.wraps(orig)
    def getaddrinfo(*args, **kwargs):
        t = _clock()
        try:
            return orig(*args, **kwargs)
        finally:
            _tls.dns = (getattr(_tls, "dns", None) or 0.0) + (_clock() - t) / 1e6
    return getaddrinfo


def prepare_class(cls):
    """Wraps connect/_new_conn of every class of @cls's MRO that defines them (once per class)."""
    for klass in cls.__mro__:
        if klass is object:
            continue
        for name in ("connect", "_new_conn"):
            fn = klass.__dict__.get(name)
            if fn is None or (klass, name) in _patched or getattr(fn, "__iwb_wrapped__", False):
                continue
            _patched.add((klass, name))
            setattr(klass, name, _wrap_connect(fn, name))


# The methods of urllib3's pools (1.26 and 2.x) that hold a connection with the
# method and URL of the request it is opened for.
_POOL_FRAMES = ("_make_request", "urlopen")
_FRAMES_MAX = 40


def _pool_request(conn):
    """(method, URL) of the request urllib3 opens @conn for, from the frames of the pool
    method that called connect; (None, None) when @conn was not opened by a pool."""
    frame = sys._getframe(1)
    for _ in range(_FRAMES_MAX):
        frame = frame.f_back
        if frame is None:
            break
        if frame.f_code.co_name not in _POOL_FRAMES:
            continue
        local = frame.f_locals
        if local.get("conn") is conn and "urllib3" in (frame.f_globals.get("__name__") or ""):
            method, url = local.get("method"), local.get("url")
            if isinstance(method, str) and isinstance(url, str):
                return method, url
    return None, None


# -- the request ----------------------------------------------------------------

def _install_connection_hooks(C):
    C._iwb_state = None      # see _state()
    orig_init = C.__init__
    orig_putrequest = C.putrequest
    orig_endheaders = C.endheaders
    orig_send = C.send
    orig_getresponse = C.getresponse

    @functools.wraps(orig_init)
    def __init__(self, *args, **kwargs):
        orig_init(self, *args, **kwargs)
        cls = type(self)
        if cls not in _patched:
            _patched.add(cls)
            prepare_class(cls)

    @functools.wraps(orig_putrequest)
    def putrequest(self, method, url, *args, **kwargs):
        st = _state(self)
        if st.current is not None and not st.current.done:
            st.current.finish(incomplete=True)
        pending, st.pending = st.pending, None
        if pending is not None:
            ex = Exchange(_HOST, method, connection_url(self, url, st), t0=pending[0], wall=pending[1])
            ex.connected(pending[2])
        else:
            ex = Exchange(_HOST, method, connection_url(self, url, st))
        ex.http_version = "HTTP/1.1" if getattr(self, "_http_vsn", 11) == 11 else "HTTP/1.0"
        buffer = getattr(self, "_buffer", None)
        if buffer is not None:
            # The request line and then every header line (putheader) go to this list.
            ex.buffering(buffer, len(buffer))
        st.current = ex
        st.header_block = False
        _HOST.exchange_started(ex)
        try:
            return orig_putrequest(self, method, url, *args, **kwargs)
        except BaseException as e:
            ex.fail(e)
            st.current = None
            raise

    @functools.wraps(orig_endheaders)
    def endheaders(self, *args, **kwargs):
        st = _state(self)
        ex = st.current
        if ex is None or ex.done:
            return orig_endheaders(self, *args, **kwargs)
        st.header_block = True
        ex.headers_sent()
        try:
            result = orig_endheaders(self, *args, **kwargs)
        except BaseException as e:
            ex.fail(e)
            st.current = None
            raise
        finally:
            st.header_block = False
        ex.request_sent()
        return result

    @functools.wraps(orig_send)
    def send(self, data):
        st = _state(self)
        ex = st.current
        if ex is None or ex.done or st.send_depth > 0:
            return orig_send(self, data)
        st.send_depth += 1
        try:
            if hasattr(data, "read"):
                data = _TeeReader(data, ex.req_body)
            else:
                chunk = data.encode("iso-8859-1") if isinstance(data, str) else data
                if st.header_block:
                    # The header block (the request's header lines are taken at endheaders):
                    # only what may follow its blank line is body.
                    st.header_block = False
                    if type(chunk) is not bytes:
                        chunk = bytes(chunk)
                    end = chunk.find(b"\r\n\r\n") + 4
                    if 4 <= end < len(chunk):
                        ex.req_body.add(chunk[end:])
                else:
                    ex.req_body.add(chunk)
            return orig_send(self, data)
        except BaseException as e:
            ex.fail(e)
            st.current = None
            raise
        finally:
            st.send_depth -= 1

    @functools.wraps(orig_getresponse)
    def getresponse(self):
        # The same signature as http.client's: urllib3 1.26 first tries
        # getresponse(buffering=True) and relies on the TypeError.
        st = _state(self)
        ex = st.current
        if ex is None or ex.done:
            return orig_getresponse(self)
        ex.request_sent()
        try:
            response = orig_getresponse(self)
        except BaseException as e:
            ex.fail(e)
            st.current = None
            raise
        st.current = None
        version = "HTTP/1.0" if getattr(response, "version", 11) == 10 else "HTTP/1.1"
        ex.response(response.status, response.reason, version, response.msg)
        if response.fp is None or response.length == 0 or ex.method == "HEAD" or \
                response.status in (204, 304) or 100 <= response.status < 200:
            ex.finish()
        else:
            response._iwb_ex = ex
        return response

    C.__init__ = __init__
    C.putrequest = _fast("putrequest", orig_putrequest, putrequest)
    C.endheaders = _fast("endheaders", orig_endheaders, endheaders)
    C.send = _fast("send", orig_send, send)
    C.getresponse = _fast("getresponse", orig_getresponse, getresponse)


def _fast(kind, orig, hook):
    """The accelerator's C method for @hook (the Python hook of @orig), or @hook."""
    if _SPEEDUPS is None:
        return hook
    return _SPEEDUPS.hook(kind, orig, hook)


class _TeeReader:
    """A file-like request body that records what http.client reads from it."""

    def __init__(self, f, buf):
        self._f = f
        self._buf = buf

    def read(self, *args):
        data = self._f.read(*args)
        if data:
            self._buf.add(data.encode("iso-8859-1") if isinstance(data, str) else data)
        return data

    def __getattr__(self, name):
        return getattr(self._f, name)


# -- the response body, as the caller reads it ----------------------------------

def _wrap_reader(orig, kind):
    @functools.wraps(orig)
    def reader(self, *args, **kwargs):
        ex = self._iwb_ex
        if ex is None or ex.done or self._iwb_depth:
            return orig(self, *args, **kwargs)
        self._iwb_depth = True
        try:
            result = orig(self, *args, **kwargs)
        except BaseException as e:
            self._iwb_depth = False
            ex.fail(e)
            raise
        self._iwb_depth = False
        if kind == "into":
            if result:
                ex.resp_body.add(memoryview(args[0] if args else kwargs["b"])[:result])
        elif result:
            ex.resp_body.add(result)
        if self.fp is None:
            ex.finish()
        return result
    return reader


def _install_response_hooks(R):
    R._iwb_ex = None         # the exchange of a response being captured
    R._iwb_depth = False     # inside a read hook (read calls readinto...)
    for name, kind in (("read", "bytes"), ("read1", "bytes"), ("readline", "bytes"),
                       ("readinto", "into")):
        if name in R.__dict__:
            orig = R.__dict__[name]
            setattr(R, name, _fast("readinto" if kind == "into" else "read", orig, _wrap_reader(orig, kind)))
    orig_close = R.close

    @functools.wraps(orig_close)
    def close(self):
        try:
            return orig_close(self)
        finally:
            ex = self._iwb_ex
            if ex is not None and not ex.done:
                ex.finish(incomplete=True)
    R.close = _fast("close", orig_close, close)


def _load_speedups(directory=None):
    """The accelerator module from @directory (default: this package's folder), or None:
    when there is none built for this interpreter (its file name carries the
    interpreter's ABI, so another Python never loads it), or this interpreter's
    perf_counter is not the monotonic clock the C hooks read."""
    import importlib.machinery
    import importlib.util
    import os

    if sys.implementation.name != "cpython" or \
            time.get_clock_info("perf_counter").implementation != "clock_gettime(CLOCK_MONOTONIC)":
        return None
    directory = directory or os.path.dirname(os.path.abspath(__file__))
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = os.path.join(directory, SPEEDUPS_NAME + suffix)
        if not os.path.isfile(path):
            continue
        try:
            name = __package__ + "." + SPEEDUPS_NAME
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
        except (ImportError, OSError) as e:
            sys.stderr.write("iwb_host: the capture accelerator %s does not load (%s); "
                             "the Python hooks are used\n" % (path, e))
            return None
    return None


def configure_speedups(speedups, host):
    """Tells the accelerator @speedups what the C hooks report to (@host) and the
    classes and constants they share with the Python ones."""
    from iwb_host import body, exchange, report
    from iwb_host.launch import MAX_QUEUED
    flags = tuple(report._FLAGS[key] for key in ((True, False), (True, True), (False, False), (False, True)))
    speedups.configure(host, Exchange, body.BodyBuffer, _ConnState, exchange._ids, threading._active,
                       exchange._COMPAT32, exchange._iso_seconds, flags, report._REUSED_TIMINGS,
                       exchange._SHARED_BODY_MAX, MAX_QUEUED)


def install(host, speedups=None):
    """Installs the hooks once for @host (an iwb_host.launch.Host), with the C methods of
    @speedups (from _load_speedups()) when given."""
    global _HOST, _SPEEDUPS
    if _HOST is not None:
        return
    _HOST = host
    if speedups is not None:
        try:
            configure_speedups(speedups, host)
            _SPEEDUPS = speedups
        except Exception as e:   # a module of another build: the Python hooks
            sys.stderr.write("iwb_host: the capture accelerator %s does not fit these hooks (%s: %s); "
                             "the Python hooks are used\n" % (getattr(speedups, "__file__", "?"),
                                                              type(e).__name__, e))
    _install_connection_hooks(http.client.HTTPConnection)
    _install_response_hooks(http.client.HTTPResponse)
    prepare_class(http.client.HTTPConnection)
    if hasattr(http.client, "HTTPSConnection"):
        prepare_class(http.client.HTTPSConnection)
    socket.getaddrinfo = _getaddrinfo_timed(socket.getaddrinfo)
