#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pseudo-translation of a .pot file, for the pseudo-locale tests.

    pseudo-po.py INPUT.pot OUTPUT.po [--lang LANG --localedir DIR]
                 [--desktop TEMPLATE OUT] [--metainfo TEMPLATE OUT]

With --localedir, also compiles the catalogue (msgfmt -c) into
DIR/LANG/LC_MESSAGES/integration-workbench.mo; --desktop and --metainfo merge
the translations into a desktop file and a metainfo file the way
i18n.merge_file does (msgfmt --desktop / --xml with a LINGUAS next to the .po).

Every message becomes "⟦…⟧" around the original with its letters accented
(a → á, …), so that a test can tell translated text from English that never
went through gettext. Kept intact: printf directives (%s %d %'d %1$s %%
%-14s %lu…), markup tags and entities (<b>, &amp;), GLib-style escapes,
mnemonic underscores (the letter after them is accented like the others),
and message contexts. Plural messages get both plural forms.
"""

import re
import sys

LOWER = "áƀçđéƒĝĥíĵķĺɱñóþʠŕšţúṽŵẋýž"
UPPER = "ÁƁÇĐÉƑĜĤÍĴĶĹṀÑÓƤǪŔŠŢÚṼŴẊÝŽ"
ACCENT = {}
for i in range(26):
    ACCENT[chr(ord("a") + i)] = LOWER[i]
    ACCENT[chr(ord("A") + i)] = UPPER[i]

# Parts of a message that must reach the program unchanged.
KEEP = re.compile(
    r"%(?:\d+\$)?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?"
    r"(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspn%]"  # printf directive
    r"|</?[A-Za-z][^<>]*>"                             # markup tag
    r"|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);"            # entity
    r"|\$\{[^}]*\}|\$[A-Z_]+"                          # ${VAR}, $IWB_PYTHON
)

OPEN, CLOSE = "⟦", "⟧"


def pseudo(text):
    # Leading and trailing white space stays outside the brackets (msgfmt -c
    # checks that a message and its translation begin and end alike).
    core = text.strip()
    if core == "":
        return text
    lead = text[:len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    text = core
    out = []
    pos = 0
    for m in KEEP.finditer(text):
        out.append("".join(ACCENT.get(c, c) for c in text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append("".join(ACCENT.get(c, c) for c in text[pos:]))
    return lead + OPEN + "".join(out) + CLOSE + trail


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "a": "\a",
           "b": "\b", "f": "\f", "v": "\v"}


def unquote(s):
    s = s.strip()
    if not (s.startswith('"') and s.endswith('"')):
        raise ValueError("not a quoted string: " + s)
    s = s[1:-1]
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n in ESCAPES:
                out.append(ESCAPES[n])
                i += 2
                continue
            m = re.match(r"[0-7]{1,3}", s[i + 1:])
            if m:
                out.append(chr(int(m.group(0), 8)))
                i += 1 + len(m.group(0))
                continue
        out.append(c)
        i += 1
    return "".join(out)


def quote(s):
    s = (s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
         .replace("\t", "\\t").replace("\r", "\\r"))
    return '"' + s + '"'


def parse(lines):
    """Yields entries: dict of keyword → text (msgctxt, msgid, msgid_plural),
    plus 'comments' (the # lines kept as they are)."""
    entry = {"comments": []}
    key = None
    for lineno, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip():
            if "msgid" in entry:
                yield entry
            entry = {"comments": []}
            key = None
            continue
        if line.startswith("#"):
            entry["comments"].append(line)
            continue
        m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$', line)
        if m:
            key = m.group(1)
            entry[key] = unquote(m.group(2))
            continue
        if line.startswith('"') and key is not None:
            entry[key] += unquote(line)
            continue
        raise SystemExit(f"pseudo-po: line {lineno}: cannot parse: {line!r}")
    if "msgid" in entry:
        yield entry


HEADER = ("Project-Id-Version: integration-workbench\n"
          "PO-Revision-Date: 2026-01-01 00:00+0000\n"
          "Last-Translator: tests/pseudo-po.py\n"
          "Language-Team: none\n"
          "Language: pseudo\n"
          "MIME-Version: 1.0\n"
          "Content-Type: text/plain; charset=UTF-8\n"
          "Content-Transfer-Encoding: 8bit\n"
          "Plural-Forms: nplurals=2; plural=(n != 1);\n")


def main(argv):
    import argparse
    import os
    import shutil
    import subprocess
    import tempfile

    ap = argparse.ArgumentParser()
    ap.add_argument("pot")
    ap.add_argument("po")
    ap.add_argument("--lang", default="xx")
    ap.add_argument("--domain", default="integration-workbench")
    ap.add_argument("--localedir")
    ap.add_argument("--desktop", nargs=2, metavar=("TEMPLATE", "OUT"))
    ap.add_argument("--metainfo", nargs=2, metavar=("TEMPLATE", "OUT"))
    args = ap.parse_args(argv[1:])
    write_po(args.pot, args.po)
    msgfmt = shutil.which("msgfmt") or "msgfmt"
    if args.localedir:
        mo_dir = os.path.join(args.localedir, args.lang, "LC_MESSAGES")
        os.makedirs(mo_dir, exist_ok=True)
        subprocess.run([msgfmt, "-c", "-o", os.path.join(mo_dir, args.domain + ".mo"),
                        args.po], check=True)
    if args.desktop or args.metainfo:
        with tempfile.TemporaryDirectory() as podir:
            shutil.copy(args.po, os.path.join(podir, args.lang + ".po"))
            with open(os.path.join(podir, "LINGUAS"), "w", encoding="utf-8") as f:
                f.write(args.lang + "\n")
            if args.desktop:
                subprocess.run([msgfmt, "--desktop", "--template", args.desktop[0],
                                "-d", podir, "-o", args.desktop[1]], check=True)
            if args.metainfo:
                subprocess.run([msgfmt, "--xml", "--template", args.metainfo[0],
                                "-d", podir, "-o", args.metainfo[1]], check=True)


def write_po(pot, po):
    argv = [None, pot, po]
    with open(argv[1], encoding="utf-8") as f:
        entries = list(parse(f))
    out = []
    for e in entries:
        for c in e["comments"]:
            flags = [f.strip() for f in c[2:].split(",")] if c.startswith("#,") else []
            flags = [f for f in flags if f and f != "fuzzy"]
            if flags:
                out.append("#, " + ", ".join(flags))
        if "msgctxt" in e:
            out.append("msgctxt " + quote(e["msgctxt"]))
        out.append("msgid " + quote(e["msgid"]))
        if e["msgid"] == "":
            out.append("msgstr " + quote(HEADER))
        elif "msgid_plural" in e:
            out.append("msgid_plural " + quote(e["msgid_plural"]))
            out.append("msgstr[0] " + quote(pseudo(e["msgid"])))
            out.append("msgstr[1] " + quote(pseudo(e["msgid_plural"])))
        else:
            out.append("msgstr " + quote(pseudo(e["msgid"])))
        out.append("")
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main(sys.argv)
