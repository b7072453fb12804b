# SPDX-License-Identifier: GPL-3.0-or-later
"""
Added input
A connection validator whose overrides add an input ("REGION", without a
"source") to an action and reorder nothing else; the action reads it from
its environment like an ActionParam.
"""
import json
import os

from lhub_integ import action, connection_validator
from lhub_integ.common import input_helpers


@connection_validator
def validate_connections():
    descriptor = json.loads(input_helpers.get_stripped_env_string("__integration_descriptor"))
    actions = descriptor["actions"]
    for act in actions:
        if act["entrypoint"] == "main.where":
            act["instantiation"]["steps"][0]["inputs"].append(
                {"id": "REGION", "label": "Region", "data_type": "string", "input_type": "select",
                 "optional": False, "description": "Filled by the validator",
                 "default": None, "options": ["eu", "us"]})
    print("[result] {}".format(json.dumps({"actionOverrides": actions})))


@action
def where(name):
    return {"name": name, "region": os.environ.get("REGION")}
