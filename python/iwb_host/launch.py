# SPDX-License-Identifier: GPL-3.0-or-later
"""``python3 -m iwb_host.launch SHIM [ARGS...]``: install the capture hooks, then run SHIM.

SHIM is a module name such as ``lhub_integ.shim_exec``; it runs as ``__main__``
with ``sys.argv == [its file, ARGS...]``, as ``python3 -m SHIM ARGS...`` would.
See the package docstring (``iwb_host/__init__.py``) for the environment.
"""
import atexit
import os
import runpy
import sys
import threading
import time

from iwb_host import body as bodymod
from iwb_host import hooks
from iwb_host.cassette import Cassette, CassetteError
from iwb_host.events import EventSink
from iwb_host.redact import Redactor

EXIT_USAGE = 64
EXIT_SETUP = 2
DEFAULT_BODY_LIMIT = 256 * 1024
SAVE_INTERVAL = 0.25


class SetupError(Exception):
    pass


class Host:
    """What the hooks report to: redaction, events, and the cassette when recording."""

    def __init__(self, environ):
        secret_names = [n.strip() for n in environ.get("IWB_SECRET_PARAMS", "").split(",") if n.strip()]
        self.redactor = Redactor(environ.get(n, "") for n in secret_names)
        limit = environ.get("IWB_CAPTURE_BODY_LIMIT", "")
        try:
            self.body_limit = int(limit) if limit else DEFAULT_BODY_LIMIT
            if self.body_limit < 0:
                raise ValueError(limit)
        except ValueError:
            raise SetupError("IWB_CAPTURE_BODY_LIMIT=%s is not a number of bytes (0 or more)" % limit)
        self.events = EventSink.from_env(environ)
        record = environ.get("IWB_RECORD") or None
        replay = environ.get("IWB_REPLAY") or None
        strict = environ.get("IWB_REPLAY_STRICT", "") not in ("", "0")
        if record and replay:
            raise SetupError("IWB_RECORD and IWB_REPLAY are both set; record or replay, not both")
        if strict and not replay:
            raise SetupError("IWB_REPLAY_STRICT is set without IWB_REPLAY=CASSETTE")
        self.recording = None
        self.replay = None
        try:
            if record:
                self.recording = Cassette.load_or_new(record)
                if environ.get("IWB_RECORD_FRESH", "") not in ("", "0"):
                    self.recording.interactions = []
            if replay:
                from iwb_host.replay import Replay
                self.replay = Replay(Cassette.load(replay), strict, self.redactor)
        except CassetteError as e:
            raise SetupError(str(e))
        # Full bodies when a cassette needs them (recording, or matching a replayed request).
        self.request_limit = None if (record or replay) else self.body_limit
        self.response_limit = None if record else self.body_limit
        self._open = {}
        self._lock = threading.Lock()
        self._last_save = 0.0

    @property
    def active(self):
        return self.events is not None or self.recording is not None or self.replay is not None

    def exchange_started(self, ex):
        with self._lock:
            self._open[ex.id] = ex

    def exchange_done(self, ex):
        with self._lock:
            self._open.pop(ex.id, None)
        try:
            request, response, error = self._redacted(ex)
            if self.events is not None:
                self.events.emit(self._event(ex, request, response, error))
            if self.recording is not None and ex.method:
                self._record(request, response, error)
        except Exception as e:  # never let the capture break the integration
            sys.stderr.write("iwb_host: could not report an HTTP exchange: %s: %s\n"
                             % (type(e).__name__, self.redactor.text(str(e))))

    def finish_all(self):
        """At exit: exchanges whose response was not read to the end."""
        with self._lock:
            pending = list(self._open.values())
        for ex in pending:
            ex.finish(incomplete=True)
        self.save_recording()

    # -- building what leaves the child

    def _body(self, data, size, content_type, truncated, limit):
        r = self.redactor
        if r.active:
            data = r.data(data)
            if truncated or (limit is not None and len(data) > limit):
                data = r.strip_partial(data[:limit] if limit is not None else data)
        return bodymod.to_json(data, size, content_type, truncated, limit)

    def _redacted(self, ex):
        r = self.redactor
        req_data = ex.request_bytes()
        request = {
            "method": ex.method,
            "url": r.url(ex.url),
            "headers": r.headers(ex.req_headers),
            "body": self._body(req_data, len(req_data) if not ex.req_body.truncated else ex.req_body.size,
                               ex.header_value(ex.req_headers, "content-type"), ex.req_body.truncated, None),
        }
        response = None
        if ex.status is not None:
            data, decoded = ex.response_bytes()
            headers = r.headers(ex.resp_headers)
            response = {
                "status": ex.status,
                "reason": r.text(ex.reason or ""),
                "http_version": ex.resp_version,
                "headers": headers,
                "body": self._body(data, ex.resp_body.size if decoded is None else len(data),
                                   ex.header_value(ex.resp_headers, "content-type"),
                                   ex.resp_body.truncated, None),
            }
            if decoded:
                response["body"]["decoded"] = decoded
            if ex.incomplete:
                response["body"]["incomplete"] = True
        error = None
        if ex.error is not None:
            error = {k: r.text(v) for k, v in ex.error.items()}
        return request, response, error

    def _capped(self, body):
        limit = self.body_limit
        if "text" in body and len(body["text"]) > limit:
            body = dict(body, text=body["text"][:limit], truncated=True)
        elif "base64" in body and len(body["base64"]) > limit * 4 // 3 + 4:
            body = dict(body, base64=body["base64"][:(limit // 3) * 4], truncated=True)
        return body

    def _event(self, ex, request, response, error):
        timings = {
            "dns": ex.dns, "connect": ex.connect, "tls": ex.tls,
            "sent": ex.sent, "first_byte": ex.first_byte, "total": ex.total,
        }
        event = {
            "event": "http",
            "id": ex.id,
            "pid": os.getpid(),
            "thread": ex.thread,
            "thread_id": ex.thread_id,
            "started": ex.started_iso(),
            "method": request["method"],
            "url": request["url"],
            "http_version": ex.http_version,
            "request": {"headers": request["headers"], "body": self._capped(request["body"])},
            "timings": timings,
            "reused_connection": ex.reused,
            "replayed": ex.replayed,
        }
        if response is not None:
            event["response"] = dict(response, body=self._capped(response["body"]))
        if error is not None:
            event["error"] = error
        return event

    def _record(self, request, response, error):
        item = {"request": request}
        if response is not None:
            response = dict(response)
            response["headers"] = [h for h in response["headers"]
                                   if not (response["body"].get("decoded") and
                                           h[0].lower() in ("content-encoding", "content-length"))]
            body = dict(response["body"])
            body.pop("decoded", None)
            response["body"] = body
            item["response"] = response
        else:
            item["error"] = error or {"kind": "error", "message": "no response"}
        self.recording.add(item)
        # The whole file is rewritten (atomically): at most every SAVE_INTERVAL
        # seconds while calls go on, and at exit.
        now = time.monotonic()
        if now - self._last_save >= SAVE_INTERVAL:
            self._last_save = now
            self.save_recording()

    def save_recording(self):
        if self.recording is None:
            return
        try:
            self.recording.save()
        except CassetteError as e:
            sys.stderr.write("iwb_host: %s\n" % e)


def install_from_env(environ=None):
    """Installs the hooks as the environment asks; returns the Host (or raises SetupError)."""
    environ = os.environ if environ is None else environ
    host = Host(environ)
    for name in ("IWB_EVENTS_FD", "IWB_RECORD", "IWB_RECORD_FRESH", "IWB_REPLAY", "IWB_REPLAY_STRICT"):
        os.environ.pop(name, None)
    if not host.active:
        return host
    hooks.install(host)
    if host.replay is not None and host.replay.strict:
        from iwb_host.replay import guard_sockets
        guard_sockets()
    atexit.register(host.finish_all)
    return host


def _hide_bundled_sdk():
    """Takes the folder iwb_host was imported from off sys.path, so that the shim and the
    integration import the interpreter's own lhub_integ (the real SDK) even when that
    folder also holds the bundled runtime."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here or p in ("", os.curdir)]
    for name in [m for m in sys.modules if m == "lhub_integ" or m.startswith("lhub_integ.")]:
        del sys.modules[name]


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    if len(argv) < 2 or argv[1].startswith("-"):
        sys.stderr.write("usage: python3 -m iwb_host.launch SHIM [ARGS...]  (SHIM: a module such as "
                         "lhub_integ.shim_exec)\n")
        return EXIT_USAGE
    shim = argv[1]
    try:
        install_from_env()
    except SetupError as e:
        sys.stderr.write("iwb_host: %s\n" % e)
        return EXIT_SETUP
    if os.environ.pop("IWB_HIDE_BUNDLED_SDK", "") not in ("", "0"):
        _hide_bundled_sdk()
    sys.argv = [shim] + argv[2:]
    runpy.run_module(shim, run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
