# SPDX-License-Identifier: GPL-3.0-or-later
"""
Bad overrides
A connection validator that returns "actionOverrides" as an object, not a
list: the workbench must keep the base descriptor and say why.
"""
import json
from lhub_integ import action, connection_validator


@connection_validator
def validate_connections():
    print("[result] {}".format(json.dumps({"actionOverrides": {"entrypoint": "main.echo"}})))


@action
def echo(text):
    return {"text": text}
