# SPDX-License-Identifier: GPL-3.0-or-later
"""
Vendor example
The "Dynamic Connection Params" example of the vendor's documentation
(shared/seed), unchanged but for the decorator the page's formatting lost and
one action whose first input the validator describes.
"""
import json
from lhub_integ.common import input_helpers
from lhub_integ import action, connection_validator
from lhub_integ.params import ActionParam, ConnectionParam

API_URL = ConnectionParam("API_URL", description="URL of the service")
CHANNEL = ActionParam("CHANNEL", description="Where to post", action="post")


def override_action_descriptors():
    descriptor_json = input_helpers.get_stripped_env_string('__integration_descriptor')

    # Custom value to be overridden at connection validation
    new_description = "My Custom Dynamic Description"

    descriptor = json.loads(descriptor_json)
    actions = descriptor['actions']
    actions[0]['instantiation']['steps'][0]['inputs'][0]['description'] = new_description
    return {"actionOverrides": actions}


@connection_validator
def validate_connections():
    result = json.dumps(override_action_descriptors())
    print("[result] {}".format(result))


@action("Post")
def post(text):
    return {"channel": CHANNEL.read(), "text": text}
