# SPDX-License-Identifier: GPL-3.0-or-later
"""lhub_integ.common: query_parser, validations, input_helpers, file helpers, helpers."""
import contextlib
import hashlib
import io
import json
import os
import tempfile
import unittest

import _support  # noqa: F401
from lhub_integ.common import (file_helpers, file_manager_client, helpers, input_helpers,
                               query_parser, validations)


class QueryParserTests(unittest.TestCase):
    def test_split_and_generate(self):
        error, parts = query_parser.validate_and_parse("select {{ field }} from {{table}};")
        self.assertIsNone(error)
        self.assertEqual(parts, [("LIT", "select "), ("VAR", "field"), ("LIT", " from "),
                                 ("VAR", "table"), ("LIT", ";")])
        self.assertEqual(query_parser.generate_query(parts, {"field": "a", "table": 7}), "select a from 7;")
        self.assertEqual(query_parser.variables(parts), ["field", "table"])

    def test_errors_say_where(self):
        for text, fragment in (("a {{ b", "Unclosed '{{' at position 2"),
                               ("a }} b", "Unexpected '}}' at position 2"),
                               ("{{ }}", "Empty variable name at position 0"),
                               ("{{ a b }}", "Invalid variable name 'a b'")):
            error, parts = query_parser.validate_and_parse(text)
            self.assertIn(fragment, error or "", text)
            self.assertEqual(parts, [])

    def test_missing_value_raises(self):
        _, parts = query_parser.validate_and_parse("{{x}}")
        self.assertRaises(KeyError, query_parser.generate_query, parts, {})


class ValidationsTests(unittest.TestCase):
    def test_checks(self):
        v = validations
        self.assertIsNone(v.check_nonempty_string("x", "ID"))
        self.assertEqual(v.check_nonempty_string("  ", "ID"), {"message": "Cannot be empty", "inputId": "ID"})
        self.assertIsNone(v.check_non_negative_integer(" 0 ", "N"))
        self.assertIsNotNone(v.check_non_negative_integer("-1", "N"))
        self.assertIsNotNone(v.check_positive_integer("0", "N"))
        self.assertIsNone(v.check_ranged_integer("5", "N", 1, 10))
        self.assertIsNotNone(v.check_ranged_integer("11", "N", 1, 10))
        self.assertIsNone(v.check_optional_positive_integer("", "N"))
        self.assertIsNone(v.check_non_negative_float("0.5", "F"))
        self.assertIsNotNone(v.check_valid_json("{bad", "J"))
        self.assertIsNone(v.check_url("https://example.com/x", "U"))
        self.assertIsNotNone(v.check_url("example.com", "U"))
        self.assertIsNone(v.check_allowed_options("a", "O", ["a", "b"]))
        self.assertIsNotNone(v.check_allowed_options("c", "O", ["a", "b"]))
        self.assertIsNone(v.check_optional_date_time_format("2020-01-02", "D", "%Y-%m-%d"))
        self.assertIsNotNone(v.check_optional_date_time_format("02/01/2020", "D", "%Y-%m-%d"))

    def test_server_port(self):
        errors = validations.check_server_port("host:80", "SERVER", "70000", "PORT")
        self.assertEqual([e["inputId"] for e in errors], ["SERVER", "PORT"])
        self.assertEqual(validations.check_server_port("host", "SERVER", "443", "PORT"), [])

    def test_templates(self):
        err = validations.check_valid_template_string("line\n{{ a ", "T")
        self.assertTrue(err["message"].startswith("Syntax error on line 2: "), err)
        self.assertIsNone(validations.check_valid_template_string("{{ a }}", "T"))
        self.assertIsNone(validations.check_valid_templated_json('{"n": {{ count }}}', "Q"))
        self.assertIsNotNone(validations.check_valid_templated_json('{"n": {{ count }}', "Q"))

    def test_create_error_accepts_param_objects(self):
        class Param:
            id = "API_KEY"
        self.assertEqual(validations.create_error("bad", Param()), {"message": "bad", "inputId": "API_KEY"})
        self.assertEqual(validations.flatten([None, [{"a": 1}, None], {"b": 2}]), [{"a": 1}, {"b": 2}])

    def test_finalize_exits_2_with_message(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), self.assertRaises(SystemExit) as ctx:
            validations.finalize_validation_from_errors([[validations.create_error("bad", "X")]], "more")
        self.assertEqual(ctx.exception.code, 2)
        line = out.getvalue().strip()
        self.assertEqual(json.loads(line[len("[result] "):]),
                         {"errors": [{"message": "bad", "inputId": "X"}], "message": "Validation failed (more)"})
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            validations.finalize_validation_from_errors([None])
        self.assertEqual(out.getvalue(), "[result] {}\n")


class InputHelpersTests(unittest.TestCase):
    def setUp(self):
        self._saved = {k: os.environ.pop(k, None) for k in ("IH_TEXT", "IH_INT", "IH_JSON")}

    def tearDown(self):
        for k, v in self._saved.items():
            os.environ.pop(k, None)
            if v is not None:
                os.environ[k] = v

    def test_public_aliases(self):
        ih = input_helpers
        self.assertIs(ih.get_stripped_env_string, ih._get_stripped_env_string)
        self.assertIs(ih.get_safe_stripped_env_integer, ih._get_safe_stripped_env_integer)
        self.assertIs(ih.get_stripped_env_json, ih._get_stripped_env_json)
        self.assertTrue(callable(ih.get_stripped_env_integer))
        self.assertTrue(callable(ih.get_stripped_env_float))

    def test_readers(self):
        os.environ["IH_TEXT"] = "  padded "
        os.environ["IH_INT"] = " 4.5 "
        os.environ["IH_JSON"] = ' {"k": 1} '
        ih = input_helpers
        self.assertEqual(ih.get_stripped_env_string("IH_TEXT"), "padded")
        self.assertEqual(ih.get_stripped_env_string("IH_UNSET", "d"), "d")
        os.environ["IH_JSON"] = "   "
        self.assertEqual(ih.get_stripped_env_string("IH_JSON", "d"), "")
        self.assertEqual(ih.get_stripped_env_json("IH_JSON"), {})
        os.environ["IH_JSON"] = ' {"k": 1} '
        self.assertEqual(ih.get_safe_stripped_env_integer("IH_INT", 3), 3)
        self.assertRaises(ValueError, ih.get_stripped_env_integer, "IH_INT")
        self.assertEqual(ih.get_stripped_env_float("IH_INT"), 4.5)
        self.assertEqual(ih.get_stripped_env_json("IH_JSON"), {"k": 1})
        self.assertEqual(ih.get_stripped_env_json("IH_UNSET"), {})
        self.assertEqual(ih.eval_to_stripped_list(" [a, b ,c] "), ["a", "b", "c"])
        self.assertEqual(ih.eval_to_stripped_list(""), [])
        self.assertIsNone(ih.eval_to_stripped_list_or_none("[]"))
        self.assertEqual(ih.safe_strip(5), 5)


class FileHelpersTests(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self._saved = file_manager_client.BASE_INTEGRATION_DIRECTORY
        file_manager_client.BASE_INTEGRATION_DIRECTORY = self._tmp.name

    def tearDown(self):
        file_manager_client.BASE_INTEGRATION_DIRECTORY = self._saved
        self._tmp.cleanup()

    def test_write_read_and_details(self):
        f = file_manager_client.openNewFileForWriting("txt")
        f.fd.write("hello file\n")
        f.close()
        self.assertRegex(f.name, r"^[0-9a-f]{32}\.txt$")
        self.assertEqual(f.path(), os.path.join(self._tmp.name, f.name))
        details = file_helpers.get_file_details(f.name)
        self.assertEqual(details["hash_md5"], hashlib.md5(b"hello file\n").hexdigest())
        self.assertEqual(details["hash_sha256"], hashlib.sha256(b"hello file\n").hexdigest())
        self.assertEqual(details["size"], 11)
        self.assertEqual(details["content_type"], "text/plain")
        self.assertEqual(details["encoding_info"]["encoding"], "ascii")
        self.assertRaises(TypeError, file_helpers.compute_file_hash, f.name)
        r = file_manager_client.openFileForReading(f.name)
        self.assertEqual(r.fd.read(), "hello file\n")
        self.assertEqual(r.base64_content(), "aGVsbG8gZmlsZQo=")
        r.remove()
        self.assertFalse(os.path.exists(f.path()))

    def test_auto_unzip(self):
        import gzip
        name = "data.gz"
        with gzip.open(os.path.join(self._tmp.name, name), "wt") as g:
            g.write("zipped text")
        r = file_manager_client.openFileForReading(name, auto_unzip=True)
        self.assertEqual(r.fd.read(), "zipped text")
        r.close()


class HelpersTests(unittest.TestCase):
    def test_format_success_and_error(self):
        self.assertEqual(list(helpers.format_success({"a": 1, "has_error": True})), ["has_error", "error", "a"])
        self.assertEqual(helpers.format_success(3), {"has_error": False, "error": None, "result": 3})
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            formatted = helpers.format_error("failed", {"k": 1, "error": "old"}, exception=KeyError("x"))
        self.assertEqual(formatted, {"has_error": True, "error": "failed", "error_exception": "'x'", "k": 1})
        self.assertEqual(err.getvalue().splitlines(), ["failed", "KeyError('x')"])

    def test_print_functions(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            helpers.print_error("boom")
            helpers.print_correlated_result({"x": 1}, 0)
            helpers.print_each_result_in_list([{"b": 1, "a": 2}], 5)
            helpers.print_each_result_in_list([])
            helpers.print_successful_validation_result()
        self.assertEqual(out.getvalue().splitlines(), [
            '[result] {"has_error": true, "error": "boom"}',
            '[result][meta]{"original_lhub_id": 0}[/meta]{"x": 1}',
            '[result][meta]{"original_lhub_id": 5}[/meta]{"a": 2, "b": 1, "error": null, "has_error": false}',
            '[result] {"error": null, "has_error": false, "noResults": "no results returned"}',
            "[result] {}",
        ])

    def test_small_utilities(self):
        self.assertIs(helpers.to_boolean("Yes"), True)
        self.assertIs(helpers.to_boolean(""), False)
        self.assertRaises(ValueError, helpers.to_boolean, "maybe")
        self.assertRaises(TypeError, helpers.to_boolean, object())
        self.assertEqual(helpers.get_nested_key_value({"a": {"b": [1, {"c": 2}]}}, "a.b.1.c"), 2)
        self.assertEqual(helpers.add_default_http_protocol_if_missing("example.com"), "http://example.com")
        self.assertEqual(helpers.strip_shell_colors("\x1b[31mred\x1b[0m"), "red")
        self.assertEqual(helpers.ip_address_as_string(3232235777), "192.168.1.1")
        self.assertEqual(helpers.ip_address_as_long("192.168.1.1"), 3232235777)
        self.assertEqual(helpers.render_jinja_template("{{ a }}-{{ b }}", {"a": 1, "b": "x"}), "1-x")
        pw = helpers.password_generator(12, {"special": False})
        self.assertEqual(len(pw), 12)
        self.assertTrue(any(c.isdigit() for c in pw) and any(c.isupper() for c in pw))
        self.assertEqual(helpers.convert_xml_attr_string_in_json_to_json_property({"@id": "1", "#text": "t"}),
                         {"id": "1", "text": "t"})


if __name__ == "__main__":
    unittest.main()
