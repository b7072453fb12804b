# SPDX-License-Identifier: GPL-3.0-or-later
"""
name: Leaky
description: Test fixture of the stores tests. Prints, logs and returns its password in every usual encoding, so a test can check that none of them reaches the history or any other file.
"""
import base64
import json
import sys
import urllib.parse

from lhub_integ import action, connection_validator
from lhub_integ.params import ActionParam, ConnectionParam, InputType

SERVICE_URL = ConnectionParam("SERVICE_URL", label="Service URL")
PASSWORD = ConnectionParam("PASSWORD", label="Password", input_type=InputType.PASSWORD)
TOKEN = ConnectionParam("TOKEN", label="Token", optional=True)
GREETING = ActionParam("GREETING", action="echo", label="Greeting", optional=True)


def _forms(secret):
    return {
        "raw": secret,
        "json": json.dumps(secret),
        "url": urllib.parse.quote(secret, safe=""),
        "form": urllib.parse.quote_plus(secret),
        "b64": base64.b64encode(secret.encode()).decode(),
    }


@connection_validator
def validate_connections():
    secret = PASSWORD.read()
    print("validating with password " + secret)
    print("as json " + json.dumps(secret), file=sys.stderr)
    print("[result] {}")


@action("Echo")
def echo(word):
    """
    Return the row with the connection values.

    :param word: Column with a word
    """
    secret = PASSWORD.read()
    forms = _forms(secret)
    print("echo {} {}".format(word, forms), file=sys.stderr)
    print("log " + secret)
    return {"word": word, "greeting": GREETING.read(), "url": SERVICE_URL.read(),
            "token": TOKEN.read(), "forms": forms}
