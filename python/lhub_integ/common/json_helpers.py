# SPDX-License-Identifier: GPL-3.0-or-later
"""JSON conversions (xmltodict is imported only when used)."""
import json


def xml_to_json(xml_text):
    """Parse XML text into plain dicts/lists (xmltodict conventions: ``@attr``, ``#text``)."""
    import xmltodict
    return json.loads(json.dumps(xmltodict.parse(xml_text)))
