# SPDX-License-Identifier: GPL-3.0-or-later
"""
name: Chat Notify
description: Posts messages to a chat service through its incoming webhook (Slack style) and lists its channels.
logoUrl: https://raw.githubusercontent.com/gnome/adwaita-icon-theme/master/Adwaita/scalable/apps/preferences-system-notifications.svg
"""
import requests

from lhub_integ import action, connection_validator
from lhub_integ.common import verify_ssl
from lhub_integ.execution import ExecutionType
from lhub_integ.params import ConnectionParam, InputType, JinjaTemplatedStr, ValidationError

CHAT_URL = ConnectionParam(
    "CHAT_URL",
    label="Chat service URL",
    description="Base URL of the chat service, e.g. http://127.0.0.1:8765 for `iwb demo-service`",
)
CHAT_TOKEN = ConnectionParam(
    "CHAT_TOKEN",
    label="API token",
    description="Token of the chat bot: the incoming webhook is <URL>/chat/hooks/<token>",
    input_type=InputType.PASSWORD,
)
TEST_CHANNEL = ConnectionParam(
    "TEST_CHANNEL",
    label="Channel for the test message",
    description="Where the connection test posts its message",
    default="general",
)


def _base_url():
    return CHAT_URL.read().rstrip("/")


def post_message_on_chat(message, channel_name=""):
    """Post through the incoming webhook, the way the vendor's Slack example does."""
    payload = {"text": message}
    if channel_name:
        payload["channel"] = channel_name
    response = requests.post(
        "{}/chat/hooks/{}".format(_base_url(), CHAT_TOKEN.read()),
        json=payload,
        headers={"Content-Type": "application/json"},
        verify=verify_ssl.verify_ssl_enabled(),
        timeout=30,
    )
    response.raise_for_status()
    return response


@connection_validator
def validate_connections():
    if not CHAT_URL.read():
        return [ValidationError(message="Parameter must be defined", param=CHAT_URL)]
    try:
        post_message_on_chat("This is a test message from the Integration Workbench",
                             TEST_CHANNEL.read())
    except requests.HTTPError as ex:
        if ex.response is not None and ex.response.status_code == 401:
            return [ValidationError(message="The chat service rejected the token (401)",
                                    param=CHAT_TOKEN)]
        return [ValidationError(message="Incorrect Parameter: {!r}".format(ex), param=CHAT_URL)]
    except Exception as ex:
        return [ValidationError(message="Incorrect Parameter: {!r}".format(ex), param=CHAT_URL)]
    return []


@action("Post message")
def post_message(channel, message: JinjaTemplatedStr):
    """
    Post one message per input row.

    :param channel: Column holding the channel name (general, alerts, random)
    :label channel: Channel column
    :param message: Message text; a Jinja template over the row's columns, e.g. "Alert {{ severity }}: {{ title }}"
    :label message: Message template
    """
    response = requests.post(
        "{}/chat/api/messages".format(_base_url()),
        json={"channel": channel, "text": message},
        headers={"Authorization": "Bearer {}".format(CHAT_TOKEN.read())},
        verify=verify_ssl.verify_ssl_enabled(),
        timeout=30,
    )
    if response.status_code != 200:
        raise RuntimeError("chat service answered {}: {}".format(response.status_code,
                                                                  response.text))
    posted = response.json()["message"]
    return {"message_id": posted["id"], "channel": posted["channel"], "text": posted["text"]}


@action(name="List channels", execution_type=ExecutionType.PROCESS_ONCE)
def list_channels():
    """List the channels of the chat service."""
    response = requests.get(
        "{}/chat/api/channels".format(_base_url()),
        headers={"Authorization": "Bearer {}".format(CHAT_TOKEN.read())},
        verify=verify_ssl.verify_ssl_enabled(),
        timeout=30,
    )
    response.raise_for_status()
    return [{"id": c["id"], "name": c["name"], "topic": c["topic"]}
            for c in response.json()["channels"]]
