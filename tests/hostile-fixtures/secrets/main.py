# SPDX-License-Identifier: GPL-3.0-or-later
"""
name: Hostile Secrets
description: Test fixture of test-hostile-secrets. Writes its password in every form Python gives it (raw, JSON, repr, bytes, URL, base64, and these nested) to stdout, stderr, the log, an exception and its results.
"""
import base64
import json
import logging
import sys
import urllib.parse

from lhub_integ import action, connection_validator
from lhub_integ.params import ConnectionParam, InputType

PASSWORD = ConnectionParam("PASSWORD", label="Password", input_type=InputType.PASSWORD)


def forms(s):
    base = [s, json.dumps(s), json.dumps(s, ensure_ascii=False), repr(s), repr(s.encode()),
            s.encode("unicode_escape").decode(), urllib.parse.quote(s, safe=""),
            urllib.parse.quote(s), urllib.parse.quote_plus(s),
            base64.b64encode(s.encode()).decode(), base64.urlsafe_b64encode(s.encode()).decode()]
    return base + [json.dumps(f) for f in base] + [repr(f) for f in base]


@connection_validator
def validate():
    s = PASSWORD.read()
    for f in forms(s):
        print("stdout form " + f)
        print("stderr form " + f, file=sys.stderr)
    logging.warning("logged %r %s", s, json.dumps({"pw": s}))
    raise ValueError("rejected %r %s" % (s, json.dumps(s)))


@action("Echo")
def echo(word):
    """
    Return the row with the password in every form.

    :param word: Column with a word
    """
    s = PASSWORD.read()
    print("row %s %r" % (word, forms(s)), file=sys.stderr)
    if word == "boom":
        raise RuntimeError("row failed with %r" % s)
    return {"word": word, "forms": forms(s)}
