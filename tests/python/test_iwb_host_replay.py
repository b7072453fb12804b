# SPDX-License-Identifier: GPL-3.0-or-later
"""iwb_host record and replay: record against a real server, stop it, replay from the cassette."""
import json
import os
import tempfile
import unittest

from test_iwb_host_support import Child, Server, alternative_python, free_port, make_certificate

SCENARIO = """
    import os, sys, requests, urllib.request, http.client
    from urllib.parse import urlsplit
    base, tls = os.environ["BASE"], os.environ["TLS_BASE"]
    s = requests.Session()
    out = []
    out.append(s.get(base + "/echo", params=[("b", "2"), ("a", "1")]).json()["query"])
    out.append(s.post(base + "/echo", json={"x": 1, "y": [1, 2]}).json()["body"])
    out.append(s.post(base + "/echo", data={"f": "1", "g": "2"}).json()["body"])
    out.append(s.get(base + "/echo?status=404").status_code)
    out.append([s.get(base + "/counter").json()["n"] for _ in range(3)])
    out.append(len(s.get(base + "/binary").content))
    out.append(s.get(base + "/gzip").json()["compressed"])
    out.append(s.get(tls + "/echo?tls=1", verify=os.environ["CAFILE"]).json()["query"])
    with urllib.request.urlopen(base + "/chunked") as f:
        out.append(f.read().decode())
    u = urlsplit(base)
    c = http.client.HTTPConnection(u.hostname, u.port)
    c.request("HEAD", "/echo")
    out.append(c.getresponse().status)
    print(repr(out))
"""

# The same calls; query and JSON keys in another order, which must still match.
REORDERED = SCENARIO.replace('params=[("b", "2"), ("a", "1")]', 'params=[("a", "1"), ("b", "2")]') \
                    .replace('json={"x": 1, "y": [1, 2]}', 'json={"y": [1, 2], "x": 1}') \
                    .replace('data={"f": "1", "g": "2"}', 'data={"g": "2", "f": "1"}')


class TestReplay(unittest.TestCase):
    python = None

    @classmethod
    def setUpClass(cls):
        cls.certdir = tempfile.TemporaryDirectory(prefix="iwb-replay-cert-")
        cls.cert, cls.key = make_certificate(cls.certdir.name)

    @classmethod
    def tearDownClass(cls):
        cls.certdir.cleanup()

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="iwb-replay-")
        self.addCleanup(self.tmp.cleanup)
        self.http = Server()
        self.https = Server(tls=(self.cert, self.key))
        self.addCleanup(self.http.stop)
        self.addCleanup(self.https.stop)
        self.cassette = os.path.join(self.tmp.name, "demo.cassette.json")
        self.env = {"BASE": self.http.url, "TLS_BASE": self.https.url, "CAFILE": self.cert}

    def child(self, code):
        c = Child(code, python=self.python)
        self.addCleanup(c.cleanup)
        return c

    def record(self, code=SCENARIO):
        proc = self.child(code).run(env=dict(self.env, IWB_RECORD=self.cassette))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc

    def stop_servers(self):
        self.http.stop()
        self.https.stop()

    def test_replay_with_the_servers_stopped_gives_the_same_results(self):
        live = self.record()
        self.stop_servers()
        replayed = self.child(REORDERED).run(env=dict(self.env, IWB_REPLAY=self.cassette,
                                                      IWB_REPLAY_STRICT="1"))
        self.assertEqual(replayed.returncode, 0, replayed.stderr)
        self.assertEqual(replayed.stdout.replace("'a=1&b=2'", "'b=2&a=1'")
                         .replace('{"y": [1, 2], "x": 1}', '{"x": 1, "y": [1, 2]}')
                         .replace("g=2&f=1", "f=1&g=2"), live.stdout)
        self.assertIn("[1, 2, 3]", replayed.stdout, "repeated calls answered in recorded order")
        self.assertEqual(len(replayed.events), len(live.events))
        self.assertTrue(all(e["replayed"] for e in replayed.events))
        self.assertEqual([e["response"]["status"] for e in replayed.events],
                         [e["response"]["status"] for e in live.events])

    def test_cassette_is_readable_stable_json(self):
        self.record()
        with open(self.cassette, encoding="utf-8") as f:
            text = f.read()
        doc = json.loads(text)
        self.assertEqual(doc["iwb_cassette"], 1)
        methods = [i["request"]["method"] + " " + i["request"]["url"].split("/", 3)[3]
                   for i in doc["interactions"]]
        self.assertEqual(methods[:3], ["GET echo?b=2&a=1", "POST echo", "POST echo"])
        self.assertIn('    {\n      "request": {', text)
        gz = [i for i in doc["interactions"] if i["request"]["url"].endswith("/gzip")][0]
        self.assertTrue(json.loads(gz["response"]["body"]["text"])["compressed"], "stored decoded")
        self.assertNotIn("content-encoding", [h[0].lower() for h in gz["response"]["headers"]])
        # A second recording of the same calls appends; a fresh one has the same text.
        fresh = os.path.join(self.tmp.name, "again.json")
        self.child(SCENARIO).run(env=dict(self.env, IWB_RECORD=fresh, IWB_RECORD_FRESH="1"))
        with open(fresh, encoding="utf-8") as f:
            again = json.load(f)
        strip = lambda d: [(i["request"]["method"], i["request"]["url"].split("/", 3)[3],
                            i.get("response", {}).get("status")) for i in d["interactions"]]
        self.assertEqual(strip(again)[:8], strip(doc)[:8])

    def test_strict_replay_of_an_unrecorded_call_names_it(self):
        self.record()
        self.stop_servers()
        proc = self.child("""
            import os, requests
            try:
                requests.get(os.environ["BASE"] + "/tracker/api/new?x=1")
            except requests.ConnectionError as e:
                print("ConnectionError:", e)
        """).run(env=dict(self.env, IWB_REPLAY=self.cassette, IWB_REPLAY_STRICT="1"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("ConnectionError:", proc.stdout)
        self.assertIn("GET %s/tracker/api/new?x=1 was not recorded" % self.http.url, proc.stdout)
        self.assertEqual(proc.events[0]["error"]["kind"], "not_recorded")

    def test_strict_replay_opens_no_socket(self):
        self.record()
        proc = self.child("""
            import os, socket
            from urllib.parse import urlsplit
            u = urlsplit(os.environ["BASE"])
            try:
                socket.create_connection((u.hostname, u.port), timeout=5)
                print("connected")
            except ConnectionError as e:
                print("blocked:", e)
        """).run(env=dict(self.env, IWB_REPLAY=self.cassette, IWB_REPLAY_STRICT="1"))
        self.assertIn("blocked: a network connection to 127.0.0.1", proc.stdout)
        before = self.http.requests
        proc = self.child(SCENARIO).run(env=dict(self.env, IWB_REPLAY=self.cassette, IWB_REPLAY_STRICT="1"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.http.requests, before, "the running server saw no request")

    def test_lenient_replay_lets_an_unrecorded_call_through_and_says_so(self):
        self.record()
        before = self.http.requests
        proc = self.child("""
            import os, requests
            s = requests.Session()
            print(s.get(os.environ["BASE"] + "/echo", params={"b": "2", "a": "1"}).status_code)
            print(s.get(os.environ["BASE"] + "/echo?new=1").json()["query"])
            print(s.get(os.environ["BASE"] + "/counter").json()["n"])
        """).run(env=dict(self.env, IWB_REPLAY=self.cassette))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.split(), ["200", "new=1", "1"])
        self.assertIn("iwb replay: GET %s/echo?new=1 was not recorded in %s; sent to the network"
                      % (self.http.url, self.cassette), proc.stderr)
        self.assertEqual(self.http.requests, before + 1, "only the unrecorded call reached the server")
        self.assertEqual([e["replayed"] for e in proc.events], [True, False, True])

    def test_lenient_replay_gives_one_exchange_per_call_let_through(self):
        # An unrecorded call sent to the network on a connection of its own is one
        # exchange, with its method and URL: when that connection is refused (no
        # second, method-less exchange for the failed connect), and when it succeeds
        # (with the timings of the connection opened for it).
        self.record()
        port = free_port()
        proc = self.child("""
            import http.client, os, requests, urllib.request
            from urllib.parse import urlsplit
            dead = "http://127.0.0.1:%s" % os.environ["DEAD_PORT"]
            s = requests.Session()
            print(s.get(os.environ["BASE"] + "/echo", params={"b": "2", "a": "1"}).status_code)
            def plain():
                c = http.client.HTTPConnection("127.0.0.1", int(os.environ["DEAD_PORT"]))
                c.request("DELETE", "/plain")
                c.getresponse()
            for call in (lambda: s.post(dead + "/api/items", json={"a": 1}),
                         lambda: urllib.request.urlopen(dead + "/urllib?q=1"), plain):
                try:
                    call()
                    print("no error")
                except (OSError, requests.RequestException):
                    print("refused")
            print(s.get(os.environ["BASE"] + "/echo?new=2").json()["query"])
        """).run(env=dict(self.env, IWB_REPLAY=self.cassette, DEAD_PORT=str(port)))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.split(), ["200", "refused", "refused", "refused", "new=2"])
        dead = "http://127.0.0.1:%d" % port
        self.assertEqual([(e["method"], e["url"], e.get("error", {}).get("kind")) for e in proc.events], [
            ("GET", self.http.url + "/echo?b=2&a=1", None),
            ("POST", dead + "/api/items", "refused"),
            ("GET", dead + "/urllib?q=1", "refused"),
            ("DELETE", dead + "/plain", "refused"),
            ("GET", self.http.url + "/echo?new=2", None),
        ])
        self.assertEqual(len({e["id"] for e in proc.events}), 5)
        for e in proc.events[1:4]:
            self.assertNotIn("response", e)
            self.assertFalse(e["replayed"])
        live = proc.events[4]
        self.assertFalse(live["replayed"])
        self.assertFalse(live["reused_connection"], "a connection of its own was opened for it")
        self.assertIsNotNone(live["timings"]["connect"])
        self.assertEqual(live["response"]["status"], 200)

    def test_recorded_failure_is_replayed_as_the_same_error(self):
        proc = self.child("""
            import requests
            try:
                requests.get("http://nonexistent.invalid/api", timeout=5)
            except requests.ConnectionError as e:
                print("ConnectionError", "Name or service" in str(e) or "resolve" in str(e) or "known" in str(e))
        """)
        rec = proc.run(env=dict(self.env, IWB_RECORD=self.cassette))
        self.assertIn("ConnectionError", rec.stdout)
        rep = proc.run(env=dict(self.env, IWB_REPLAY=self.cassette, IWB_REPLAY_STRICT="1"))
        self.assertEqual(rep.returncode, 0, rep.stderr)
        self.assertIn("ConnectionError", rep.stdout)
        self.assertEqual(rep.events[0]["error"]["kind"], "dns")

    def test_recording_through_a_symlink_keeps_the_link_and_other_files(self):
        """The cassette a symlink points to is written (the link stays, its
        mode is kept, the write is synced); a file that is not a cassette is
        never overwritten by a recording."""
        kept = os.path.join(self.tmp.name, "kept.json")
        os.symlink("kept.json", self.cassette)
        self.record("import requests, os; requests.get(os.environ['BASE'] + '/echo')\n")
        self.assertTrue(os.path.islink(self.cassette))
        with open(kept, encoding="utf-8") as f:
            self.assertEqual(len(json.load(f)["interactions"]), 1)
        os.chmod(kept, 0o640)
        self.record("import requests, os; requests.get(os.environ['BASE'] + '/echo?again=1')\n")
        self.assertEqual(os.stat(kept).st_mode & 0o777, 0o640)
        with open(kept, encoding="utf-8") as f:
            self.assertEqual(len(json.load(f)["interactions"]), 2)
        notes = os.path.join(self.tmp.name, "notes.json")
        with open(notes, "w") as f:
            f.write('{"mine": true}')
        proc = self.child("print('should not run')\n").run(env=dict(self.env, IWB_RECORD=notes))
        self.assertEqual(proc.returncode, 2)
        self.assertIn("recording does not overwrite it", proc.stderr)
        with open(notes) as f:
            self.assertEqual(f.read(), '{"mine": true}')

    def test_setup_errors_are_clear(self):
        c = self.child("print('should not run')\n")
        proc = c.run(env={"IWB_REPLAY": os.path.join(self.tmp.name, "missing.json")})
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stdout, "")
        self.assertIn("missing.json does not exist; record one first", proc.stderr)
        bad = os.path.join(self.tmp.name, "bad.json")
        with open(bad, "w") as f:
            f.write("{not json")
        proc = c.run(env={"IWB_REPLAY": bad})
        self.assertEqual(proc.returncode, 2)
        self.assertIn("bad.json is not valid JSON", proc.stderr)
        with open(bad, "w") as f:
            f.write('{"interactions": []}')
        proc = c.run(env={"IWB_REPLAY": bad})
        self.assertIn("is not a workbench cassette", proc.stderr)
        proc = c.run(env={"IWB_REPLAY": bad, "IWB_RECORD": bad})
        self.assertIn("record or replay, not both", proc.stderr)


@unittest.skipIf(alternative_python() is None, "no interpreter with urllib3 2.x here")
class TestReplayUrllib3v2(TestReplay):
    """The main paths again under urllib3 2.x (its connect and response classes differ)."""
    python = alternative_python()
    # Format and setup checks do not depend on the library: not repeated (keeps the suite short).
    test_cassette_is_readable_stable_json = None
    test_setup_errors_are_clear = None
    test_recorded_failure_is_replayed_as_the_same_error = None


if __name__ == "__main__":
    unittest.main()
