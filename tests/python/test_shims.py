# SPDX-License-Identifier: GPL-3.0-or-later
"""The shims as real child processes: metadata, exec (PipeIO and FileIO) and validate."""
import json
import os
import unittest

from _support import Integration, result_lines

MAIN = '''"""
name: Shim Test
description: Exercises the shims.
"""
import sys

from lhub_integ import action, connection_validator
from lhub_integ.execution import ExecutionType
from lhub_integ.params import ActionParam, ConnectionParam, DataType, JinjaTemplatedStr, ValidationError

TOKEN = ConnectionParam("TOKEN", input_type="password")
COUNT = ActionParam("COUNT", data_type=DataType.INT, default="2", action="repeat")


@action(name="Repeat")
def repeat(word):
    """Repeat a word.

    :param word: the word
    """
    print("repeating " + word)
    print("to stderr", file=sys.stderr)
    return [{"word": word, "i": i} for i in range(COUNT.read())]


@action
def greet(msg: JinjaTemplatedStr, n: int):
    """Greet.

    :optional n: true
    """
    return {"msg": msg, "n": n}


@action(execution_type=ExecutionType.PROCESS_ONCE)
def once():
    return "done"


@connection_validator
def check():
    if TOKEN.read() != "good":
        return [ValidationError("bad token", TOKEN)]
    return None
'''

BROKEN_SIBLING = "def oops(:\n    pass\n"


class ShimTests(unittest.TestCase):
    def setUp(self):
        self.integration = Integration({"main.py": MAIN, "helper.py": "VALUE = 1\n"})

    def tearDown(self):
        self.integration.cleanup()

    def test_metadata(self):
        proc = self.integration.run("generate_metadata")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = result_lines(proc.stdout)
        self.assertEqual(len(lines), 1)
        meta = json.loads(lines[0][len("[result] "):])
        self.assertTrue(meta["ok"])
        self.assertEqual(meta["integration_name"], "Shim Test")
        self.assertEqual([a["entrypoint"] for a in meta["actions"]], ["main.repeat", "main.greet", "main.once"])
        greet = meta["actions"][1]
        self.assertEqual([(a["id"], a["data_type"], a["optional"]) for a in greet["args"]],
                         [("msg", "jinja", False), ("n", "column", True)])
        self.assertEqual(meta["actions"][0]["params"][0]["default"], "2")
        self.assertEqual(meta["connection_params"][0]["input_type"], "password")

    def test_fileio_several_results_per_row(self):
        root = self.integration.root
        os.mkdir(os.path.join(root, "in"))
        with open(os.path.join(root, "in", "part-0001"), "w") as f:
            f.write('{"w": "hi", "lhub_id": "r1"}\n{"w": "yo"}\n')
        out = os.path.join(root, "out.jsonl")
        proc = self.integration.run("shim_exec", ["-e", "main.repeat"], env={
            "___word": "w",
            "__lh_integration_input_data_json_folder_path": " %s/in " % root,
            "__lh_integration_output_data_json_file_path": out,
        }, stdin='{"row": {"w": "ignored"}}\n')
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout, "")
        with open(out) as f:
            records = [json.loads(line) for line in f]
        self.assertEqual(len(records), 4)
        self.assertEqual([json.loads(r["result"]) for r in records],
                         [{"word": "hi", "i": 0}, {"word": "hi", "i": 1}, {"word": "yo", "i": 0}, {"word": "yo", "i": 1}])
        self.assertEqual(records[0]["stdout"], "repeating hi")
        self.assertEqual(records[0]["stderr"], "to stderr")
        self.assertEqual(records[1]["stdout"], "")
        self.assertEqual([r["original_lhub_id"] for r in records], ["r1", "r1", None, None])

    def test_jinja_rendering_and_optional_argument(self):
        proc = self.integration.run("shim_exec", ["-e", "main.greet"], env={
            "___msg": "Hi {{ name | upper }}{% if vip %}!{% endif %}",
        }, stdin='{"row": {"name": "ann", "vip": true, "lhub_id": 1}}\n{"row": {"name": "bob"}}\n'
                 '{"row": {"name": "x"}, "lhub_id": 3}\n')
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.splitlines(), [
            '[result][meta]{"original_lhub_id": 1}[/meta]{"msg": "Hi ANN!", "n": null}',
            '[result] {"msg": "Hi BOB", "n": null}',
            '[result] {"msg": "Hi X", "n": null}',
        ])

    def test_jinja_syntax_error_is_a_row_error(self):
        proc = self.integration.run("shim_exec", ["-e", "main.greet"], env={"___msg": "{{ oops"},
                                    stdin='{"row": {"a": 1, "lhub_id": 9}}\n')
        self.assertEqual(proc.returncode, 0, proc.stderr)
        line = result_lines(proc.stdout)[0]
        self.assertTrue(line.startswith('[result][meta]{"original_lhub_id": 9}[/meta]'))
        error = json.loads(line.split("[/meta]", 1)[1])
        self.assertTrue(error["has_error"])
        self.assertIn("jinja2.exceptions.TemplateSyntaxError", error["error"])

    def test_row_error_traceback_shape(self):
        """The shim's frame, the integration's frames, then the runtime's it called into."""
        integration = Integration({
            "main.py": ("from lhub_integ import action\nimport lib\n\n@action\n"
                        "def count(x):\n    return lib.limit() + x\n"),
            "lib.py": ("from lhub_integ.params import ActionParam, DataType\n"
                       "LIMIT = ActionParam('LIMIT', data_type=DataType.INT, action='count')\n\n"
                       "def limit():\n    return LIMIT.read()\n"),
        })
        self.addCleanup(integration.cleanup)
        proc = integration.run("shim_exec", ["-e", "main.count"], env={"___x": "c", "LIMIT": "abc"},
                               stdin='{"row": {"c": 1, "lhub_id": 5}}\n')
        self.assertEqual(proc.returncode, 0, proc.stderr)
        error = json.loads(result_lines(proc.stdout)[0].split("[/meta]", 1)[1])
        lines = error["error"].rstrip("\n").splitlines()
        self.assertEqual(lines[0], "Traceback (most recent call last):")
        self.assertEqual(lines[-1], "ValueError: could not convert string to float: 'abc'")
        frames = [(os.path.basename(line.split('"')[1]), line.rsplit(" in ", 1)[1])
                  for line in lines if line.startswith('  File "')]
        runtime = os.path.join("lhub_integ", "")
        places = ["runtime" if runtime in line else "integration"
                  for line in lines if line.startswith('  File "')]
        self.assertEqual(places, ["runtime", "integration", "integration", "runtime", "runtime"])
        self.assertEqual(frames[0][0], "shim_exec.py")
        self.assertEqual(frames[1:3], [("main.py", "count"), ("lib.py", "limit")])
        self.assertEqual(frames[3], ("env.py", "read"))
        self.assertEqual(frames[4][1], "coerce")

    def test_no_compileall_imports_only_the_entrypoint_module(self):
        with open(os.path.join(self.integration.folder, "broken.py"), "w") as f:
            f.write(BROKEN_SIBLING)
        env = {"___word": "w", "COUNT": "1"}
        stdin = '{"row": {"w": "a"}}\n'
        proc = self.integration.run("shim_exec", ["-e", "main.repeat", "--no-compileall"], env=env, stdin=stdin)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(result_lines(proc.stdout), ['[result] {"word": "a", "i": 0}'])
        proc = self.integration.run("shim_exec", ["-e", "main.repeat"], env=env, stdin=stdin)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(result_lines(proc.stdout),
                         ['[result] {"errors": [], "message": "invalid syntax (broken.py, line 1)"}'])

    def test_process_once(self):
        proc = self.integration.run("shim_exec", ["-e", "main.once"], stdin="not even json\n")
        self.assertEqual((proc.returncode, proc.stdout), (0, '[result] "done"\n'), proc.stderr)

    def test_usage_error_exits_2(self):
        proc = self.integration.run("shim_exec", [])
        self.assertEqual(proc.returncode, 2)
        self.assertIn("Missing option", proc.stderr)
        proc = self.integration.run("shim_validate", ["--bogus"])
        self.assertEqual(proc.returncode, 2)

    def test_validate(self):
        proc = self.integration.run("shim_validate", ["-e", "main.repeat", "--validate-connections"],
                                    env={"TOKEN": "bad", "COUNT": "x"})
        self.assertEqual(proc.returncode, 1)
        result = json.loads(result_lines(proc.stdout)[0][len("[result] "):])
        self.assertEqual(result["errors"], [
            {"message": "Column name cannot be empty", "inputId": "___word"},
            {"message": "could not convert string to float: 'x'", "inputId": "COUNT"},
            {"message": "bad token", "inputId": "TOKEN"},
        ])
        proc = self.integration.run("shim_validate", ["-e", "main.repeat", "--validate-connections"],
                                    env={"TOKEN": "good", "___word": "w"})
        self.assertEqual((proc.returncode, proc.stdout), (0, "[result] {}\n"), proc.stderr)

    def test_time_between_rows_validate(self):
        proc = self.integration.run("common.time_between_rows_validate", [],
                                    env={"time_between_consecutive_requests_milliseconds": "-5"})
        self.assertEqual(proc.returncode, 2)
        self.assertIn('"message": "Validation failed"', proc.stdout)
        proc = self.integration.run("common.time_between_rows_validate", [],
                                    env={"time_between_consecutive_requests_milliseconds": "250"})
        self.assertEqual((proc.returncode, proc.stdout), (0, "[result] {}\n"))

    def test_bundle_requirements_needs_requirements_txt(self):
        proc = self.integration.run("bundle_requirements")
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout.strip(), "Run in a directory with requirements.txt")


if __name__ == "__main__":
    unittest.main()
