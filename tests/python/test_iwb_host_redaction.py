# SPDX-License-Identifier: GPL-3.0-or-later
"""iwb_host redaction: a secret parameter sent every way an integration can send it never
leaves the child — not in an event, not in a cassette, in no encoding."""
import base64
import html
import json
import os
import unittest
from urllib.parse import quote, quote_plus

from test_iwb_host_support import ServerTestCase, alternative_python  # noqa: F401 (sets sys.path)

SECRET = "s3cr3t/P@ss w0rd+é&x=1"
API_TOKEN = "tok-4f9a7c2e"
USER = "alice"


def forms(secret):
    raw = secret.encode("utf-8")
    out = {
        "raw": secret,
        "quote": quote(secret, safe=""),
        "quote-slash": quote(secret),
        "quote_plus": quote_plus(secret),
        "json": json.dumps(secret)[1:-1],
        "json-utf8": json.dumps(secret, ensure_ascii=False)[1:-1],
        "html": html.escape(secret),
        "base64": base64.b64encode(raw).decode().rstrip("="),
        "base64-url": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "basic": base64.b64encode(("%s:%s" % (USER, secret)).encode()).decode().rstrip("="),
        # a JSON body quoted in a JSON string (the echo service sends the request body back)
        "json-in-json": json.dumps(json.dumps(secret)[1:-1])[1:-1],
        # a URL path as requests sends it (requote_uri keeps "+", "@", "&"...)
        "url-path": quote(secret, safe="!#$%&'()*+,/:;=?@[]~"),
        # what survives every escaping but percent-encoding and base64
        "fragment": "P@ss w0rd",
        "fragment-url": "P@ss%20w0rd",
    }
    return out


SCENARIO = """
    import base64, os, requests, urllib.request, urllib3
    base = os.environ["BASE"]
    secret = os.environ["conn_password"]
    token = os.environ["api_token"]
    s = requests.Session()
    s.get(base + "/cookie", params={"v": secret})            # Set-Cookie from the server
    s.post(base + "/echo", params={"password": secret, "q": secret},
           headers={"X-Custom": "pre " + secret + " post", "X-Api-Key": token},
           json={"user": "alice", "password": secret, "nested": {"list": [secret]}},
           auth=("alice", secret))
    s.post(base + "/echo", data={"pass": secret, "other": "visible"})
    urllib3.PoolManager().request("POST", base + "/echo?urllib3=1", body=base64.b64encode(secret.encode()),
                                  headers={"Authorization": "Token " + token})
    urllib.request.urlopen(base + "/echo?" + "k=" + __import__("urllib.parse").parse.quote(secret)).read()
    try:
        requests.get("http://nonexistent.invalid/" + secret, timeout=5)
    except requests.ConnectionError as e:
        pass
    print("sent everything")
"""


class TestRedaction(ServerTestCase):
    def test_secret_never_leaves_the_child(self):
        child = self.child(SCENARIO)
        cassette = child.path("cassette.json")
        proc = child.run(env={
            "BASE": self.server.url, "conn_password": SECRET, "api_token": API_TOKEN,
            "IWB_SECRET_PARAMS": "conn_password,api_token", "IWB_RECORD": cassette,
        })
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("sent everything", proc.stdout)
        self.assertGreaterEqual(len(proc.events), 6)
        with open(child.events_path, encoding="utf-8") as f:
            events_text = f.read()
        with open(cassette, encoding="utf-8") as f:
            cassette_text = f.read()
        # The parsed form too: JSON escapes (\u00e9) must not hide a leak.
        decoded = json.dumps(proc.events, ensure_ascii=False) + json.dumps(json.loads(cassette_text),
                                                                           ensure_ascii=False)
        for where, text in (("events", events_text), ("cassette", cassette_text), ("decoded", decoded),
                            ("stderr", proc.stderr)):
            for name, form in list(forms(SECRET).items()) + [("token", API_TOKEN)]:
                self.assertNotIn(form, text, "the secret (%s form) leaked into the %s" % (name, where))
        # ... and what is not secret is still there to read.
        self.assertIn("visible", events_text)
        self.assertIn("[redacted]", events_text)
        post = [e for e in proc.events if e["method"] == "POST" and "q=" in e["url"]][0]
        headers = dict(post["request"]["headers"])
        self.assertEqual(headers["Authorization"], "Basic [redacted]")
        self.assertEqual(headers["X-Api-Key"], "[redacted]")
        self.assertEqual(headers["X-Custom"], "pre [redacted] post")
        self.assertEqual(json.loads(post["request"]["body"]["text"])["user"], "alice")
        cookie = [e for e in proc.events if "/cookie" in e["url"]][0]
        self.assertIn(["Set-Cookie", "session=[redacted]; Path=/; HttpOnly"], cookie["response"]["headers"])
        dns = [e for e in proc.events if "nonexistent.invalid" in e["url"]][0]
        self.assertEqual(dns["error"]["kind"], "dns")

    def test_truncated_body_does_not_keep_the_start_of_a_secret(self):
        child = self.child("""
            import os, requests
            body = "a" * 100 + os.environ["conn_password"]
            requests.post(os.environ["BASE"] + "/echo", data=body, headers={"Content-Type": "text/plain"})
        """)
        proc = child.run(env={"BASE": self.server.url, "conn_password": "abcdefghijkl",
                              "IWB_SECRET_PARAMS": "conn_password", "IWB_CAPTURE_BODY_LIMIT": "106"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        body = proc.events[0]["request"]["body"]
        self.assertTrue(body["truncated"])
        self.assertNotIn("abcdef", body["text"])
        self.assertTrue(body["text"].startswith("a" * 100))


    def test_encrypted_file_content_never_leaves_the_child(self):
        """An encryptedFile's value names a file: the integration sends what the file holds."""
        child = self.child("""
            import json, os, urllib.request
            path = os.path.join(os.environ["INTEGRATIONS_FILES_PATH"], os.environ["vault_file"])
            with open(path) as f:
                lines = f.read().splitlines()
            passphrase, key_line = lines[0], lines[2]
            body = json.dumps({"passphrase": passphrase, "line": key_line}).encode()
            urllib.request.urlopen(urllib.request.Request(os.environ["BASE"] + "/echo?p=" + passphrase,
                                                          data=body, method="POST")).read()
        """)
        files_dir = child.path("files")
        os.makedirs(files_dir)
        content = "vault-Passphrase-7q2\n\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n"
        with open(os.path.join(files_dir, "vault.txt"), "w", encoding="utf-8") as f:
            f.write(content)
        cassette = child.path("cassette.json")
        proc = child.run(env={"BASE": self.server.url, "INTEGRATIONS_FILES_PATH": files_dir,
                              "vault_file": "vault.txt", "IWB_SECRET_PARAMS": "vault_file",
                              "IWB_RECORD": cassette})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(child.events_path, encoding="utf-8") as f:
            events_text = f.read()
        with open(cassette, encoding="utf-8") as f:
            cassette_text = f.read()
        for where, text in (("events", events_text), ("cassette", cassette_text)):
            self.assertNotIn("vault-Passphrase-7q2", text, "the file's secret leaked into the " + where)
            self.assertNotIn("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", text, "a line of the file leaked into the " + where)
        self.assertIn("[redacted]", events_text)


class TestRedactor(unittest.TestCase):
    """The redactor itself, in this process: each rule once."""

    def setUp(self):
        from iwb_host.redact import Redactor
        self.r = Redactor([SECRET, "ab"])

    def test_html_form_is_html_escape(self):
        from iwb_host.redact import Redactor, _html_escape
        for text in ("", "plain", "a&b<c>d\"e'f", "&amp;", "\u00e9&\u4e2d<", "'" * 5):
            self.assertEqual(_html_escape(text), html.escape(text))
        secret = "x<y&'z\""
        self.assertEqual(Redactor([secret]).text("v=" + html.escape(secret)), "v=[redacted]")

    def test_headers(self):
        r = self.r
        self.assertEqual(r.header("Authorization", "Bearer abc.def"), "Bearer [redacted]")
        self.assertEqual(r.header("proxy-authorization", "opaque"), "[redacted]")
        self.assertEqual(r.header("Cookie", "a=1; session=xyz"), "a=[redacted]; session=[redacted]")
        self.assertEqual(r.header("Set-Cookie", "sid=xyz; Path=/; HttpOnly"), "sid=[redacted]; Path=/; HttpOnly")
        self.assertEqual(r.header("X-API-Key", "k"), "[redacted]")
        self.assertEqual(r.header("X-Auth-Token", "k"), "[redacted]")
        self.assertEqual(r.header("WWW-Authenticate", 'Basic realm="tracker"'), 'Basic realm="tracker"')
        self.assertEqual(r.header("Accept", "application/json"), "application/json")
        # a short secret is masked where it is a whole value, not inside words
        self.assertEqual(r.header("X-Team", "ab"), "[redacted]")
        self.assertEqual(r.header("X-Note", "about"), "about")

    def test_url_query_and_userinfo(self):
        r = self.r
        url = "https://user:pw@host/p/%s?api_key=k1&q=%s&x=1" % (quote(SECRET, safe=""), quote_plus(SECRET))
        out = r.url(url)
        self.assertTrue(out.startswith("https://[redacted]@host/p/[redacted]?api_key=[redacted]&q=[redacted]&x=1"),
                        out)

    def test_base64_inside_a_token(self):
        token = base64.b64encode(("alice:%s" % SECRET).encode()).decode()
        self.assertEqual(self.r.text("Basic " + token), "Basic [redacted]")
        self.assertEqual(self.r.text("Basic YWxpY2U6b3RoZXI="), "Basic YWxpY2U6b3RoZXI=")

    def test_binary_and_partial(self):
        data = b"\x00\x01" + SECRET.encode() + b"\xff"
        self.assertNotIn(SECRET.encode(), self.r.data(data))
        self.assertEqual(self.r.strip_partial(b"xxxx" + SECRET.encode()[:5]), b"xxxx")
        self.assertEqual(self.r.strip_partial(b"xxxx"), b"xxxx")

    def test_no_secrets_is_a_no_op(self):
        from iwb_host.redact import Redactor
        r = Redactor([])
        self.assertFalse(r.active)
        self.assertEqual(r.text("s3cr3t"), "s3cr3t")
        self.assertEqual(r.header("Authorization", "Basic x"), "Basic [redacted]")


@unittest.skipIf(alternative_python() is None, "no interpreter with urllib3 2.x here")
class TestRedactionUrllib3v2(TestRedaction):
    python = alternative_python()


if __name__ == "__main__":
    unittest.main()
