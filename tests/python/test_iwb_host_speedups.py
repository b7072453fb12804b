# SPDX-License-Identifier: GPL-3.0-or-later
"""iwb_host._speedups, the C hooks: the same exchanges and events as the Python hooks.

The accelerator is found where IWB_HOST_SPEEDUPS points (the build tree's python/
folder, set by meson for this test); without it these tests are skipped, and a
run that says where it is but cannot load it fails."""
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import unittest

import _support  # noqa: F401 (puts the package on sys.path)
from test_iwb_host_support import Child, ServerTestCase, free_port

from iwb_host import body, exchange, hooks, launch

SPEEDUPS_DIR = os.environ.get("IWB_HOST_SPEEDUPS", "")

# One scenario through every path the C hooks take and the ones they hand to
# Python: requests (urllib3) GET, POST with a JSON body, HEAD, 404, gzip,
# chunked and binary responses; urllib.request; plain http.client with a str
# body, a file body, partial reads, readinto and close before the end;
# a refused connection; calls from threads.
SCENARIO = r'''
import http.client, io, os, sys, threading, urllib.request, urllib.error
import requests
from urllib.parse import urlsplit

base = os.environ["BASE"]
port = urlsplit(base).port
s = requests.Session()
for i in range(3):
    s.get(base + "/echo?i=%d" % i)
s.post(base + "/echo?q=1", json={"a": [1, 2, "x"]})
s.head(base + "/echo")
s.get(base + "/nope")
s.get(base + "/gzip")
s.get(base + "/chunked")
s.get(base + "/binary")
try:
    urllib.request.urlopen(base + "/echo?status=401")
except urllib.error.HTTPError as e:
    e.read()
c = http.client.HTTPConnection("127.0.0.1", port)
c.request("PUT", "/echo", body="a str body")
r = c.getresponse(); r.read(5); r.read()
c.request("POST", "/echo", body=io.BytesIO(b"a file body"), headers={"Content-Length": "11"})
r = c.getresponse(); buf = bytearray(16); r.readinto(buf); r.close()
c.request("GET", "/large?n=5000")
r = c.getresponse(); r.readline(); r.read1(100); r.close()
c.close()
try:
    requests.get("http://127.0.0.1:%s/refused" % os.environ["DEAD_PORT"], timeout=5)
except requests.RequestException:
    pass
def worker(n):
    t = requests.Session()
    for _ in range(3):
        t.get(base + "/echo?t=%d" % n)
threads = [threading.Thread(target=worker, args=(n,), name="worker-%d" % n) for n in range(3)]
for t in threads: t.start()
for t in threads: t.join()
print("kinds", type(http.client.HTTPConnection.putrequest).__name__,
      type(http.client.HTTPResponse.read).__name__)
from iwb_host import hooks
if hooks._SPEEDUPS is not None:
    print("made in C", hooks._SPEEDUPS.made())
'''


def _normalized(events):
    """Events without what differs between two runs (times, ids, addresses), in a stable order."""
    out = []
    for e in events:
        e = dict(e)
        for key in ("id", "pid", "thread_id", "started"):
            e.pop(key)
        e["timings"] = {k: v is not None for k, v in e["timings"].items()}
        for part in ("request", "response"):
            if part in e:
                e[part] = dict(e[part], headers=[[n, "DATE" if n.lower() == "date" else v]
                                                 for n, v in e[part]["headers"]])
        if "error" in e:
            e["error"] = dict(e["error"], message=e["error"]["message"].split(" object at ")[0])
        out.append(json.dumps(e, sort_keys=True))
    return sorted(out)


def _built():
    return bool(SPEEDUPS_DIR) and SPEEDUPS_DIR != "0"


@unittest.skipUnless(_built(), "IWB_HOST_SPEEDUPS does not name the accelerator's folder")
class TestSameEvents(ServerTestCase):
    def run_scenario(self, speedups, dead_port):
        proc = self.child(SCENARIO).run(env={"BASE": self.server.url, "DEAD_PORT": str(dead_port),
                              "IWB_HOST_SPEEDUPS": speedups})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc

    def test_the_c_hooks_are_used_and_make_the_same_events(self):
        dead_port = free_port()
        c = self.run_scenario(SPEEDUPS_DIR, dead_port)
        py = self.run_scenario("0", dead_port)
        self.assertIn("kinds Hook Hook", c.stdout)
        self.assertIn("kinds function function", py.stdout)
        self.assertEqual(len(c.events), len(py.events))
        self.assertGreaterEqual(len(c.events), 20)
        self.assertEqual(_normalized(c.events), _normalized(py.events))
        # the C path made the exchanges of the calls on an open connection: not
        # the first two of a connection (its first request opens it, and the
        # second learns the URL prefix the connect made it forget, as in
        # Python), nor the refused one: 7 of requests' session, 1 of
        # http.client's connection, 1 of each thread's
        self.assertIn("made in C 11\n", c.stdout)
        self.assertNotIn("made in C", py.stdout)
        # the threads' calls are their own
        workers = [e for e in c.events if e["thread"].startswith("worker-")]
        self.assertEqual(len(workers), 9)
        self.assertEqual(sorted({e["thread"] for e in workers}), ["worker-0", "worker-1", "worker-2"])


@unittest.skipUnless(_built(), "IWB_HOST_SPEEDUPS does not name the accelerator's folder")
class TestInProcess(unittest.TestCase):
    def setUp(self):
        self.speedups = hooks._load_speedups(SPEEDUPS_DIR)
        self.assertIsNotNone(self.speedups, "the accelerator in %s does not load" % SPEEDUPS_DIR)
        fd = os.open(os.devnull, os.O_WRONLY)
        self.addCleanup(os.close, fd)
        self.host = launch.Host({"IWB_EVENTS_FD": str(fd), "IWB_CAPTURE_BODY_LIMIT": "100"})
        hooks.configure_speedups(self.speedups, self.host)

    def test_a_new_exchange_is_the_one_exchange_init_makes(self):
        made = self.speedups.new_exchange("GET", "http://example.test/x")
        python = exchange.Exchange(self.host, "GET", "http://example.test/x")
        for name in exchange.Exchange.__slots__:
            if name in ("__weakref__",):
                continue
            if name in ("id", "t0", "wall"):
                self.assertIs(type(getattr(made, name)), type(getattr(python, name)), name)
                continue
            a, b = getattr(made, name), getattr(python, name)
            if isinstance(b, body.BodyBuffer):
                self.assertEqual([getattr(a, s) for s in b.__slots__], [getattr(b, s) for s in b.__slots__])
            else:
                self.assertEqual(a, b, name)
        self.assertEqual(made.id + 1, python.id)
        self.assertLessEqual(made.t0, python.t0)
        self.assertLess(abs(made.wall - python.wall), 1.0)

    def test_an_exchange_in_a_thread_threading_does_not_know_is_left_to_python(self):
        import _thread
        got = []
        done = threading.Event()

        def raw():
            got.append(self.speedups.new_exchange("GET", "http://example.test/"))
            done.set()
        _thread.start_new_thread(raw, ())
        self.assertTrue(done.wait(10))
        self.assertEqual(got, [None])


class TestLoading(unittest.TestCase):
    def test_a_folder_without_it_gives_none(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assertIsNone(hooks._load_speedups(tmp))

    def test_a_file_that_does_not_load_gives_none_and_says_so(self):
        import importlib.machinery
        import io
        from unittest import mock
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "_speedups" + importlib.machinery.EXTENSION_SUFFIXES[0]), "w") as f:
                f.write("not a shared object")
            err = io.StringIO()
            with mock.patch.object(sys, "stderr", err):
                self.assertIsNone(hooks._load_speedups(tmp))
            self.assertIn("does not load", err.getvalue())
            self.assertIn("Python hooks are used", err.getvalue())

    def test_the_python_hooks_run_when_asked_or_when_there_is_none(self):
        child = Child("import http.client\nprint(type(http.client.HTTPConnection.send).__name__)\n")
        self.addCleanup(child.cleanup)
        for value in ("0", tempfile.gettempdir()):
            proc = child.run(env={"IWB_HOST_SPEEDUPS": value})
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual(proc.stdout.strip(), "function")

    def test_a_module_of_another_build_is_left_for_the_python_hooks(self):
        # its configure() does not take what this package gives it: the Python hooks
        # are installed, and stderr says why
        code = textwrap.dedent("""
            import os, sys, types
            from iwb_host import hooks, launch
            def configure(*args):
                raise TypeError("configure() takes 4 positional arguments")
            stale = types.SimpleNamespace(configure=configure, __file__="stale/_speedups.so")
            hooks.install(launch.Host({"IWB_EVENTS_FD": "1"}), stale)
            import http.client
            print(hooks._SPEEDUPS, type(http.client.HTTPConnection.send).__name__)
        """)
        proc = subprocess.run([sys.executable, "-c", code], env=_support.child_env(),
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.strip(), "None function")
        self.assertIn("stale/_speedups.so does not fit these hooks (TypeError: configure() takes 4",
                      proc.stderr)
        self.assertIn("the Python hooks are used", proc.stderr)

    @unittest.skipUnless(_built(), "IWB_HOST_SPEEDUPS does not name the accelerator's folder")
    def test_the_integration_does_not_see_the_variable(self):
        child = Child("import os\nprint(os.environ.get('IWB_HOST_SPEEDUPS'))\n")
        self.addCleanup(child.cleanup)
        proc = child.run(env={"IWB_HOST_SPEEDUPS": SPEEDUPS_DIR})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.strip(), "None")


if __name__ == "__main__":
    unittest.main()
