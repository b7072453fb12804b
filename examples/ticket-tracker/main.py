# SPDX-License-Identifier: GPL-3.0-or-later
"""
name: Ticket Tracker
description: Creates, searches and exports tickets of a ticket tracker (basic auth); the connection validator fills the project list from the live service.
logoUrl: https://raw.githubusercontent.com/gnome/adwaita-icon-theme/master/Adwaita/scalable/mimetypes/x-office-document.svg
"""
import csv
import json
import time

import requests

from lhub_integ import action, connection_validator
from lhub_integ.common import file_manager_client, input_helpers, verify_ssl
from lhub_integ.execution import ExecutionType
from lhub_integ.params import ActionParam, ConnectionParam, DataType, InputType, ValidationError

TRACKER_URL = ConnectionParam(
    "TRACKER_URL",
    label="Tracker URL",
    description="Base URL of the ticket tracker, e.g. http://127.0.0.1:8765 for `iwb demo-service`",
)
TRACKER_USER = ConnectionParam("TRACKER_USER", label="User name", description="Basic auth user")
TRACKER_PASSWORD = ConnectionParam(
    "TRACKER_PASSWORD",
    label="Password",
    description="Basic auth password",
    input_type=InputType.PASSWORD,
)

PROJECT = ActionParam(
    "PROJECT",
    action="create_ticket",
    label="Project",
    description="Project of the new tickets (validate the connection to load the list)",
    input_type=InputType.SELECT,
)
PRIORITY = ActionParam(
    "PRIORITY",
    action="create_ticket",
    label="Priority",
    description="Priority of the new tickets",
    options=["low", "medium", "high"],
    default="medium",
)
MAX_RESULTS = ActionParam(
    "MAX_RESULTS",
    action="search_tickets",
    label="Maximum results per query",
    description="Stop after this many tickets",
    data_type=DataType.INT,
    default="50",
)

MAX_RETRIES = 5


def _request(method, path, **kwargs):
    """One tracker request; waits and retries when the tracker answers 429."""
    url = "{}/tracker/api/{}".format(TRACKER_URL.read().rstrip("/"), path)
    for _ in range(MAX_RETRIES):
        response = requests.request(
            method, url,
            auth=(TRACKER_USER.read(), TRACKER_PASSWORD.read()),
            verify=verify_ssl.verify_ssl_enabled(),
            timeout=30,
            **kwargs
        )
        if response.status_code != 429:
            break
        wait = float(response.headers.get("Retry-After", "1"))
        print("rate limited by the tracker, retrying in {} s".format(wait))
        time.sleep(wait)
    if response.status_code >= 400:
        try:
            detail = response.json().get("error", response.text)
        except ValueError:
            detail = response.text
        raise RuntimeError("tracker answered {} for {} {}: {}".format(
            response.status_code, method, path, detail))
    return response.json()


def override_action_descriptors(projects):
    """The vendor's dynamic-descriptor pattern: edit the descriptor we were given."""
    descriptor_json = input_helpers.get_stripped_env_string("__integration_descriptor")
    descriptor = json.loads(descriptor_json)
    actions = descriptor["actions"]
    options = [{"label": "{} ({})".format(p["name"], p["key"]), "value": p["key"]}
               for p in projects]
    for act in actions:
        if act["entrypoint"] != "main.create_ticket":
            continue
        for field in act["instantiation"]["steps"][0]["inputs"]:
            if field["id"] == "PROJECT":
                field["options"] = options
                field["input_type"] = "select"
                field["description"] = "Project of the new tickets ({} available)".format(
                    len(options))
    return {"actionOverrides": actions}


@connection_validator
def validate_connections():
    try:
        projects = _request("GET", "projects")["projects"]
    except requests.ConnectionError as ex:
        return [ValidationError(message="Cannot reach the tracker: {}".format(ex),
                                param=TRACKER_URL)]
    except RuntimeError as ex:
        if " 401 " in str(ex):
            return [ValidationError(message="Wrong user name or password", param=TRACKER_PASSWORD)]
        return [ValidationError(message=str(ex), param=TRACKER_URL)]
    result = json.dumps(override_action_descriptors(projects))
    print("[result] {}".format(result))


@action("Create ticket")
def create_ticket(title, description):
    """
    Create one ticket per input row.

    :param title: Column with the ticket title
    :label title: Title column
    :param description: Column with the ticket description
    :label description: Description column
    :optional description: True
    """
    ticket = _request("POST", "tickets", json={
        "project": PROJECT.read(),
        "priority": PRIORITY.read(),
        "title": title,
        "description": description or "",
    })
    return {"ticket_id": ticket["id"], "project": ticket["project"], "status": ticket["status"]}


@action("Search tickets")
def search_tickets(query):
    """
    Search tickets; follows the tracker's pagination.

    :param query: Column with the text to search for in titles and descriptions
    :label query: Query column
    """
    limit = MAX_RESULTS.read()
    found = []
    page = 1
    while page is not None and len(found) < limit:
        answer = _request("GET", "tickets", params={"q": query, "page": page, "per_page": 10})
        found.extend(answer["tickets"])
        page = answer["next_page"]
    return [{"ticket_id": t["id"], "project": t["project"], "title": t["title"],
             "status": t["status"]} for t in found[:limit]]


@action("Get ticket")
def get_ticket(ticket_id: int):
    """
    Fetch one ticket per input row.

    :param ticket_id: Column with the ticket number
    :label ticket_id: Ticket number column
    """
    return _request("GET", "tickets/{}".format(ticket_id))


@action(name="Export tickets to CSV", execution_type=ExecutionType.PROCESS_ONCE)
def export_tickets():
    """Write every ticket to a CSV file in the integration files folder."""
    tickets = []
    page = 1
    while page is not None:
        answer = _request("GET", "tickets", params={"page": page, "per_page": 100})
        tickets.extend(answer["tickets"])
        page = answer["next_page"]
    out = file_manager_client.openNewFileForWriting(extension="csv")
    writer = csv.writer(out.fd)
    writer.writerow(["id", "project", "title", "status", "priority"])
    for t in tickets:
        writer.writerow([t["id"], t["project"], t["title"], t["status"], t["priority"]])
    out.close()
    return {"lhub_file_id": out.name, "tickets": len(tickets)}
