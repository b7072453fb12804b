#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The CLI in the pseudo locale: no English left, machine output unchanged.

    test-pseudo-locale.py BUILD_ROOT SOURCE_ROOT IWB

po/meson.build compiles a pseudo-translated catalogue (every message in
"⟦…⟧", letters accented) into BUILD_ROOT/po/pseudo-locale. Here iwb runs with
IWB_LOCALEDIR pointing there, LANGUAGE=xx and LANG=C.UTF-8: its help, its
text output and its errors must have every English word inside ⟦…⟧, unless
the word is data (paths, URLs, ids, option names, the integration's own
names, descriptions and values, taken from its descriptor and its output).
--format json/jsonl/metadata must be byte-identical to the C locale, errors
and explanations (diagnose details, override summaries) included.
The desktop and metainfo files merged with the catalogue show it too.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

BUILD_ROOT = SOURCE_ROOT = IWB = None
LOCALEDIR = None

COMMANDS = ["inspect", "validate", "run", "demo-service", "diagnose", "diff",
            "profile", "history", "env"]

# GLib's own GOptionContext text: translated by GLib's catalogue (glib20),
# which has no pseudo locale.
GLIB_WORDS = {"Usage", "Help", "Options", "Application", "Show", "help",
              "options", "OPTION", "all"}

WORD = re.compile(r"[A-Za-z]{2,}")


def outside_brackets(text):
    """Text outside every ⟦…⟧ (nesting allowed), lines kept."""
    out = []
    depth = 0
    for c in text:
        if c == "⟦":
            depth += 1
        elif c == "⟧":
            depth = max(0, depth - 1)
        elif depth == 0 or c == "\n":
            out.append(c if depth == 0 else "\n")
    return "".join(out)


def is_data_token(token):
    """A whitespace-separated token that is data, not prose."""
    if token == "[secret]":   # the history's stored redaction marker (a value)
        return True
    t = token.strip("“”\"'()[],;:.!?«»`")
    if not t:
        return True
    if t.startswith("-") or t.startswith("$"):       # --format, -h, $IWB_PYTHON
        return True
    if re.search(r"[/\\_=@{}<>|0-9]", t) or "://" in t:  # paths, ids, URLs, values
        return True
    if "." in t:                                      # main.post_message, file.csv
        return True
    return False


def untranslated_lines(text, allowed):
    """(line, words) for each line that has English outside ⟦…⟧."""
    bad = []
    orig_lines = text.split("\n")
    for i, line in enumerate(outside_brackets(text).split("\n")):
        words = []
        for token in line.split():
            if is_data_token(token):
                continue
            for w in WORD.findall(token):
                if w in allowed or w in GLIB_WORDS:
                    continue
                words.append(w)
        if words:
            bad.append((orig_lines[i] if i < len(orig_lines) else line, words))
    return bad


def run_iwb(args, pseudo=True, stdin=None, env_extra=None):
    env = dict(os.environ)
    for k in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        env.pop(k, None)
    env["LANG"] = "C.UTF-8"
    if pseudo:
        env["LANGUAGE"] = "xx"
        env["IWB_LOCALEDIR"] = LOCALEDIR
    if env_extra:
        env.update(env_extra)
    r = subprocess.run([IWB, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, input=stdin, timeout=240)
    return r.returncode, r.stdout.decode("utf-8"), r.stderr.decode("utf-8")


def words_of(value, into):
    """Every word of every key and string in a JSON value (data)."""
    if isinstance(value, dict):
        for k, v in value.items():
            into.update(WORD.findall(k))
            words_of(v, into)
    elif isinstance(value, list):
        for v in value:
            words_of(v, into)
    elif isinstance(value, str):
        into.update(WORD.findall(value))
    return into


class PseudoLocaleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="iwb-pseudo-")
        xdg = {"XDG_DATA_HOME": os.path.join(cls.tmp, "data"),
               "XDG_CACHE_HOME": os.path.join(cls.tmp, "cache"),
               "XDG_CONFIG_HOME": os.path.join(cls.tmp, "config")}
        os.environ.update(xdg)
        cls.chat = os.path.join(SOURCE_ROOT, "examples", "chat-notify")
        cls.tracker = os.path.join(SOURCE_ROOT, "examples", "ticket-tracker")
        # The data: the command names and the examples' descriptors.
        cls.allowed = set(COMMANDS) | {"iwb", "lhub_integ", "jsonl", "json", "csv"}
        # History kinds and statuses: the values `iwb history list --status` takes.
        cls.allowed |= {"validation", "succeeded", "reported", "errors", "failed",
                        "timed", "out", "cancelled"}
        for folder in (cls.chat, cls.tracker):
            code, out, err = run_iwb(["inspect", folder, "--format", "descriptor"], pseudo=False)
            assert code == 0, err
            words_of(json.loads(out), cls.allowed)
        # The demo service on a free port; its first line names the URL.
        env = dict(os.environ, LANG="C.UTF-8", LANGUAGE="xx", IWB_LOCALEDIR=LOCALEDIR)
        env.pop("LC_ALL", None)
        cls.service = subprocess.Popen([IWB, "demo-service", "--port", "0"],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       env=env)
        line = cls.service.stdout.readline().decode("utf-8")
        m = re.search(r"http://127\.0\.0\.1:\d+", line)
        if not m:
            cls.service.kill()
            cls.service.wait()
            raise AssertionError("demo-service printed no URL: " + line)
        cls.url = m.group(0)
        cls.service_first_line = line
        cls.token_file = os.path.join(cls.tmp, "token.txt")
        with open(cls.token_file, "w") as f:
            f.write("demo-chat-token\n")
        cls.rows = os.path.join(cls.tmp, "alerts.csv")
        with open(cls.rows, "w") as f:
            f.write("channel,severity,title\nalerts,high,Phishing wave\n")
        cls.chat_args = ["--set", "CHAT_URL=" + cls.url, "--set-file",
                         "CHAT_TOKEN=" + cls.token_file]
        # What the demo service answers is data too (channel names, topics).
        for action in ("List channels",):
            code, out, err = run_iwb(["run", cls.chat, action, *cls.chat_args,
                                      "--format", "jsonl"], pseudo=False)
            for line in out.splitlines():
                try:
                    words_of(json.loads(line).get("result"), cls.allowed)
                except (ValueError, AttributeError):
                    pass

    @classmethod
    def tearDownClass(cls):
        cls.service.terminate()
        try:
            cls.service.wait(timeout=30)
        except subprocess.TimeoutExpired:
            cls.service.kill()
            cls.service.wait()
        cls.service.stdout.close()
        cls.service.stderr.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def check(self, args, expect_codes=None, extra_allowed=(), stdin=None):
        code, out, err = run_iwb(args, stdin=stdin)
        if expect_codes is not None:
            self.assertIn(code, expect_codes,
                          f"iwb {' '.join(args)}: exit {code}\nstdout:\n{out}\nstderr:\n{err}")
        allowed = self.allowed | set(extra_allowed)
        bad = []
        for name, text in (("stdout", out), ("stderr", err)):
            for line, words in untranslated_lines(text, allowed):
                bad.append(f"  {name}: {line!r}\n      English outside ⟦…⟧: {', '.join(words)}")
        self.assertEqual(bad, [], f"\niwb {' '.join(args)} in the pseudo locale printed "
                         "untranslated text (mark the string with _() / N_()):\n"
                         + "\n".join(bad))
        return code, out, err

    # -- help
    def test_help(self):
        self.check(["--help"], {0})
        self.check([], {64})
        self.check(["no-such-command"], {64}, extra_allowed={"no", "such", "command"})

    def test_subcommand_help(self):
        for c in COMMANDS:
            with self.subTest(command=c):
                self.check([c, "--help"], {0})

    # -- inspect, validate, run on the examples against the demo service
    def test_inspect(self):
        self.check(["inspect", self.chat], {0})
        self.check(["inspect", self.tracker], {0})

    def test_validate_and_run(self):
        self.check(["validate", self.chat, *self.chat_args], {0, 1})
        self.check(["run", self.chat, "main.post_message", *self.chat_args,
                    "--input", self.rows, "--template",
                    "message=[{{ severity }}] {{ title }}"], {0, 1},
                   extra_allowed={"Phishing", "wave", "alerts", "high", "severity", "title"})
        self.check(["run", self.chat, "List channels", *self.chat_args], {0, 1},
                   extra_allowed={"general", "alerts", "random"})

    def test_demo_service_banner(self):
        self.assertEqual(untranslated_lines(self.service_first_line, self.allowed), [],
                         self.service_first_line)

    # -- errors
    def test_errors(self):
        missing = os.path.join(self.tmp, "no-such-folder")
        self.check(["inspect", missing], {2, 64})
        self.check(["validate", self.chat, "--set", "novalue"], {64, 2})
        self.check(["validate", self.chat, "--set", "NOPE=1"], {64, 2})
        self.check(["run", self.chat, "main.post_message", *self.chat_args,
                    "--input", os.path.join(self.tmp, "missing.csv")], {2, 64})
        bad_rows = os.path.join(self.tmp, "bad.jsonl")
        with open(bad_rows, "w") as f:
            f.write('{"channel": "general"\n')
        self.check(["run", self.chat, "main.post_message", *self.chat_args,
                    "--input", bad_rows], {1, 2, 64})
        self.check(["run", self.chat, "no.such_action", *self.chat_args], {2, 64})
        self.check(["inspect", self.chat, "--format", "nope"], {64},
                   extra_allowed={"nope"})
        self.check(["validate", self.chat, "--timeout", "x"], {64})
        unreadable = os.path.join(self.tmp, "unreadable.json")
        with open(unreadable, "w") as f:
            f.write("{}")
        os.chmod(unreadable, 0)
        self.check(["diff", unreadable, os.path.join(self.tmp, "absent.json")], {2, 64, 1})
        broken = os.path.join(self.tmp, "broken.json")
        with open(broken, "w") as f:
            f.write('{"a": ')
        self.check(["diff", broken, broken], {2, 64, 1})

    # -- load errors with their advice, lint warnings (tests/fixtures)
    def test_load_errors_and_lint(self):
        fixtures = os.path.join(SOURCE_ROOT, "tests", "fixtures")
        # Words of the Python side are data: the SDK's own messages and
        # tracebacks, the fixtures' code quoted in them.
        python_words = set()
        for top in (os.path.join(SOURCE_ROOT, "python"), fixtures):
            for dirpath, _, names in os.walk(top):
                for name in names:
                    if name.endswith(".py"):
                        with open(os.path.join(dirpath, name), encoding="utf-8",
                                  errors="replace") as f:
                            python_words.update(WORD.findall(f.read()))
        python_words |= {"Traceback", "File", "line", "most", "recent", "call", "last",
                         "Error", "Exception", "module", "named", "No", "Killed", "MemoryError",
                         "was", "never", "closed", "expected",  # CPython's own messages
                         "Segmentation", "fault"}  # strsignal()
        for name in sorted(os.listdir(fixtures)):
            if not name.startswith(("broken-", "lint")) or name in ("broken-hang",):
                continue
            with self.subTest(fixture=name):
                self.check(["inspect", os.path.join(fixtures, name), "--load-timeout", "20"],
                           None, extra_allowed=python_words)

    # -- diff, profile, history, env, diagnose
    def test_diff_text(self):
        a = os.path.join(self.tmp, "a.json")
        b = os.path.join(self.tmp, "b.json")
        with open(a, "w") as f:
            json.dump({"name": "x", "list": [1, 2]}, f)
        with open(b, "w") as f:
            json.dump({"name": "y", "list": [1, 3], "extra": True}, f)
        self.check(["diff", a, b], {0, 1}, extra_allowed={"name", "list", "extra", "true"})
        self.check(["diff", a, a], {0})

    def test_stores(self):
        self.check(["profile", "list", self.chat], {0})
        self.check(["profile", "save", self.chat, "demo", *self.chat_args], {0},
                   extra_allowed={"demo"})
        self.check(["profile", "show", self.chat, "demo"], {0}, extra_allowed={"demo"})
        self.check(["profile", "show", self.chat, "absent"], {1, 2, 64},
                   extra_allowed={"absent"})
        self.check(["validate", self.chat, *self.chat_args], {0, 1})
        self.check(["history", "list", self.chat], {0})
        # HTTP methods and reasons are the wire's, not ours (wire)
        self.check(["history", "show", "1"], {0, 1, 2}, extra_allowed=("GET", "POST", "OK"))
        self.check(["history", "show", "99999"], {1, 2, 64})
        self.check(["profile", "delete", self.chat, "demo"], {0}, extra_allowed={"demo"})
        self.check(["env", "status", self.chat], None)
        self.check(["diagnose", self.chat, *self.chat_args], {0, 1})
        # A failing layer, with its explanation: nothing listens on port 1.
        self.check(["diagnose", self.chat, "--set", "CHAT_URL=http://127.0.0.1:1",
                    "--set-file", "CHAT_TOKEN=" + self.token_file], {1, 2},
                   extra_allowed={"Connection", "refused"})  # strerror()

    # -- machine-readable output is the same in every locale
    def test_machine_output_unchanged(self):
        cases = [
            ["inspect", self.chat, "--format", "descriptor"],
            ["inspect", self.chat, "--format", "metadata"],
            ["inspect", self.tracker, "--format", "descriptor"],
            ["validate", self.chat, *self.chat_args, "--format", "json"],
            ["run", self.chat, "List channels", *self.chat_args, "--format", "jsonl"],
        ]
        for args in cases:
            with self.subTest(args=" ".join(args)):
                c1, out_c, _ = run_iwb(args, pseudo=False)
                c2, out_p, _ = run_iwb(args, pseudo=True)
                self.assertEqual(c1, c2)
                self.assertNotIn("⟦", out_p)
                if "jsonl" in args or ("validate" in args):
                    # Timings differ from run to run: compare without them.
                    out_c, out_p = strip_timings(out_c), strip_timings(out_p)
                self.assertEqual(out_c, out_p)

    # -- machine-readable output with errors and explanations in it: the
    #    messages (iwb's, GLib's, strerror's) are the C locale's in JSON
    def test_machine_output_with_errors_unchanged(self):
        pw = os.path.join(self.tmp, "tracker-password.txt")
        with open(pw, "w") as f:
            f.write("demo-password\n")
        refused = ["--set", "CHAT_URL=http://127.0.0.1:1", "--set-file",
                   "CHAT_TOKEN=" + self.token_file]
        tracker = ["--set", "TRACKER_URL=" + self.url, "--set", "TRACKER_USER=demo"]
        cases = [
            # local checks: missing values, a missing column mapping
            ["validate", self.chat, "--format", "json"],
            ["run", self.chat, "main.post_message", *self.chat_args, "--input", self.rows,
             "--format", "jsonl"],
            # the validator fails (connection refused), diagnose explains each layer
            ["validate", self.chat, *refused, "--format", "json"],
            ["diagnose", self.chat, *refused, "--format", "json"],
            ["diagnose", self.chat, *self.chat_args, "--format", "json"],
            # the overrides' summary, and the error of a wrong password
            ["validate", self.tracker, *tracker, "--set-file", "TRACKER_PASSWORD=" + pw,
             "--show-overrides", "--format", "json"],
            ["validate", self.tracker, *tracker, "--set", "TRACKER_PASSWORD=nope",
             "--show-overrides", "--format", "json"],
            ["env", "status", self.chat, "--format", "json"],
        ]
        for args in cases:
            with self.subTest(args=" ".join(args)):
                c1, out_c, _ = run_iwb(args, pseudo=False)
                c2, out_p, _ = run_iwb(args, pseudo=True)
                self.assertEqual(c1, c2)
                self.assertNotEqual(out_c.strip(), "", "no JSON to compare")
                self.assertNotIn("⟦", out_p)
                self.assertEqual(normalize_machine(out_c), normalize_machine(out_p))

    # -- the desktop and metainfo files go through po/
    def test_merged_data_files(self):
        desktop = os.path.join(BUILD_ROOT, "po", "pseudo.desktop")
        metainfo = os.path.join(BUILD_ROOT, "po", "pseudo.metainfo.xml")
        if not os.path.exists(desktop):
            self.skipTest("built without the GUI: no desktop file")
        with open(desktop, encoding="utf-8") as f:
            text = f.read()
        for key in ("Name", "GenericName", "Comment", "Keywords"):
            self.assertRegex(text, rf"(?m)^{key}\[xx\]=⟦", f"{desktop}: {key} untranslated")
        with open(metainfo, encoding="utf-8") as f:
            text = f.read()
        self.assertRegex(text, r'<name xml:lang="xx">⟦')
        self.assertRegex(text, r'<summary xml:lang="xx">⟦')
        self.assertRegex(text, r'<p xml:lang="xx">⟦')


def strip_timings(text):
    out = []
    for line in text.splitlines():
        try:
            v = json.loads(line)
        except ValueError:
            out.append(line)
            continue
        if isinstance(v, dict) and v.get("event") == "http":
            continue  # the service's Date headers and the call's timings: data of the run (wire)
        drop_keys(v)
        out.append(json.dumps(v, sort_keys=True))
    return "\n".join(out)


def normalize_machine(text):
    """JSON lines without what differs between two runs: timings, process
    ids, the failing call's wire data, durations inside explanations,
    object addresses in Python's reprs."""
    out = []
    for line in strip_timings(text).splitlines():
        try:
            v = json.loads(line)
        except ValueError:
            out.append(line)
            continue
        drop_wire(v)
        dumped = json.dumps(v, sort_keys=True)
        dumped = re.sub(r"\b\d+(\.\d+)? ?(ms|s)\b", "N \\2", dumped)
        # Python's reprs in the integration's own messages: "<... object at 0x7f58...>"
        out.append(re.sub(r"\b0x[0-9a-f]+\b", "0xADDR", dumped))
    return "\n".join(out)


def drop_wire(v):
    if isinstance(v, dict):
        for k in list(v):
            if k in ("failing_call", "thread_id", "timings"):
                del v[k]
            else:
                drop_wire(v[k])
    elif isinstance(v, list):
        for x in v:
            drop_wire(x)


def drop_keys(v):
    if isinstance(v, dict):
        for k in list(v):
            if any(s in k.lower() for s in ("time", "duration", "elapsed", "_ms", "started", "pid")):
                del v[k]
            else:
                drop_keys(v[k])
    elif isinstance(v, list):
        for x in v:
            drop_keys(x)


if __name__ == "__main__":
    BUILD_ROOT = os.path.abspath(sys.argv[1])
    SOURCE_ROOT = os.path.abspath(sys.argv[2])
    IWB = os.path.abspath(sys.argv[3])
    LOCALEDIR = os.path.join(BUILD_ROOT, "po", "pseudo-locale")
    unittest.main(argv=[sys.argv[0], "-v"])
