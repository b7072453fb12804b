# SPDX-License-Identifier: GPL-3.0-or-later
"""reST docstring parsing with the rules of docstring-parser 0.1.

The SDK pins docstring-parser 0.1, which Debian does not ship.  This module
reproduces its observable rules (written for this project):

* the text is cleaned with ``inspect.cleandoc``;
* the meta section starts at the first line that begins with ``:``; what comes
  before it is the description: its first line is the short description, the
  rest (stripped) the long description;
* every meta block runs from a line starting with ``:`` up to the next such line;
  after dropping its leading colons it is split at the first remaining colon into
  whitespace-separated *args* and a stripped *description* (a block without that
  colon raises :class:`ParseError`); a multi-line description keeps its first
  line and a cleaned continuation;
* ``param``, ``parameter``, ``arg``, ``argument``, ``key`` and ``keyword`` metas
  describe arguments: the last word is the argument name, the second word (when
  there are more than two) its type name (``:param name:``, ``:param type name:``).
"""
import inspect
import re

PARAM_KEYWORDS = frozenset(("param", "parameter", "arg", "argument", "key", "keyword"))

_META_START_RE = re.compile(r"^:", re.M)
_META_BLOCK_RE = re.compile(r"^:.*?(?=^:|\Z)", re.S | re.M)


class ParseError(RuntimeError):
    """The docstring could not be parsed."""


class DocstringMeta:
    """One ``:args...: description`` block."""

    def __init__(self, args, description):
        self.args = args
        self.description = description

    @classmethod
    def from_meta(cls, meta):
        return cls(meta.args, meta.description)

    def __repr__(self):
        return "%s(args=%r, description=%r)" % (type(self).__name__, self.args, self.description)


class DocstringParam(DocstringMeta):
    """A ``:param [type] name: description`` block: the name is the last word."""

    @property
    def arg_name(self):
        return self.args[-1]

    @property
    def type_name(self):
        return self.args[1] if len(self.args) > 2 else None


class Docstring:
    """The parsed docstring."""

    def __init__(self):
        self.short_description = None
        self.long_description = None
        self.blank_after_short_description = False
        self.blank_after_long_description = False
        self.meta = []

    @property
    def params(self):
        return [DocstringParam.from_meta(m) for m in self.meta if m.args[0] in PARAM_KEYWORDS]


def _clean_description(text):
    text = text.strip()
    if "\n" in text:
        first, rest = text.split("\n", 1)
        text = first + "\n" + inspect.cleandoc(rest)
    return text


def parse(text):
    """Parse a reST docstring (``None`` or empty gives an empty Docstring)."""
    result = Docstring()
    if not text:
        return result
    text = inspect.cleandoc(text)

    found = _META_START_RE.search(text)
    if found:
        description_part = text[:found.start()]
        meta_part = text[found.start():]
    else:
        description_part = text
        meta_part = ""

    pieces = description_part.split("\n", 1)
    result.short_description = pieces[0] or None
    if len(pieces) > 1:
        rest = pieces[1] or ""
        result.blank_after_short_description = rest.startswith("\n")
        result.blank_after_long_description = rest.endswith("\n\n")
        result.long_description = rest.strip() or None

    for block in _META_BLOCK_RE.finditer(meta_part):
        chunk = block.group(0)
        if not chunk:
            continue
        try:
            args_text, description = chunk.lstrip(":").split(":", 1)
        except ValueError:
            raise ParseError('Error parsing meta information near "{}".'.format(chunk)) from None
        result.meta.append(DocstringMeta(args_text.split(), _clean_description(description)))
    return result
