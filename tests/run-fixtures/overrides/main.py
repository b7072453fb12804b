# SPDX-License-Identifier: GPL-3.0-or-later
"""
name: Overrides fixture
description: A connection validator in the vendor's dynamic-descriptor shape
"""
import json
import os

from lhub_integ import action, connection_validator
from lhub_integ.common import input_helpers
from lhub_integ.params import ActionParam, ConnectionParam

MODE = ConnectionParam("MODE", description="good, notalist or badjson", default="good")
CHANNEL = ActionParam("CHANNEL", action="post", description="Channel", options=["a", "b"])


@connection_validator
def validate_connections():
    mode = MODE.read()
    if mode == "notalist":
        print("[result] {}".format(json.dumps({"actionOverrides": {"not": "a list"}})))
        return None
    if mode == "badjson":
        print('[result] {"actionOverrides": [broken')
        return None
    descriptor = json.loads(input_helpers.get_stripped_env_string("__integration_descriptor"))
    actions = descriptor["actions"]
    actions[0]["instantiation"]["steps"][0]["inputs"][0]["description"] = "My Custom Dynamic Description"
    actions[0]["instantiation"]["steps"][0]["inputs"][0]["options"] = ["x", "y", "z"]
    print("[result] {}".format(json.dumps({"actionOverrides": actions})))


@action("Post")
def post(text):
    """
    :param text: the text column
    """
    return {"text": text, "channel": CHANNEL.read()}
