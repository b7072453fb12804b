#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""po/POTFILES.in is complete and xgettext runs clean on it.

    test-potfiles.py SOURCE_ROOT [XGETTEXT]

Fails when a file of src/ or data/ with marked strings (_( N_( C_( NC_(
g_dngettext( or translatable="yes" in a .ui file; the desktop, metainfo and
gschema sources of data/) is missing from po/POTFILES.in, when POTFILES.in
names a file that does not exist or twice, and when xgettext warns about
a file (a msgid it cannot read, such as a G_GSIZE_FORMAT macro inside _(),
which is never translated at run time).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE_ROOT = None
XGETTEXT = None

MARK = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|g_dngettext|g_dpgettext2|g_dcgettext)\s*\(')
UI_MARK = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"')
C_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
C_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')

# The same keywords and flags as meson's i18n 'glib' preset (po/meson.build).
XGETTEXT_ARGS = [
    "--from-code=UTF-8", "--add-comments", "--keyword=_", "--keyword=N_",
    "--keyword=C_:1c,2", "--keyword=NC_:1c,2", "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format",
    "--flag=NC_:2:pass-c-format", "--flag=g_dngettext:2:pass-c-format",
    "--flag=g_strdup_printf:1:c-format", "--flag=g_string_printf:2:c-format",
    "--flag=g_string_append_printf:2:c-format", "--flag=g_error_new:3:c-format",
    "--flag=g_set_error:4:c-format", "--flag=g_markup_printf_escaped:1:c-format",
    "--flag=g_log:3:c-format", "--flag=g_print:1:c-format",
    "--flag=g_printerr:1:c-format", "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format", "--flag=g_sprintf:2:c-format",
    "--flag=g_snprintf:3:c-format",
]


def potfiles():
    """(line number, path) of every entry of po/POTFILES.in."""
    path = os.path.join(SOURCE_ROOT, "po", "POTFILES.in")
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if line and not line.startswith("#"):
                out.append((n, line))
    return out


def has_marked_strings(rel, text):
    if rel.endswith(".ui"):
        return UI_MARK.search(text) is not None
    if rel.endswith((".c", ".h")):
        # Comments and string contents do not count ("wrap it in _()").
        code = C_COMMENT.sub(" ", text)
        code = C_STRING.sub('""', code)
        return MARK.search(code) is not None
    if rel.endswith((".desktop.in", ".metainfo.xml.in", ".appdata.xml.in")):
        return True
    if rel.endswith(".gschema.xml"):
        return re.search(r"<(summary|description)\b", text) is not None
    return False


def candidate_files():
    for top in ("src", "data"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(SOURCE_ROOT, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                yield os.path.relpath(full, SOURCE_ROOT)


class PotfilesTest(unittest.TestCase):
    def test_listed_files_exist_once(self):
        seen = {}
        problems = []
        for n, rel in potfiles():
            if not os.path.isfile(os.path.join(SOURCE_ROOT, rel)):
                problems.append(f"po/POTFILES.in:{n}: {rel}: no such file "
                                "(remove the line, or fix the path)")
            if rel in seen:
                problems.append(f"po/POTFILES.in:{n}: {rel}: listed twice "
                                f"(first at line {seen[rel]})")
            seen.setdefault(rel, n)
        self.assertEqual(problems, [], "\n" + "\n".join(problems))

    def test_every_file_with_marked_strings_is_listed(self):
        listed = {rel for _, rel in potfiles()}
        missing = []
        for rel in candidate_files():
            try:
                with open(os.path.join(SOURCE_ROOT, rel), encoding="utf-8") as f:
                    text = f.read()
            except (UnicodeDecodeError, OSError):
                continue
            if has_marked_strings(rel, text) and rel not in listed:
                missing.append(rel)
        self.assertEqual(
            missing, [],
            "\nfiles with strings marked for translation that po/POTFILES.in "
            "does not list (add them, or their strings never reach translators):\n  "
            + "\n  ".join(missing))

    def test_xgettext_runs_clean(self):
        if XGETTEXT is None:
            self.skipTest("xgettext not found")
        with tempfile.TemporaryDirectory() as tmp:
            pot = os.path.join(tmp, "test.pot")
            r = subprocess.run(
                [XGETTEXT, *XGETTEXT_ARGS, "-D", SOURCE_ROOT,
                 "--files-from=" + os.path.join(SOURCE_ROOT, "po", "POTFILES.in"),
                 "-o", pot],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self.assertEqual(r.returncode, 0, "xgettext failed:\n" + r.stderr)
            warnings = [l for l in r.stderr.splitlines() if l.strip()]
            self.assertEqual(
                warnings, [],
                "\nxgettext warned (a msgid with a macro such as G_GSIZE_FORMAT "
                "inside _() is cut at the macro and never translated: format the "
                "number with a plain directive, e.g. %lu with a cast):\n  "
                + "\n  ".join(warnings))
            with open(pot, encoding="utf-8") as f:
                self.assertIn('msgid "', f.read())


if __name__ == "__main__":
    SOURCE_ROOT = os.path.abspath(sys.argv[1])
    XGETTEXT = sys.argv[2] if len(sys.argv) > 2 else shutil.which("xgettext")
    unittest.main(argv=[sys.argv[0], "-v"])
