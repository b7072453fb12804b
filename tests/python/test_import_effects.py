# SPDX-License-Identifier: GPL-3.0-or-later
"""Side effects of ``import lhub_integ`` (checked in fresh child interpreters)."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

from _support import CHILD_TIMEOUT, child_env

PROBE = r'''
import json, os, socket, sys
import lhub_integ
from lhub_integ.common import helpers, verify_ssl
info = {
    "verify": verify_ssl.verify_ssl_enabled(),
    "curl_ca_bundle": os.environ.get("CURL_CA_BUNDLE"),
    "socket": socket.socket.__module__ + "." + socket.socket.__name__,
    "resolved": socket.getaddrinfo("name.invalid", 443)[0][4] if os.environ.get("socks_proxy") else None,
    "batch": [str(helpers.batch_info.start_time), helpers.batch_info.end_time_int],
    "files_dir_created": os.path.isdir(os.environ.get("INTEGRATIONS_FILES_PATH", "/nonexistent")),
}
sys.__stdout__.write(json.dumps(info) + "\n")
'''


def probe(env):
    proc = subprocess.run([sys.executable, "-c", PROBE], env=child_env(env), capture_output=True,
                          text=True, timeout=CHILD_TIMEOUT)
    if proc.returncode != 0:
        raise AssertionError("probe failed (exit %d): %s" % (proc.returncode, proc.stderr))
    return json.loads(proc.stdout.splitlines()[-1])


class ImportEffectsTests(unittest.TestCase):
    def test_defaults(self):
        with tempfile.TemporaryDirectory() as tmp:
            files = os.path.join(tmp, "files")
            info = probe({"INTEGRATIONS_FILES_PATH": files})
        self.assertIs(info["verify"], True)
        self.assertIsNone(info["curl_ca_bundle"])
        self.assertEqual(info["socket"], "socket.socket")
        self.assertEqual(info["batch"], ["1970-01-01 00:00:00+00:00", 0])
        # only common.file_manager_client creates the files folder, not `import lhub_integ`
        self.assertIs(info["files_dir_created"], False)

    def test_ssl_verify_false(self):
        info = probe({"__lh_ssl_verify": " False "})
        self.assertIs(info["verify"], False)
        self.assertEqual(info["curl_ca_bundle"], "")
        self.assertIs(probe({"__lh_ssl_verify": "false"})["verify"], True)

    def test_socks_proxy(self):
        info = probe({"socks_proxy": "socks5://127.0.0.1:1080"})
        self.assertEqual(info["socket"], "socks.socksocket")
        self.assertEqual(info["resolved"], ["name.invalid", 443])

    def test_bad_batch_window_fails_the_import(self):
        proc = subprocess.run([sys.executable, "-c", "import lhub_integ"],
                              env=child_env({"__execution_end_time_ms": "later"}),
                              capture_output=True, text=True, timeout=CHILD_TIMEOUT)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stderr.strip().splitlines()[-1],
                         "ValueError: could not convert string to float: 'later'")

    def test_fileio_capture_starts_at_import(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out.jsonl")
            with open(out, "w") as f:
                f.write("stale\n")
            code = ("import lhub_integ, sys\nfrom lhub_integ.common import helpers\n"
                    "print('one'); print('two', file=sys.stderr)\nhelpers.print_result({'a': 1})\n"
                    "print('after the last result')\n")
            proc = subprocess.run([sys.executable, "-c", code],
                                  env=child_env({"__lh_integration_output_data_json_file_path": out}),
                                  capture_output=True, text=True, timeout=CHILD_TIMEOUT)
            self.assertEqual((proc.returncode, proc.stdout, proc.stderr), (0, "", ""))
            with open(out) as f:
                lines = f.read().splitlines()
        self.assertEqual([json.loads(line) for line in lines],
                         [{"result": {"a": 1}, "stdout": "one", "stderr": "two", "original_lhub_id": None}])


if __name__ == "__main__":
    unittest.main()
