# SPDX-License-Identifier: GPL-3.0-or-later
"""iwb_host capture: real children through ``python3 -m iwb_host.launch`` against a real
local HTTP and HTTPS server; every library the SDK's integrations use."""
import base64
import json
import os
import subprocess
import tempfile
import unittest

from _support import child_env
from test_iwb_host_support import PYTHON_DIR, BINARY, Child, Server, alternative_python, free_port, make_certificate

_certdir = None
http_server = None
https_server = None
CERT = None


def setUpModule():
    global _certdir, http_server, https_server, CERT
    _certdir = tempfile.TemporaryDirectory(prefix="iwb-host-cert-")
    CERT, key = make_certificate(_certdir.name)
    http_server = Server()
    https_server = Server(tls=(CERT, key))


def tearDownModule():
    http_server.stop()
    https_server.stop()
    _certdir.cleanup()


def body_bytes(body):
    if "base64" in body:
        return base64.b64decode(body["base64"])
    return body["text"].encode("utf-8")


class CaptureTestCase(unittest.TestCase):
    python = None

    def child(self, code):
        c = Child(code, python=self.python)
        self.addCleanup(c.cleanup)
        return c

    def run_child(self, code, env=None, **kwargs):
        env = dict({"BASE": http_server.url, "TLS_BASE": https_server.url, "CAFILE": CERT}, **(env or {}))
        proc = self.child(code).run(env=env, **kwargs)
        return proc

    def only(self, events, path):
        found = [e for e in events if path in e["url"]]
        self.assertEqual(len(found), 1, "one event for %s in %s" % (path, [e["url"] for e in events]))
        return found[0]


class TestLibraries(CaptureTestCase):
    def test_requests_get_and_post_json(self):
        proc = self.run_child("""
            import os, requests
            base = os.environ["BASE"]
            s = requests.Session()
            r = s.get(base + "/echo?b=2&a=1", headers={"X-Trace": "t-1"})
            print("get", r.status_code, r.json()["query"])
            r = s.post(base + "/echo", json={"name": "ticket", "n": 3})
            print("post", r.status_code, r.json()["body"])
        """)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("get 200 b=2&a=1", proc.stdout)
        get = self.only(proc.events, "?b=2")
        self.assertEqual(get["event"], "http")
        self.assertEqual(get["method"], "GET")
        self.assertEqual(get["url"], http_server.url + "/echo?b=2&a=1")
        self.assertIn(["X-Trace", "t-1"], get["request"]["headers"])
        self.assertEqual(get["response"]["status"], 200)
        self.assertEqual(get["response"]["reason"], "OK")
        echoed = json.loads(get["response"]["body"]["text"])
        self.assertEqual(echoed["headers"]["X-Trace"], "t-1")
        self.assertEqual(get["response"]["body"]["size"], len(get["response"]["body"]["text"]))
        t = get["timings"]
        self.assertIsNotNone(t["connect"])
        self.assertIsNone(t["tls"])
        self.assertTrue(0 <= t["first_byte"] <= t["total"])
        self.assertFalse(get["replayed"])
        post = [e for e in proc.events if e["method"] == "POST"][0]
        self.assertEqual(json.loads(post["request"]["body"]["text"]), {"name": "ticket", "n": 3})
        self.assertTrue(post["reused_connection"], "the session's second call reuses the connection")

    def test_urllib3_directly(self):
        proc = self.run_child("""
            import os, urllib3
            pool = urllib3.PoolManager()
            r = pool.request("PUT", os.environ["BASE"] + "/echo?via=urllib3", body=b"raw body",
                             headers={"Content-Type": "text/plain"})
            print(r.status)
        """)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        e = self.only(proc.events, "via=urllib3")
        self.assertEqual(e["method"], "PUT")
        self.assertEqual(e["request"]["body"], {"size": 8, "text": "raw body"})
        self.assertEqual(json.loads(e["response"]["body"]["text"])["body"], "raw body")

    def test_urllib_request(self):
        proc = self.run_child("""
            import os, urllib.request
            req = urllib.request.Request(os.environ["BASE"] + "/echo?via=urllib", data=b"a=1&b=2",
                                         method="POST")
            with urllib.request.urlopen(req) as f:
                print(f.status, len(f.read()))
        """)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        e = self.only(proc.events, "via=urllib")
        self.assertEqual(e["request"]["body"]["text"], "a=1&b=2")
        self.assertEqual(e["response"]["status"], 200)

    def test_plain_http_client_and_chunked(self):
        proc = self.run_child("""
            import http.client, os
            from urllib.parse import urlsplit
            u = urlsplit(os.environ["BASE"])
            c = http.client.HTTPConnection(u.hostname, u.port)
            c.request("GET", "/chunked")
            r = c.getresponse()
            parts = []
            while True:
                chunk = r.read(7)
                if not chunk:
                    break
                parts.append(chunk)
            print(b"".join(parts).decode())
            c.request("POST", "/echo", body=iter([b"one,", b"two"]), encode_chunked=True,
                      headers={"Transfer-Encoding": "chunked"})
            print(c.getresponse().read().decode())
        """)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        chunked = self.only(proc.events, "/chunked")
        expected = "".join("chunk %d;" % i for i in range(5))
        self.assertIn(expected, proc.stdout)
        self.assertEqual(chunked["response"]["body"], {"size": len(expected), "text": expected})
        self.assertIn(["Transfer-Encoding", "chunked"], chunked["response"]["headers"])
        upload = [e for e in proc.events if e["method"] == "POST"][0]
        self.assertEqual(upload["request"]["body"]["text"], "one,two")

    def test_https_with_requests_and_tls_timing(self):
        proc = self.run_child("""
            import os, requests
            r = requests.get(os.environ["TLS_BASE"] + "/echo?tls=1", verify=os.environ["CAFILE"])
            print(r.status_code)
        """)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        e = self.only(proc.events, "tls=1")
        self.assertTrue(e["url"].startswith("https://127.0.0.1:"))
        self.assertEqual(e["response"]["status"], 200)
        self.assertIsNotNone(e["timings"]["tls"])
        self.assertIsNotNone(e["timings"]["connect"])

    def test_https_with_http_client(self):
        proc = self.run_child("""
            import http.client, os, ssl
            from urllib.parse import urlsplit
            u = urlsplit(os.environ["TLS_BASE"])
            ctx = ssl.create_default_context(cafile=os.environ["CAFILE"])
            c = http.client.HTTPSConnection(u.hostname, u.port, context=ctx)
            c.request("GET", "/echo?plain-tls=1")
            print(c.getresponse().status)
        """)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        e = self.only(proc.events, "plain-tls=1")
        self.assertTrue(e["url"].startswith("https://"))
        self.assertIsNotNone(e["timings"]["tls"])
        # The caller never read the body: the event still comes, at exit, marked incomplete.
        self.assertTrue(e["response"]["body"].get("incomplete"))

    def test_large_body_is_capped_with_its_real_size(self):
        proc = self.run_child("""
            import os, requests
            print(len(requests.get(os.environ["BASE"] + "/large?n=1000000").content))
        """, env={"IWB_CAPTURE_BODY_LIMIT": "4096"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("1000000", proc.stdout)
        body = self.only(proc.events, "/large")["response"]["body"]
        self.assertEqual(body["size"], 1000000)
        self.assertTrue(body["truncated"])
        self.assertEqual(body["text"], "x" * 4096)

    def test_binary_body_is_base64_not_mangled(self):
        proc = self.run_child("""
            import os, requests
            print(len(requests.get(os.environ["BASE"] + "/binary").content))
        """)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        body = self.only(proc.events, "/binary")["response"]["body"]
        self.assertNotIn("text", body)
        self.assertEqual(base64.b64decode(body["base64"]), BINARY)
        self.assertEqual(body["size"], len(BINARY))

    def test_gzip_body_is_shown_decoded(self):
        proc = self.run_child("""
            import os, requests
            print(requests.get(os.environ["BASE"] + "/gzip").json()["compressed"])
        """)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("True", proc.stdout)
        body = self.only(proc.events, "/gzip")["response"]["body"]
        self.assertEqual(body.get("decoded"), "gzip")
        self.assertTrue(json.loads(body["text"])["compressed"])

    def test_streamed_body_as_the_caller_reads_it(self):
        proc = self.run_child("""
            import os, requests
            r = requests.get(os.environ["BASE"] + "/large?n=300000", stream=True)
            seen = 0
            for chunk in r.iter_content(1000):
                seen += len(chunk)
                if seen >= 5000:
                    break
            r.close()
            print(seen)
        """)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        body = self.only(proc.events, "/large")["response"]["body"]
        self.assertTrue(body.get("incomplete"))
        self.assertLess(body["size"], 300000, "nothing read ahead of the caller")
        self.assertGreaterEqual(body["size"], 5000)

    def test_threads_are_kept_apart(self):
        proc = self.run_child("""
            import os, threading, requests
            base = os.environ["BASE"]
            def worker(t):
                s = requests.Session()
                for i in range(5):
                    r = s.post(base + "/echo?t=%d&i=%d" % (t, i), json={"t": t, "i": i})
                    assert r.json()["query"] == "t=%d&i=%d" % (t, i)
            threads = [threading.Thread(target=worker, args=(t,), name="worker-%d" % t) for t in range(8)]
            for th in threads: th.start()
            for th in threads: th.join()
            print("done")
        """)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(len(proc.events), 40)
        self.assertEqual(len({e["id"] for e in proc.events}), 40)
        for e in proc.events:
            echo = json.loads(e["response"]["body"]["text"])
            sent = json.loads(e["request"]["body"]["text"])
            self.assertEqual(echo["query"], "t=%d&i=%d" % (sent["t"], sent["i"]))
            self.assertEqual(e["url"].split("?")[1], echo["query"])
            self.assertEqual(e["thread"], "worker-%d" % sent["t"])


class TestFailures(CaptureTestCase):
    def test_refused(self):
        port = free_port()
        proc = self.run_child("""
            import requests, sys
            try:
                requests.get("http://127.0.0.1:%d/api/me", timeout=5)
            except requests.ConnectionError as e:
                print("failed as usual")
        """ % port)
        self.assertIn("failed as usual", proc.stdout)
        e = self.only(proc.events, ":%d" % port)
        self.assertEqual(e["method"], "GET")
        self.assertEqual(e["url"], "http://127.0.0.1:%d/api/me" % port)
        self.assertEqual(e["error"]["kind"], "refused")
        self.assertNotIn("response", e)

    def test_unknown_host(self):
        proc = self.run_child("""
            import urllib.request, urllib.error
            try:
                urllib.request.urlopen("http://nonexistent.invalid/x", timeout=10)
            except urllib.error.URLError:
                print("failed as usual")
        """)
        self.assertIn("failed as usual", proc.stdout)
        e = self.only(proc.events, "nonexistent.invalid")
        self.assertEqual(e["error"]["kind"], "dns")

    def test_timeout(self):
        proc = self.run_child("""
            import os, requests
            try:
                requests.get(os.environ["BASE"] + "/hang", timeout=0.3)
            except requests.Timeout:
                print("timed out as usual")
        """)
        self.assertIn("timed out as usual", proc.stdout)
        e = self.only(proc.events, "/hang")
        self.assertEqual(e["error"]["kind"], "timeout")

    def test_certificate_verification_with_reason(self):
        proc = self.run_child("""
            import os, requests
            try:
                requests.get(os.environ["TLS_BASE"] + "/echo?untrusted=1")
            except requests.exceptions.SSLError:
                print("refused the certificate as usual")
        """)
        self.assertIn("refused the certificate as usual", proc.stdout)
        e = self.only(proc.events, "untrusted=1")
        self.assertEqual(e["error"]["kind"], "certificate")
        self.assertIn("self", e["error"]["reason"].lower())
        self.assertIn("signed", e["error"]["reason"].lower())


class TestGate(unittest.TestCase):
    """IWB_GATE=1: the workbench starts the child before the run; the shim (and so the
    integration) runs only after the line IWB-GO on stdin, and gets the rest of stdin."""
    SCENARIO = """
        import os, sys
        print("ran", repr(sys.stdin.read()), "gate" if "IWB_GATE" in os.environ else "no gate")
        with open("ran.txt", "w") as f:
            f.write("ran")
    """

    def run_gated(self, stdin, gate="1"):
        child = Child(self.SCENARIO)
        self.addCleanup(child.cleanup)
        proc = child.run(env={"IWB_GATE": gate}, stdin=stdin, events=False)
        return proc, os.path.exists(child.path("ran.txt"))

    def test_go_then_the_rest_of_stdin(self):
        proc, ran = self.run_gated('IWB-GO\n{"row": {"a": 1}}\n')
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout, "ran '{\"row\": {\"a\": 1}}\\n' no gate\n")
        self.assertTrue(ran)

    def test_end_of_stdin_runs_nothing(self):
        for stdin in ("", "IWB-G"):
            proc, ran = self.run_gated(stdin)
            self.assertEqual((proc.returncode, proc.stdout, proc.stderr), (0, "", ""))
            self.assertFalse(ran)

    def test_another_first_line_is_a_setup_error(self):
        proc, ran = self.run_gated('{"row": {"a": 1}}\n')
        self.assertEqual(proc.returncode, 2)
        self.assertIn("iwb_host: stdin did not start with the workbench's start line", proc.stderr)
        self.assertFalse(ran)

    def test_without_the_variable_stdin_is_the_shims(self):
        proc, ran = self.run_gated("IWB-GO\n", gate="0")
        self.assertEqual(proc.stdout, "ran 'IWB-GO\\n' no gate\n")
        self.assertTrue(ran)


class TestProtocolUntouched(CaptureTestCase):
    INTEGRATION = {
        "main.py": (
            "import os\n"
            "import requests\n"
            "from lhub_integ import action\n"
            "\n"
            "@action\n"
            "def fetch(q: str):\n"
            "    r = requests.get(os.environ['BASE'] + '/echo', params={'q': q})\n"
            "    print('fetched', q)\n"
            "    return {'status': r.status_code, 'query': r.json()['query']}\n"),
    }

    def test_shim_output_and_exit_status_are_the_same(self):
        from _support import Integration
        integ = Integration(self.INTEGRATION)
        self.addCleanup(integ.cleanup)
        rows = '{"row": {"col": "one"}}\n{"row": {"col": "two"}}\n'
        env = {"BASE": http_server.url, "___q": "col"}
        direct = integ.run("shim_exec", ["-e", "main.fetch"], env=env, stdin=rows)
        child = Child("", python=self.python)
        self.addCleanup(child.cleanup)
        launched = child.run(env=env, shim="lhub_integ.shim_exec", args=["-e", "main.fetch"],
                             cwd=integ.folder, stdin=rows)
        self.assertEqual(direct.returncode, 0, direct.stderr)
        self.assertEqual(launched.returncode, direct.returncode)
        self.assertEqual(launched.stdout, direct.stdout)
        self.assertEqual(launched.stderr, direct.stderr)
        self.assertIn("[result]", launched.stdout)
        self.assertEqual([e["url"].split("?")[1] for e in launched.events], ["q=one", "q=two"])

    def test_exit_status_and_exceptions_pass_through(self):
        proc = self.run_child("""
            import sys
            print("bye")
            sys.exit(7)
        """)
        self.assertEqual(proc.returncode, 7)
        self.assertEqual(proc.stdout, "bye\n")
        self.assertEqual(proc.stderr, "")

    def test_events_survive_closed_stdout(self):
        proc = self.run_child("""
            import os, sys, requests
            os.close(1)
            sys.stderr = open(os.devnull, "w")
            requests.get(os.environ["BASE"] + "/echo?after-close=1")
        """)
        self.assertEqual(proc.returncode, 0)
        self.only(proc.events, "after-close=1")

    def test_events_descriptor_is_not_inherited(self):
        code = """
            import os, subprocess, sys
            fd = os.environ.get("IWB_EVENTS_FD")
            print("env", fd)
            out = subprocess.run([sys.executable, "-c", "import os; print(sorted(os.listdir('/proc/self/fd')))"],
                                 close_fds=False, capture_output=True, text=True).stdout
            print("grandchild", out.strip())
        """
        c = self.child(code)
        r, w = os.pipe()
        try:
            env = child_env({"PYTHONPATH": os.pathsep.join([PYTHON_DIR, c.tmp]), "IWB_EVENTS_FD": str(w)})
            proc = subprocess.run([c.python, "-m", "iwb_host.launch", "scenario"], cwd=c.tmp, env=env,
                                  capture_output=True, text=True, timeout=60, pass_fds=(w,))
        finally:
            os.close(w)
            os.close(r)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("env None", proc.stdout, "the launcher keeps IWB_EVENTS_FD from the integration")
        listed = proc.stdout.split("grandchild", 1)[1]
        self.assertNotIn("'%d'" % w, listed)

    def test_integration_sees_no_capture_variables(self):
        # The integration's environment is the one it has without the capture: requests
        # reads every variable on every call, so one more costs every call.
        proc = self.child("""
            import os
            print(sorted(k for k in os.environ if k.startswith("IWB_")))
        """).run(env={"IWB_SECRET_PARAMS": "conn_password", "conn_password": "x",
                      "IWB_CAPTURE_BODY_LIMIT": "100"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.strip(), "[]")

    def test_bad_events_fd_only_turns_events_off(self):
        c = self.child("print('ran')\n")
        proc = c.run(events=False, env={"IWB_EVENTS_FD": "987"})
        self.assertEqual(proc.returncode, 0)
        self.assertEqual(proc.stdout, "ran\n")
        self.assertIn("IWB_EVENTS_FD=987 is not an open file descriptor", proc.stderr)

    def test_installed_sdk_instead_of_the_bundled_one(self):
        installed = self.child("")  # a folder standing for the interpreter's site-packages
        os.makedirs(installed.path("lhub_integ"))
        with open(installed.path("lhub_integ/__init__.py"), "w") as f:
            f.write("")
        with open(installed.path("lhub_integ/shim_exec.py"), "w") as f:
            f.write("import lhub_integ, sys\nprint('installed SDK', lhub_integ.__file__ == %r, sys.argv[1:])\n"
                    % installed.path("lhub_integ/__init__.py"))
        env = child_env({"PYTHONPATH": os.pathsep.join([PYTHON_DIR, installed.tmp])})
        folder = self.child("").tmp  # the integration folder (the working directory)
        hidden = subprocess.run([installed.python, "-m", "iwb_host.launch", "lhub_integ.shim_exec", "-e", "x.y"],
                                env=dict(env, IWB_HIDE_BUNDLED_SDK="1"), cwd=folder,
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(hidden.returncode, 0, hidden.stderr)
        self.assertEqual(hidden.stdout, "installed SDK True ['-e', 'x.y']\n")
        bundled = subprocess.run([installed.python, "-m", "iwb_host.launch", "lhub_integ.shim_exec", "-e", "x.y"],
                                 env=env, cwd=folder, capture_output=True, text=True, timeout=60)
        self.assertNotIn("installed SDK", bundled.stdout)

    def test_usage(self):
        c = self.child("")
        proc = subprocess.run([c.python, "-m", "iwb_host.launch"], env=child_env({"PYTHONPATH": PYTHON_DIR}),
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 64)
        self.assertIn("usage: python3 -m iwb_host.launch SHIM", proc.stderr)


_ALT = alternative_python()


@unittest.skipIf(_ALT is None, "no interpreter with urllib3 2.x here (set IWB_TEST_PYTHON_URLLIB3_2)")
class TestLibrariesUrllib3v2(TestLibraries):
    """The same, under an interpreter with urllib3 2.x (the shape integrations may install)."""
    python = _ALT


@unittest.skipIf(_ALT is None, "no interpreter with urllib3 2.x here (set IWB_TEST_PYTHON_URLLIB3_2)")
class TestFailuresUrllib3v2(TestFailures):
    python = _ALT


if __name__ == "__main__":
    unittest.main()
