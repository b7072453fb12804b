# SPDX-License-Identifier: GPL-3.0-or-later
"""iwb_host reporting: the event line built from cached pieces on the writer thread is the
reference event (Host._event) exactly; every exchange is reported however the child ends;
redaction's fast checks never let a secret through."""
import base64
import json
import os
import random
import textwrap
import unittest

from test_iwb_host_support import ServerTestCase, alternative_python, free_port

# Run in the child: every reported exchange's line is compared with the reference
# form (EventSink.encode(Host._event(...)), built from fresh copies of nothing cached).
COMPARE = """
import os, sys
from iwb_host import hooks
host = hooks._HOST
report = host._report
mismatches = []
c_lines = [0]
def checked(exchanges):
    for ex in exchanges:
        # the accelerator's line (when it is loaded) from the caches as they are now, then
        # the Python line, which fills them: both are the reference event
        c = hooks._SPEEDUPS.event_line(host._lines, ex) if hooks._SPEEDUPS is not None else None
        fast = host._lines.line(ex)
        ref = host.events.encode(host._event(ex, *host._redacted(ex)))
        if fast != ref:
            mismatches.append((fast, ref))
        if c is not None:
            c_lines[0] += 1
            if c != ref:
                mismatches.append((c, ref))
    report(exchanges)
host._report = checked
import atexit
atexit.register(lambda: sys.stderr.write("MISMATCHES %d\\n%s\\nC LINES %d\\n" % (
    len(mismatches), mismatches[:2], c_lines[0])))
"""

SCENARIO = COMPARE + """
import base64, http.client, requests, urllib.request, urllib3
from urllib.parse import urlsplit, quote
base, secret = os.environ["BASE"], os.environ["conn_password"]
s = requests.Session()
for _ in range(3):   # repeated: the second and third lines come from the caches
    s.get(base + "/echo", params={"q": secret, "n": "1"}, auth=("alice", secret),
          headers={"X-Note": "pre " + secret})
    s.post(base + "/echo", json={"password": secret, "x": [1, 2.5, None, True]})
    s.post(base + "/echo", data={"f": secret, "g": "visible"})
    s.get(base + "/binary"); s.get(base + "/gzip"); s.get(base + "/large?n=5000")
    s.get(base + "/cookie", params={"v": secret}); s.get(base + "/echo?status=404")
    s.post(base + "/echo", data=b"\\x00\\xff" + secret.encode(), headers={"Content-Type": "application/octet-stream"})
    urllib3.PoolManager().request("POST", base + "/echo?u3=1", body=base64.b64encode(secret.encode()))
    urllib.request.urlopen(base + "/chunked").read()
    u = urlsplit(base)
    c = http.client.HTTPConnection(u.hostname, u.port)
    c.request("POST", "/echo", body=iter([b"ab", secret.encode()]), encode_chunked=True,
              headers={"Transfer-Encoding": "chunked", "Content-Type": "text/plain"})
    c.getresponse().read()
    c.request("HEAD", "/echo"); c.getresponse()
    r = s.get(base + "/large?n=100000", stream=True); r.raw.read(100); r.close()
    try:
        requests.get("http://127.0.0.1:%s/%s" % (os.environ["DEAD"], quote(secret)))
    except requests.ConnectionError:
        pass
for _ in range(12):  # the same call again and again: the accelerator's line, when it is loaded
    s.get(base + "/echo", params={"same": secret}, auth=("alice", secret))
print("done")
"""


class TestEventLines(ServerTestCase):
    def test_cached_line_is_the_reference_event(self):
        proc = self.child(SCENARIO).run(env={
            "BASE": self.server.url, "conn_password": "pä$$ w0rd/+=", "IWB_SECRET_PARAMS": "conn_password",
            "DEAD": str(free_port()), "IWB_CAPTURE_BODY_LIMIT": "3000"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("MISMATCHES 0\n", proc.stderr)
        self.assertEqual(len(proc.events), 3 * 15 + 12)
        if os.environ.get("IWB_HOST_SPEEDUPS", "0") != "0":
            # the repeated calls' lines came from the accelerator: not the first (a new
            # connection), nor one whose second (its "started", or the server's Date
            # header) the line before did not have
            c_lines = int(proc.stderr.split("C LINES ")[1].split()[0])
            self.assertGreaterEqual(c_lines, 6, proc.stderr[-2000:])
        # in the order the exchanges finished: one thread, one after the other
        self.assertEqual([e["id"] for e in proc.events], sorted(e["id"] for e in proc.events))
        for e in proc.events:
            self.assertNotIn("w0rd", json.dumps(e, ensure_ascii=False))

    def test_threads_and_a_renamed_thread_match_the_reference(self):
        # Each call says the name its thread had when it made the call (the event is
        # built later, on the writer thread: a thread renamed in between made its first
        # calls under its first name), through the line's cache of thread parts too.
        proc = self.child(COMPARE + textwrap.dedent("""
            import threading, requests
            base = os.environ["BASE"]
            def work(tag):
                for i in range(3):
                    requests.get(base + "/echo?t=%s&i=%d" % (tag, i))
                    if i == 1:
                        threading.current_thread().name = "renamed-" + tag
            for round_ in range(2):
                threads = [threading.Thread(target=work, args=("%d%d" % (round_, n),), name="w%d" % n)
                           for n in range(3)]
                for t in threads: t.start()
                for t in threads: t.join()
            print("done")
        """)).run(env={"BASE": self.server.url})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("MISMATCHES 0\n", proc.stderr)
        self.assertEqual(len(proc.events), 18)
        for e in proc.events:
            query = dict(p.split("=") for p in e["url"].split("?")[1].split("&"))
            expected = ("renamed-" + query["t"]) if query["i"] == "2" else "w" + query["t"][1]
            self.assertEqual(e["thread"], expected, e["url"])

    def test_every_exchange_is_reported_however_the_child_ends(self):
        calls = """
            import os, sys, requests, threading
            s = requests.Session()
            for i in range(30):
                s.get(os.environ["BASE"] + "/echo?i=%d" % i)
            print("done", flush=True)
        """
        for end in ("", "sys.exit(3)", "os._exit(4)", "raise SystemExit(5)"):
            with self.subTest(end=end):
                proc = self.child(textwrap.dedent(calls) + end + "\n").run(env={"BASE": self.server.url})
                self.assertIn("done", proc.stdout)
                self.assertEqual(proc.returncode, {"": 0, "sys.exit(3)": 3, "os._exit(4)": 4,
                                                   "raise SystemExit(5)": 5}[end], proc.stderr)
                self.assertEqual([e["url"].split("?")[1] for e in proc.events], ["i=%d" % i for i in range(30)])

    def test_forked_child_records_its_own_calls(self):
        proc = self.child("""
            import os, requests
            base = os.environ["BASE"]
            requests.get(base + "/echo?who=parent-before")
            pid = os.fork()
            if pid == 0:
                requests.get(base + "/echo?who=child")
                os._exit(0)
            os.waitpid(pid, 0)
            requests.get(base + "/echo?who=parent-after")
            print("done")
        """).run(env={"BASE": self.server.url})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        # A forked process writes no events (its lines could interleave with ours).
        self.assertEqual([e["url"].split("?")[1] for e in proc.events], ["who=parent-before", "who=parent-after"])


class TestRedactionFastChecks(unittest.TestCase):
    """The substring checks that let most values through untouched must see every secret
    the full pass would: base64 in each alignment, standard and URL-safe, with the
    characters a lenient decoder skips inside, and every plain form."""

    def test_random_secrets_in_base64_tokens(self):
        from iwb_host.redact import MARK, Redactor
        rnd = random.Random(1312)
        alphabet = "abcXYZ019-_+/=:é\u4e2d "
        for _ in range(3000):
            secret = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(3, 14)))
            r = Redactor([secret])
            prefix = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 7)))
            raw = (prefix + secret).encode("utf-8")
            for encode in (base64.b64encode, base64.urlsafe_b64encode):
                token = list(encode(raw).decode("ascii").rstrip("="))
                if len(token) < 8:
                    continue
                if encode is base64.b64encode and rnd.random() < 0.5:
                    for _ in range(rnd.randint(1, 5)):   # b64decode skips these
                        token.insert(rnd.randint(1, len(token) - 1), rnd.choice("-_"))
                text = "x " + "".join(token) + " y"
                self.assertEqual(r.text(text), "x %s y" % MARK, (secret, prefix, text))
                self.assertEqual(r.data(text.encode()), ("x %s y" % MARK).encode(), (secret, prefix, text))

    def test_values_without_a_secret_come_back_untouched(self):
        from iwb_host.redact import Redactor
        r = Redactor(["s3cr3t-value"])
        text = '{"items": [%s]}' % ",".join('"name_%d-x"' % i for i in range(500))
        self.assertIs(r.text(text), text)
        data = text.encode()
        self.assertIs(r.data(data), data)
        self.assertEqual(r.text(text.replace("name_7-x", "s3cr3t-value")).count("[redacted]"), 1)


@unittest.skipIf(alternative_python() is None, "no interpreter with urllib3 2.x here")
class TestEventLinesUrllib3v2(TestEventLines):
    python = alternative_python()


if __name__ == "__main__":
    unittest.main()
