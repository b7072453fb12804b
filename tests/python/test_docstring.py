# SPDX-License-Identifier: GPL-3.0-or-later
"""The reST docstring parser follows docstring-parser 0.1's rules."""
import unittest

import _support  # noqa: F401  (puts the runtime on sys.path)
from lhub_integ import _docstring
from lhub_integ._docstring import DocstringParam, ParseError, parse


class DescriptionTests(unittest.TestCase):
    def test_empty_and_none(self):
        for text in (None, ""):
            doc = parse(text)
            self.assertIsNone(doc.short_description)
            self.assertIsNone(doc.long_description)
            self.assertEqual(doc.meta, [])

    def test_text_is_cleaned_like_inspect_cleandoc(self):
        # cleandoc drops the first line's indentation and leading blank lines but
        # keeps a trailing whitespace-only line, as docstring-parser 0.1 saw it
        doc = parse("   \n   ")
        self.assertEqual(doc.short_description, "   ")
        self.assertIsNone(doc.long_description)

    def test_short_and_long_are_cleaned(self):
        doc = parse("""
            Short line.

            Long text
              indented continuation.

            :param x: y
            """)
        self.assertEqual(doc.short_description, "Short line.")
        self.assertEqual(doc.long_description, "Long text\n  indented continuation.")
        self.assertTrue(doc.blank_after_short_description)

    def test_meta_first_gives_no_description(self):
        doc = parse(":param x: value")
        self.assertIsNone(doc.short_description)
        self.assertEqual(len(doc.meta), 1)


class MetaTests(unittest.TestCase):
    def test_param_forms_and_aliases(self):
        doc = parse("""Do.

        :param a: first
        :param int b: second
        :parameter c: third
        :arg d: fourth
        :argument e: fifth
        :key f: sixth
        :keyword g: seventh
        """)
        params = doc.params
        self.assertEqual([p.arg_name for p in params], list("abcdefg"))
        self.assertEqual(params[1].type_name, "int")
        self.assertIsNone(params[0].type_name)
        self.assertEqual(params[0].description, "first")

    def test_other_keys_are_plain_meta(self):
        doc = parse(":label x: Pretty\n:optional x:\n:return: something")
        self.assertEqual([m.args for m in doc.meta], [["label", "x"], ["optional", "x"], ["return"]])
        self.assertEqual(doc.meta[1].description, "")
        self.assertFalse(any(isinstance(m, DocstringParam) for m in doc.meta))

    def test_description_split_at_first_inner_colon(self):
        doc = parse(":param url: see http://example.com: here")
        self.assertEqual(doc.params[0].description, "see http://example.com: here")

    def test_multi_line_description_keeps_cleaned_continuation(self):
        doc = parse(":param x: first line\n        second line\n          third\n:param y: z")
        self.assertEqual(doc.params[0].description, "first line\nsecond line\nthird")
        self.assertEqual(doc.params[1].arg_name, "y")

    def test_meta_without_second_colon_raises(self):
        with self.assertRaises(ParseError) as ctx:
            parse("Act.\n\n:return\n")
        self.assertEqual(str(ctx.exception), 'Error parsing meta information near ":return".')

    def test_param_name_is_the_last_word(self):
        params = parse(":param List of str names: many\n:param: bare").params
        self.assertEqual([(p.arg_name, p.type_name) for p in params], [("names", "List"), ("param", None)])

    def test_parse_error_prints_without_package_prefix_when_normalised(self):
        self.assertEqual(ParseError.__name__, "ParseError")
        self.assertEqual(ParseError.__module__, _docstring.__name__)
        self.assertTrue(issubclass(ParseError, RuntimeError))


if __name__ == "__main__":
    unittest.main()
