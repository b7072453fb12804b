# SPDX-License-Identifier: GPL-3.0-or-later
"""``python3 -m iwb_host.launch SHIM [ARGS...]``: install the capture hooks, then run SHIM.

SHIM is a module name such as ``lhub_integ.shim_exec``; it runs as ``__main__``
with ``sys.argv == [its file, ARGS...]``, as ``python3 -m SHIM ARGS...`` would.
See the package docstring (``iwb_host/__init__.py``) for the environment.
"""
import atexit
import collections
import os
import runpy
import sys
import threading
import time

from iwb_host import body as bodymod
from iwb_host import hooks
from iwb_host.cassette import Cassette, CassetteError
from iwb_host.events import EventSink
from iwb_host.exchange import Exchange, LastSeen
from iwb_host.report import EventLines
from iwb_host.redact import Redactor

# The folder of the capture accelerator (hooks._load_speedups), "0" for the Python hooks alone.
SPEEDUPS_ENV = "IWB_HOST_SPEEDUPS"

EXIT_USAGE = 64
EXIT_SETUP = 2
DEFAULT_BODY_LIMIT = 256 * 1024
SAVE_INTERVAL = 0.25
# How long the end of the process waits for the writer to report the last exchanges.
FLUSH_TIMEOUT = 10.0

# Finished exchanges waiting for the writer beyond which the calling thread waits for it.
MAX_QUEUED = 1000
# How long the writer lets a batch of finished exchanges gather before it reports them
# (the delay of an event; each batch costs the writer a timed wait and a wake-up).
BATCH_DELAY = 0.1

_STOP = object()


class SetupError(Exception):
    pass


# An encryptedFile's content is read to be redacted up to this size.
SECRET_FILE_LIMIT = 1024 * 1024
# Lines of a multi-line secret file (a PEM key) at least this long are secrets on their own.
SECRET_LINE_MIN = 16


def _secret_file_texts(path):
    """What an encryptedFile parameter's file holds, as the integration may send it: the whole
    text, stripped, and each long line of it. Nothing when @path is no readable text file."""
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > SECRET_FILE_LIMIT:
            return []
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    lines = [line.strip() for line in text.splitlines()]
    return [text, text.strip()] + [line for line in lines if len(line) >= SECRET_LINE_MIN]


def secret_values(environ, names):
    """The values of the secret parameters @names. An encryptedFile's value names a file (joined
    to INTEGRATIONS_FILES_PATH as the SDK does): the secret the integration sends is its content,
    so that is redacted too."""
    files_dir = environ.get("INTEGRATIONS_FILES_PATH", "")
    values = []
    for name in names:
        value = environ.get(name, "")
        values.append(value)
        if value:
            values.extend(_secret_file_texts(os.path.join(files_dir, value)))
    return values


class Host:
    """What the hooks report to: redaction, events, and the cassette when recording."""

    def __init__(self, environ):
        secret_names = [n.strip() for n in environ.get("IWB_SECRET_PARAMS", "").split(",") if n.strip()]
        self.redactor = Redactor(secret_values(environ, secret_names))
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
        self.last = LastSeen()           # what finished exchanges share (Exchange)
        self._lock = threading.Lock()
        self._last_save = 0.0
        # The writer thread of this process (started with the first finished exchange).
        self._pending = None
        self._wake = self._hurry = None
        self._woken = False
        self._writer = None
        self._writer_pid = None
        self._closed = False
        self._lines = EventLines(self)
        # This process's id, kept up to date across os.fork() (os.getpid() is a system call).
        self.pid = os.getpid()
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._forked)

    @property
    def active(self):
        return self.events is not None or self.recording is not None or self.replay is not None

    # -- from the hooks, on the calling thread: references only, the rest on the writer

    def exchange_started(self, ex):
        self._open[ex.id] = ex          # one dict operation: atomic, no lock needed

    def exchange_done(self, ex):
        """Hands @ex to the writer thread: one append, and a wake-up once per batch."""
        self._open.pop(ex.id, None)
        if self._writer_pid == self.pid:
            self._pending.append(ex)
            if not self._woken:
                self._wake_writer()
            if len(self._pending) > MAX_QUEUED:
                self.flush()             # the reader is slower than the calls: wait for it
        else:
            self._submit(ex)

    def _submit(self, ex):
        """The first exchange of this process (or one after the writer stopped at exit)."""
        with self._lock:
            self.pid = os.getpid()
            if not self._closed and self._writer_pid != self.pid:
                self._pending = collections.deque()
                # Plain locks used as signals (held = not signalled): waiting on one and
                # releasing it are single C calls, where an Event runs a Condition's
                # Python code on both sides.
                self._wake = threading.Lock()
                self._wake.acquire()
                self._hurry = threading.Lock()
                self._hurry.acquire()
                self._woken = False
                self._writer = threading.Thread(target=self._write_loop,
                                                args=(self._pending, self._wake, self._hurry),
                                                name="iwb-http-capture", daemon=True)
                self._writer.start()
                self._writer_pid = self.pid
            if self._writer_pid == self.pid:
                self._pending.append(ex)
                self._wake_writer()
                return
        self._report([ex])               # after the writer stopped: report it here

    @staticmethod
    def _signal(lock):
        try:
            lock.release()
        except RuntimeError:
            pass                         # already signalled

    def _wake_writer(self):
        """Wakes the writer when it waits for work (once: _woken says it is awake)."""
        self._woken = True
        self._signal(self._wake)

    def _write_loop(self, pending, wake, hurry):
        """The writer: redacts, builds and writes the events (and records) of finished
        exchanges in the order they finished, a batch at a time, while the calling
        threads go on. Woken by the first exchange after a quiet time, it reports
        what gathered every BATCH_DELAY (sooner when a flush asks) and goes back to
        waiting after a BATCH_DELAY with nothing to report: while calls go on, one
        timed wait per batch."""
        while True:
            wake.acquire()
            if self._report_while_busy(pending, hurry):
                return

    def _report_while_busy(self, pending, hurry):
        """Reports a batch every BATCH_DELAY until a period brings nothing; True at _STOP."""
        while True:
            hurry.acquire(timeout=BATCH_DELAY)
            if not pending:
                self._woken = False
                if not pending:
                    return False
                self._woken = True       # came in between: go on (its wake-up is spare)
            stop = False
            exchanges = []
            while pending:
                item = pending.popleft()
                if isinstance(item, Exchange):
                    exchanges.append(item)
                    continue
                if exchanges:
                    self._report(exchanges)
                    exchanges = []
                if item is _STOP:
                    stop = True
                else:
                    item.set()           # a flush() waiting for what came before it
            if exchanges:
                self._report(exchanges)
            if stop:
                return True

    def flush(self, timeout=FLUSH_TIMEOUT):
        """Waits until the writer has reported every exchange finished before this call."""
        if self._writer_pid != self.pid or threading.current_thread() is self._writer:
            return
        done = threading.Event()
        self._pending.append(done)
        self._signal(self._hurry)
        self._wake_writer()
        done.wait(timeout)

    def _stop_writer(self, timeout=FLUSH_TIMEOUT):
        """At exit: the writer reports what is queued and stops; later exchanges are reported
        on their own thread."""
        with self._lock:
            self._closed = True
            running = self._writer_pid == os.getpid()
            self._writer_pid = None
        if not running:
            return
        if threading.current_thread() is not self._writer:
            self._pending.append(_STOP)
            self._signal(self._hurry)
            self._wake_writer()
            self._writer.join(timeout)
        leftover = [item for item in self._pending if isinstance(item, Exchange)]
        self._pending.clear()
        if leftover:
            self._report(leftover)

    def _forked(self):
        # The writer thread is not in the forked process: it starts its own when needed.
        self.pid = os.getpid()
        self._lock = threading.Lock()
        self._writer_pid = None
        self._writer = None
        if self.recording is not None:
            self.recording.after_fork()

    def _report(self, exchanges):
        lines = [] if self.events is not None else None
        # The accelerator's line: an exchange like the one before it, from the caches
        # the Python line (EventLines.line) filled; None for any other.
        fast = hooks._SPEEDUPS.event_line if hooks._SPEEDUPS is not None and hooks._HOST is self else None
        for ex in exchanges:
            try:
                if lines is not None:
                    text = fast(self._lines, ex) if fast is not None else None
                    lines.append(text if text is not None else self._lines.line(ex))
                if self.recording is not None and ex.method:
                    self._record(*self._redacted(ex))
            except Exception as e:  # never let the capture break the integration
                sys.stderr.write("iwb_host: could not report an HTTP exchange: %s: %s\n"
                                 % (type(e).__name__, self.redactor.text(str(e))))
        if lines:
            self.events.write(lines)

    def finish_all(self):
        """At exit: exchanges whose response was not read to the end; then the writer's queue."""
        pending = list(self._open.values())
        for ex in pending:
            ex.finish(incomplete=True)
        self._stop_writer()
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
    # All of them, read: the integration's environment is what it would be without the
    # capture (requests reads every variable on every call, ~25k instructions each).
    speedups_dir = environ.get(SPEEDUPS_ENV, "")
    for name in ("IWB_EVENTS_FD", "IWB_RECORD", "IWB_RECORD_FRESH", "IWB_REPLAY", "IWB_REPLAY_STRICT",
                 "IWB_SECRET_PARAMS", "IWB_CAPTURE_BODY_LIMIT", SPEEDUPS_ENV):
        os.environ.pop(name, None)
    if not host.active:
        return host
    hooks.install(host, None if speedups_dir == "0" else hooks._load_speedups(speedups_dir or None))
    if host.replay is not None:
        from iwb_host.replay import guard_sockets, install_begin_hook
        install_begin_hook()
        if host.replay.strict:
            guard_sockets()
    atexit.register(host.finish_all)
    _flush_before_exit(host)
    return host


def _flush_before_exit(host):
    """os._exit() skips atexit: the exchanges the writer has not reported yet go out first."""
    real_exit = os._exit

    def _exit(status):
        try:
            host.flush()
        except Exception:
            pass
        real_exit(status)
    _exit.__doc__ = real_exit.__doc__
    os._exit = _exit


def _hide_bundled_sdk():
    """Takes the folder iwb_host was imported from off sys.path, so that the shim and the
    integration import the interpreter's own lhub_integ (the real SDK) even when that
    folder also holds the bundled runtime."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here or p in ("", os.curdir)]
    for name in [m for m in sys.modules if m == "lhub_integ" or m.startswith("lhub_integ.")]:
        del sys.modules[name]


# IWB_GATE=1: the workbench started this process ahead of the run (its rows were still being
# read) and writes this line first on stdin when the run starts; end of file instead means it
# will not start, and nothing of the integration runs.
GATE_ENV = "IWB_GATE"
GATE_LINE = b"IWB-GO\n"


def wait_for_gate(fd=0):
    """Reads the gate line from @fd, byte for byte what it is (nothing of the rows after it, which
    stay for the shim's stdin). True: go on; False: the workbench closed stdin instead."""
    got = b""
    while len(got) < len(GATE_LINE):
        try:
            chunk = os.read(fd, len(GATE_LINE) - len(got))
        except OSError:
            return False
        if not chunk:
            return False
        got += chunk
    if got != GATE_LINE:
        raise SetupError("stdin did not start with the workbench's start line (%r); "
                         "IWB_GATE is for the workbench only" % got)
    return True


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    if len(argv) < 2 or argv[1].startswith("-"):
        sys.stderr.write("usage: python3 -m iwb_host.launch SHIM [ARGS...]  (SHIM: a module such as "
                         "lhub_integ.shim_exec)\n")
        return EXIT_USAGE
    shim = argv[1]
    # Before anything that leaves a trace (a cassette is written at exit): a run that does not
    # start ends here. Python and the capture host are loaded by now, which is what the
    # workbench gains by starting early.
    if os.environ.pop(GATE_ENV, "") not in ("", "0"):
        try:
            if not wait_for_gate():
                return 0
        except SetupError as e:
            sys.stderr.write("iwb_host: %s\n" % e)
            return EXIT_SETUP
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
