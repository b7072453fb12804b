# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers of the Python tests: paths, in-process imports and real shim children."""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.environ.get("IWB_PYTHON_DIR") or os.path.normpath(os.path.join(HERE, "..", "..", "python"))
if PYTHON_DIR not in sys.path:
    sys.path.insert(0, PYTHON_DIR)

CHILD_TIMEOUT = 30


def child_env(extra=None):
    """A clean environment for a shim child, like the conformance runner's."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "PYTHONPATH": PYTHON_DIR,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    # Where the capture host finds its C accelerator, "0" for its Python hooks alone
    # (meson test sets it: the build tree's module, or "0" for python-unittest-pure).
    if "IWB_HOST_SPEEDUPS" in os.environ:
        env["IWB_HOST_SPEEDUPS"] = os.environ["IWB_HOST_SPEEDUPS"]
    env.update(extra or {})
    return env


class Integration:
    """A temporary integration folder written from a {relative path: text} map."""

    def __init__(self, files):
        self._tmp = tempfile.TemporaryDirectory(prefix="iwb-pytest-")
        self.root = os.path.realpath(self._tmp.name)
        self.folder = os.path.join(self.root, "integration")
        os.mkdir(self.folder)
        for rel, text in files.items():
            path = os.path.join(self.folder, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)

    def run(self, module, args=(), env=None, stdin=""):
        """Run ``python -m lhub_integ.<module> args`` in the folder; returns CompletedProcess (text)."""
        extra = {"HOME": self.root}
        extra.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "lhub_integ." + module] + list(args),
            cwd=self.folder, env=child_env(extra), input=stdin, capture_output=True,
            text=True, timeout=CHILD_TIMEOUT)

    def cleanup(self):
        self._tmp.cleanup()


def result_lines(stdout):
    return [line for line in stdout.splitlines() if line.startswith("[result]")]
