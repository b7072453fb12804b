# SPDX-License-Identifier: GPL-3.0-or-later
"""Installed, not just built: `meson install --destdir` into a temporary
folder, then the installed `iwb` and `integration-workbench` run from there
with nothing pointing back at the source or build tree (no IWB_PYTHON_DIR,
no GSETTINGS_SCHEMA_DIR): the bundled runtime, the GSettings schema, the
icons, the desktop file and the translations must be found in the prefix.

Usage: test-install.py MESON BUILD_ROOT SOURCE_ROOT (meson runs it)."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

MESON, BUILD, SOURCE = sys.argv[1:4] if len(sys.argv) >= 4 else (None, None, None)
PYTHON = os.environ.get("IWB_PYTHON", "/usr/bin/python3")
BASE_ID = "io.github.lhub.IntegrationWorkbench"
# What a window test may print under Xvfb that says nothing about the install.
HARMLESS = re.compile(r"dbus-daemon|Failed to set fd limit|AT-SPI|accessibility bus")

PROBE = '''from lhub_integ import action
import lhub_integ


@action
def where():
    return {"runtime": lhub_integ.__file__}
'''

# The capture host's accelerator in use in the child (iwb_host.hooks._SPEEDUPS).
ACCELERATOR_PROBE = '''import sys

from lhub_integ import action


@action
def accelerator():
    hooks = sys.modules.get("iwb_host.hooks")
    return {"speedups": getattr(getattr(hooks, "_SPEEDUPS", None), "__file__", None)}
'''


def find_file(root, name):
    for dirpath, _dirs, files in os.walk(root):
        if name in files:
            return os.path.join(dirpath, name)
    return None


class InstalledTree(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="iwb-test-install-")
        destdir = os.path.join(cls.tmp, "destdir")
        proc = subprocess.run([MESON, "install", "-C", BUILD, "--no-rebuild", "--quiet",
                               "--destdir", destdir],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0:
            raise AssertionError("meson install failed:\n" + proc.stdout)
        iwb = find_file(destdir, "iwb")
        assert iwb is not None, "meson install put no iwb into " + destdir
        cls.bindir = os.path.dirname(iwb)
        cls.prefix = os.path.dirname(cls.bindir)
        cls.share = os.path.join(cls.prefix, "share")
        cls.iwb = iwb
        home = os.path.join(cls.tmp, "home")
        os.makedirs(home)
        # A clean session for a system whose prefix is this one.
        cls.env = {
            "PATH": cls.bindir + ":/usr/bin:/bin",
            "HOME": home,
            "XDG_CONFIG_HOME": os.path.join(home, "config"),
            "XDG_CACHE_HOME": os.path.join(home, "cache"),
            "XDG_DATA_HOME": os.path.join(home, "data"),
            "XDG_DATA_DIRS": cls.share + ":/usr/share",
            "LANG": "C.UTF-8",
            "NO_COLOR": "1",
            "GSETTINGS_BACKEND": "memory",
            "GTK_A11Y": "none",
            "NO_AT_BRIDGE": "1",
            "IWB_PYTHON": PYTHON,
        }
        # What the package's trigger does after installing (meson skips its
        # post-install step when staging with --destdir).
        schemas = os.path.join(cls.share, "glib-2.0", "schemas")
        subprocess.run(["glib-compile-schemas", schemas], check=True)
        subprocess.run(["gtk4-update-icon-cache", "-q", "-t", "-f",
                        os.path.join(cls.share, "icons", "hicolor")],
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cls.demo = None

    @classmethod
    def tearDownClass(cls):
        if cls.demo is not None and cls.demo.poll() is None:
            cls.demo.terminate()
            cls.demo.wait(timeout=30)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_installed(self, *args, timeout=120, **kwargs):
        proc = subprocess.run(list(args), env=self.env, cwd=self.tmp, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=timeout, **kwargs)
        return proc

    # -- files in the prefix ------------------------------------------------

    def test_files(self):
        runtime = os.path.join(self.share, "integration-workbench", "python", "lhub_integ")
        self.assertTrue(os.path.isfile(os.path.join(runtime, "__init__.py")), runtime)
        self.assertTrue(os.access(os.path.join(self.bindir, "integration-workbench"), os.X_OK))
        desktop = [f for f in os.listdir(os.path.join(self.share, "applications"))
                   if f.startswith(BASE_ID) and f.endswith(".desktop")]
        self.assertEqual(len(desktop), 1, desktop)
        with open(os.path.join(self.share, "applications", desktop[0]), encoding="utf-8") as f:
            text = f.read()
        icon = re.search(r"^Icon=(.+)$", text, re.M).group(1)
        exec_line = re.search(r"^Exec=(\S+)", text, re.M).group(1)
        self.assertTrue(os.path.exists(os.path.join(self.bindir, os.path.basename(exec_line))),
                        "the desktop file runs " + exec_line + ", which is not installed")
        icons = [os.path.join(d, f) for d, _x, files in
                 os.walk(os.path.join(self.share, "icons", "hicolor")) for f in files
                 if f == icon + ".svg"]
        self.assertTrue(icons, "no icon named %s (the desktop file's Icon=) in the prefix" % icon)
        self.assertTrue(find_file(os.path.join(self.share, "metainfo"), desktop[0].replace(
            ".desktop", ".metainfo.xml")))
        # Every language of po/LINGUAS has its catalogue in the prefix.
        with open(os.path.join(SOURCE, "po", "LINGUAS"), encoding="utf-8") as f:
            langs = [w for line in f for w in line.split("#")[0].split()]
        for lang in langs:
            mo = os.path.join(self.share, "locale", lang, "LC_MESSAGES",
                              "integration-workbench.mo")
            self.assertTrue(os.path.isfile(mo), mo)

    def run_probe(self, name, code, action):
        """`iwb run` (installed) of ACTION in a folder NAME whose main.py is CODE, one row;
        the finished process, checked to have succeeded."""
        folder = os.path.join(self.tmp, name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "main.py"), "w", encoding="utf-8") as f:
            f.write(code)
        proc = self.run_installed(self.iwb, "run", folder, action, "--format", "jsonl",
                                  "--input", "-", input="{}\n")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        return proc

    def test_capture_accelerator(self):
        """iwb_host._speedups, when this build has it (meson option capture_speedups), is
        installed beside the package, loads from there, and the installed iwb's capture
        children use it without being told where it is (no IWB_HOST_SPEEDUPS)."""
        with open(os.path.join(BUILD, "meson-info", "intro-targets.json"), encoding="utf-8") as f:
            targets = [t for t in json.load(f)
                       if t["name"].startswith("_speedups") and t.get("installed")]
        if not targets:
            self.skipTest("built without iwb_host._speedups (no Python headers, or disabled)")
        package = os.path.join(self.share, "integration-workbench", "python", "iwb_host")
        name = os.path.basename(targets[0]["install_filename"][0])
        installed = os.path.join(package, name)
        self.assertTrue(os.path.isfile(installed), installed)
        self.assertEqual([f for f in os.listdir(package) if f.startswith("_speedups")], [name],
                         "the installed package has exactly the module built")
        probe = subprocess.run([PYTHON, "-c", "import importlib.machinery as m; "
                                "print(' '.join(m.EXTENSION_SUFFIXES))"],
                               env=self.env, stdout=subprocess.PIPE, text=True, check=True)
        if not any(name == "_speedups" + s for s in probe.stdout.split()):
            self.skipTest("%s is built for another interpreter than %s" % (name, PYTHON))
        proc = subprocess.run([PYTHON, "-c", "from iwb_host import hooks; "
                               "m = hooks._load_speedups(); print(m and m.__file__)"],
                              env=dict(self.env, PYTHONPATH=os.path.dirname(package),
                                       PYTHONDONTWRITEBYTECODE="1"),
                              cwd=self.tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(os.path.realpath(proc.stdout.strip()), os.path.realpath(installed),
                         proc.stderr)
        proc = self.run_probe("accelerator", ACCELERATOR_PROBE, "accelerator")
        events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
        loaded = [e["result"].get("speedups") for e in events if e.get("event") == "result"]
        self.assertEqual([p and os.path.realpath(p) for p in loaded], [os.path.realpath(installed)],
                         proc.stdout + proc.stderr)

    def test_schema_from_prefix(self):
        proc = self.run_installed("gsettings", "list-keys", BASE_ID)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(proc.stdout.strip(), "the installed schema has no keys")

    # -- iwb ------------------------------------------------------------------

    def test_inspect_example(self):
        folder = os.path.join(SOURCE, "examples", "ticket-tracker")
        proc = self.run_installed(self.iwb, "inspect", folder, "--format", "metadata")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        metadata = json.loads(proc.stdout)
        self.assertTrue(any("search_tickets" in a.get("entrypoint", "")
                            for a in metadata.get("actions", [])), proc.stdout)

    def test_runtime_is_the_installed_one(self):
        proc = self.run_probe("probe", PROBE, "where")
        runtime = os.path.join(self.share, "integration-workbench", "python", "lhub_integ")
        self.assertIn(json.dumps(runtime)[1:-1], proc.stdout)

    def test_run_example_against_installed_demo_service(self):
        cls = type(self)
        cls.demo = subprocess.Popen([self.iwb, "demo-service", "--port", "0"], env=self.env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        url = cls.demo.stdout.readline().strip()
        self.assertTrue(url.startswith("http://127.0.0.1:"), url)
        password = os.path.join(self.tmp, "password.txt")
        with open(password, "w", encoding="utf-8") as f:
            f.write("demo-password\n")
        folder = os.path.join(SOURCE, "examples", "ticket-tracker")
        proc = self.run_installed(self.iwb, "run", folder, "search_tickets",
                                  "--set", "TRACKER_URL=" + url, "--set", "TRACKER_USER=demo",
                                  "--set-file", "TRACKER_PASSWORD=" + password,
                                  "--format", "jsonl", "--input", "-",
                                  input='{"query": "disk"}\n')
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        results = [json.loads(line) for line in proc.stdout.splitlines()
                   if line.startswith("{")]
        self.assertTrue(any(r.get("event") == "result" for r in results), proc.stdout)
        self.assertIn("Disk almost full on build server", proc.stdout)
        cls.demo.send_signal(signal.SIGINT)
        self.assertEqual(cls.demo.wait(timeout=30), 0)

    # -- the window -----------------------------------------------------------

    def test_window_help(self):
        app = os.path.join(self.bindir, "integration-workbench")
        proc = self.run_installed(app, "--help")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("--demo", proc.stdout)
        proc = self.run_installed(app, "--version")
        self.assertEqual(proc.returncode, 0, proc.stderr)

    @unittest.skipUnless(shutil.which("xvfb-run") and shutil.which("dbus-run-session"),
                         "needs xvfb-run and dbus-run-session")
    def test_window_starts(self):
        app = os.path.join(self.bindir, "integration-workbench")
        folder = os.path.join(SOURCE, "examples", "ticket-tracker")
        env = dict(self.env, G_DEBUG="fatal-criticals")
        # The window stays open: `timeout` ends it after a while (exit 124).
        proc = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24",
                               "dbus-run-session", "--", "timeout", "20", app, folder],
                              env=env, cwd=self.tmp, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=300)
        problems = [line for line in proc.stderr.splitlines()
                    if line.strip() and not HARMLESS.search(line)]
        self.assertEqual(proc.returncode, 124, proc.stderr)
        self.assertEqual(problems, [], "the installed window printed:\n" + "\n".join(problems))


if __name__ == "__main__":
    if MESON is None:
        sys.exit(__doc__)
    unittest.main(argv=[sys.argv[0], "-v"])
