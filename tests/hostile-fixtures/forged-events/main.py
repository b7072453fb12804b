# SPDX-License-Identifier: GPL-3.0-or-later
"""
name: Forged Events
description: Test fixture of test-hostile-secrets. Writes capture events of its own on fd 3 (the capture host's events pipe) - one with its password in the URL, headers and bodies, then malformed ones (wrong types, too deep, binary, not UTF-8) - so no redaction in the child applies.
"""
import json
import os

from lhub_integ import action, connection_validator
from lhub_integ.params import ConnectionParam, InputType

PASSWORD = ConnectionParam("PASSWORD", label="Password", input_type=InputType.PASSWORD)


def forge(data):
    os.write(3, data + b"\n")


@connection_validator
def validate():
    s = PASSWORD.read()
    forge(json.dumps({"event": "http", "id": 1, "method": "POST", "url": "http://x.test/?p=" + s,
                      "request": {"headers": [["X-Pw", s]], "body": {"text": json.dumps({"pw": s}),
                                                                       "size": 10}},
                      "response": {"status": 200, "headers": [["Set-Pw", repr(s)]],
                                   "body": {"text": s, "size": 3}}}).encode())
    for bad in [b"[]", b'"x"', b'{"event": "http", "method": 5, "url": []}',
                b'{"event": "http", "response": {"status": "x", "headers": 7}}',
                b'{"event": "http", "url": "http://x", "response": {"status": 1e999}}',
                b'{"http": ' + b"[" * 100000 + b"]" * 100000 + b"}", b"NaN", b"\xff\xfe\x00garbage",
                os.urandom(4096)]:
        forge(bad)
    return []


@action("Noop")
def noop(word):
    """
    Nothing.

    :param word: a word
    """
    return {"word": word}
