# SPDX-License-Identifier: GPL-3.0-or-later
"""A tiny ``{{variable}}`` template splitter used by the templated-input validations.

``validate_and_parse(text)`` returns ``(message, parts)``: ``message`` is None when
the text is well formed, else says what is wrong and where; ``parts`` is a list of
``("LIT", text)`` and ``("VAR", name)`` tuples.  ``generate_query(parts, values)``
joins the literals with the values of the variables.
"""
import re

LITERAL = "LIT"
VARIABLE = "VAR"

_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


def validate_and_parse(text):
    if text is None:
        return "No text to parse", []
    parts = []
    position = 0
    while True:
        start = text.find("{{", position)
        close = text.find("}}", position)
        if close != -1 and (start == -1 or close < start):
            return "Unexpected '}}' at position %d" % close, []
        if start == -1:
            if position < len(text):
                parts.append((LITERAL, text[position:]))
            return None, parts
        if start > position:
            parts.append((LITERAL, text[position:start]))
        end = text.find("}}", start + 2)
        if end == -1:
            return "Unclosed '{{' at position %d" % start, []
        name = text[start + 2:end].strip()
        if "{{" in name:
            return "Nested '{{' at position %d" % start, []
        if not name:
            return "Empty variable name at position %d" % start, []
        if not _NAME_RE.match(name):
            return "Invalid variable name '%s' at position %d" % (name, start), []
        parts.append((VARIABLE, name))
        position = end + 2


def variables(parts):
    """Names of the variables of parsed ``parts``, in order, without repetitions."""
    seen = []
    for kind, value in parts:
        if kind == VARIABLE and value not in seen:
            seen.append(value)
    return seen


def generate_query(parts, values):
    """Join ``parts``; every variable is replaced by ``str(values[name])`` (KeyError if missing)."""
    out = []
    for kind, value in parts:
        if kind == VARIABLE:
            out.append(str(values[value]))
        else:
            out.append(value)
    return "".join(out)
