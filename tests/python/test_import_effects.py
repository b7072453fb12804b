# SPDX-License-Identifier: GPL-3.0-or-later
"""Side effects of ``import lhub_integ`` (checked in fresh child interpreters)."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

from _support import CHILD_TIMEOUT, Integration, child_env, result_lines

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


# What `import lhub_integ` leaves in sys.modules with the real SDK 1.0.14 (spec 7.1).
SDK_MODULES_LOADED = {
    "lhub_integ", "lhub_integ.common", "lhub_integ.common.constants", "lhub_integ.common.helpers",
    "lhub_integ.common.input_helpers", "lhub_integ.common.input_json_helpers",
    "lhub_integ.common.override_default_socket_with_proxy", "lhub_integ.common.verify_ssl",
    "lhub_integ.decorators", "lhub_integ.execution", "lhub_integ.util",
}
SDK_MODULES_NOT_LOADED = {
    "lhub_integ.params", "lhub_integ.env", "lhub_integ.common.validations",
    "lhub_integ.common.file_manager_client", "lhub_integ.common.file_helpers",
}
THIRD_PARTY_LOADED = {
    "dateutil", "dateutil.tz", "jinja2", "markupsafe", "netaddr", "yaml", "six", "socks", "urllib3",
    "urllib3.connection", "urllib3.connectionpool", "urllib3.poolmanager", "urllib3.response",
    "urllib3.util",
}
STDLIB_LOADED = {
    "logging", "ssl", "socket", "http.client", "email", "email.utils", "email.message",
    "email.parser", "urllib.parse", "hashlib", "hmac", "base64", "tempfile", "shutil", "pathlib",
    "typing", "dataclasses", "datetime", "calendar", "random", "pickle", "queue", "threading",
    "traceback", "textwrap", "pprint", "mimetypes", "fnmatch",
}

MODULES_PROBE = r'''
import json, sys
before = set(sys.modules)
import lhub_integ
sys.__stdout__.write(json.dumps({"before": sorted(before), "after": sorted(sys.modules)}) + "\n")
'''


def _public(name):
    return not any(part.startswith("_") for part in name.split("."))


class LoadedModulesTests(unittest.TestCase):
    """sys.modules after `import lhub_integ` matches the SDK's (spec section 7.1)."""

    @classmethod
    def setUpClass(cls):
        proc = subprocess.run([sys.executable, "-c", MODULES_PROBE], env=child_env(),
                              capture_output=True, text=True, timeout=CHILD_TIMEOUT)
        if proc.returncode != 0:
            raise AssertionError("probe failed (exit %d): %s" % (proc.returncode, proc.stderr))
        cls.info = json.loads(proc.stdout)
        cls.loaded = set(cls.info["after"])

    def test_sdk_modules(self):
        runtime = {m for m in self.loaded if m == "lhub_integ" or m.startswith("lhub_integ.")}
        # the runtime's own private modules (_fileio, _types ...) have no SDK counterpart
        self.assertEqual({m for m in runtime if _public(m)}, SDK_MODULES_LOADED)
        self.assertEqual(SDK_MODULES_NOT_LOADED & self.loaded, set())

    def test_third_party_and_standard_modules(self):
        self.assertEqual(THIRD_PARTY_LOADED - self.loaded, set())
        self.assertEqual(STDLIB_LOADED - self.loaded, set())
        # loaded by the import itself, not already there at interpreter start-up
        self.assertEqual({"jinja2", "netaddr", "dateutil.tz", "urllib3"} & set(self.info["before"]), set())

    def test_integration_relying_on_loaded_submodules(self):
        """`import dateutil` then `dateutil.tz.UTC` works, as on the platform."""
        integration = Integration({"main.py": (
            "from lhub_integ import action\n"
            "import dateutil, jinja2, urllib3\n"
            "@action\n"
            "def when():\n"
            "    return {'tz': repr(dateutil.tz.UTC), 'pool': urllib3.poolmanager.PoolManager.__name__}\n"
        )})
        self.addCleanup(integration.cleanup)
        proc = integration.run("shim_exec", ["-e", "main.when"], stdin='{"row": {}}\n')
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(result_lines(proc.stdout),
                         ['[result] {"tz": "tzutc()", "pool": "PoolManager"}'])

    def test_batch_info_type_fields_and_time_zone(self):
        code = ("import sys, lhub_integ\nfrom lhub_integ.common import helpers\n"
                "b = helpers.batch_info\n"
                "sys.__stdout__.write(repr(b) + '\\n' + repr(type(b)._fields) + '\\n' + type(b).__name__ + '\\n')\n")
        proc = subprocess.run([sys.executable, "-c", code],
                              env=child_env({"__execution_start_time_ms": "1700000000123",
                                             "__execution_end_time_ms": "1700000060000.5"}),
                              capture_output=True, text=True, timeout=CHILD_TIMEOUT)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.splitlines(), [
            "batch_info(start_time=datetime.datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=tzutc()), "
            "start_time_int=1700000000123, "
            "end_time=datetime.datetime(2023, 11, 14, 22, 14, 20, 500, tzinfo=tzutc()), "
            "end_time_int=1700000060000)",
            "('start_time', 'start_time_int', 'end_time', 'end_time_int')",
            "batch_info",
        ])

    def test_missing_third_party_package(self):
        """Without a package the runtime still imports; only the helper needing it fails."""
        code = ("import sys\n"
                "for name in ('netaddr', 'dateutil', 'dateutil.tz', 'jinja2', 'yaml', 'socks', 'urllib3'):\n"
                "    sys.modules[name] = None  # import raises ModuleNotFoundError\n"
                "import lhub_integ\nfrom lhub_integ.common import helpers, input_helpers\n"
                "print(repr(helpers.batch_info.start_time.tzinfo))\n"
                "for call in (lambda: helpers.ip_address_as_long('10.0.0.1'),\n"
                "             lambda: helpers.render_jinja_template('x', {})):\n"
                "    try:\n        call()\n"
                "    except ModuleNotFoundError as ex:\n        print(type(ex).__name__, ex.name)\n")
        proc = subprocess.run([sys.executable, "-c", code], env=child_env(),
                              capture_output=True, text=True, timeout=CHILD_TIMEOUT)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.splitlines(), [
            "datetime.timezone.utc", "ModuleNotFoundError netaddr", "ModuleNotFoundError jinja2"])


if __name__ == "__main__":
    unittest.main()
