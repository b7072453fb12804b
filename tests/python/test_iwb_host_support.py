# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared by the iwb_host tests: a real HTTP and HTTPS server in a thread, and children
run through ``python3 -m iwb_host.launch``. (No tests here.)"""
import gzip
import http.server
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import textwrap
import threading
import unittest
from urllib.parse import parse_qsl, urlsplit

from _support import PYTHON_DIR, child_env

CHILD_TIMEOUT = 60
BINARY = bytes(range(256)) * 64


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, status, body, content_type="application/json", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return bytes(data)
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self):
        server = self.server
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        data = self._body()
        with server.lock:
            server.requests += 1
        path = parts.path
        if path == "/echo" or path == "/":
            echo = {"method": self.command, "path": parts.path, "query": parts.query,
                    "headers": dict(self.headers.items()), "body": data.decode("utf-8", "replace")}
            self._send(int(query.get("status", 200)), json.dumps(echo).encode())
        elif path == "/counter":
            with server.lock:
                server.counter += 1
                n = server.counter
            self._send(200, json.dumps({"n": n}).encode())
        elif path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(5):
                chunk = ("chunk %d;" % i).encode()
                self.wfile.write(b"%X\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/large":
            n = int(query.get("n", 1000000))
            self._send(200, b"x" * n, "text/plain")
        elif path == "/binary":
            self._send(200, BINARY, "application/octet-stream")
        elif path == "/gzip":
            body = gzip.compress(json.dumps({"compressed": True, "pad": "y" * 500}).encode())
            self._send(200, body, "application/json", [("Content-Encoding", "gzip")])
        elif path == "/hang":
            server.release.wait(30)
            self._send(200, b"{}")
        elif path == "/cookie":
            self._send(200, b"{}", headers=[("Set-Cookie", "session=%s; Path=/; HttpOnly" % query.get("v", ""))])
        else:
            self._send(404, b'{"error": "no such path"}')

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle


class Server:
    """http.server on 127.0.0.1 (a free port), TLS when @tls = (certfile, keyfile)."""

    def __init__(self, tls=None):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        # A client that gave up (the timeout tests) is not an error of the server.
        self.httpd.handle_error = lambda request, address: None
        self.httpd.lock = threading.Lock()
        self.httpd.requests = 0
        self.httpd.counter = 0
        self.httpd.release = threading.Event()
        scheme = "http"
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls)
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        self.port = self.httpd.server_address[1]
        self.url = "%s://127.0.0.1:%d" % (scheme, self.port)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def requests(self):
        return self.httpd.requests

    def stop(self):
        self.httpd.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)


def make_certificate(folder, name="localhost"):
    """A self-signed certificate for @name and 127.0.0.1 made with openssl: (cert, key)."""
    cert = os.path.join(folder, "cert.pem")
    key = os.path.join(folder, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=%s" % name, "-addext", "subjectAltName=DNS:%s,IP:127.0.0.1" % name,
         "-keyout", key, "-out", cert],
        check=True, capture_output=True, timeout=60)
    return cert, key


def free_port():
    """A port on 127.0.0.1 where nothing listens (bound then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Child:
    """A scenario module in a temporary folder, run as ``python3 -m iwb_host.launch scenario``."""

    def __init__(self, code, python=None):
        self.tmp = tempfile.mkdtemp(prefix="iwb-host-test-")
        self.python = python or sys.executable
        with open(os.path.join(self.tmp, "scenario.py"), "w", encoding="utf-8") as f:
            f.write(textwrap.dedent(code))
        self.events_path = os.path.join(self.tmp, "events.jsonl")

    def run(self, env=None, args=(), events=True, shim="scenario", cwd=None, stdin=""):
        extra = {"HOME": self.tmp, "PYTHONPATH": os.pathsep.join([PYTHON_DIR, self.tmp])}
        extra.update(env or {})
        pass_fds = ()
        fd = None
        if events:
            fd = os.open(self.events_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            extra["IWB_EVENTS_FD"] = str(fd)
            pass_fds = (fd,)
        try:
            proc = subprocess.run(
                [self.python, "-m", "iwb_host.launch", shim] + list(args),
                cwd=cwd or self.tmp, env=child_env(extra), input=stdin, capture_output=True,
                text=True, timeout=CHILD_TIMEOUT, pass_fds=pass_fds)
        finally:
            if fd is not None:
                os.close(fd)
        proc.events = self.events() if events else []
        return proc

    def events(self):
        with open(self.events_path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def path(self, name):
        return os.path.join(self.tmp, name)

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


class ServerTestCase(unittest.TestCase):
    """One Server for the whole class; children run by ``python`` (None: this interpreter),
    so a subclass with ``python = alternative_python()`` runs the same tests with urllib3 2.x."""
    python = None

    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def child(self, code):
        """A Child of ``code`` run by the class's interpreter, removed after the test."""
        c = Child(code, python=self.python)
        self.addCleanup(c.cleanup)
        return c


def alternative_python():
    """An interpreter with urllib3 2.x and requests (the shapes integrations may install), or None."""
    candidates = [os.environ.get("IWB_TEST_PYTHON_URLLIB3_2"), shutil.which("python3"), "/usr/local/bin/python3"]
    for python in candidates:
        if not python or not os.path.exists(python):
            continue
        try:
            out = subprocess.run([python, "-c", "import sys, urllib3, requests; "
                                  "print(urllib3.__version__, sys.executable)"],
                                 capture_output=True, text=True, timeout=30,
                                 env=dict(os.environ, PYTHONPATH=""))
        except (OSError, subprocess.TimeoutExpired):
            continue
        fields = out.stdout.split()
        if out.returncode == 0 and len(fields) == 2 and int(fields[0].split(".")[0]) >= 2:
            return fields[1]
    return None
