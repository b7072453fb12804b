# SPDX-License-Identifier: GPL-3.0-or-later
"""``DataType`` and ``InputType``: the kinds of parameter values and their form fields.

A module of their own (importing nothing of the package) so that ``env`` (whose
variables default to ``DataType.STRING``) and ``params`` do not import each other.
The SDK's public path is ``lhub_integ.params``, which re-exports both enums;
``__module__`` names that path, as with the SDK.
"""
import json
from enum import Enum

TRUTHY = {"y", "true", "yes", "1"}
FALSY = {"n", "false", "no", "0"}


class DataType(Enum):
    STRING = "string"
    COLUMN = "column"
    # the platform UI only knows string, column and number; the others are
    # validated by the custom integrations themselves
    NUMBER = "number"
    BOOL = "bool"
    INT = "int"
    JSON = "json"
    JINJA = "jinja"

    def coerce(self, value):
        """Convert a raw (string) value to this type; raises like the SDK does."""
        if self is DataType.NUMBER:
            return float(value)
        if self is DataType.INT:
            return int(float(value))
        if self is DataType.BOOL:
            if isinstance(value, bool):
                return value
            lowered = value.lower()
            if lowered in TRUTHY:
                return True
            if lowered in FALSY:
                return False
            # the literal "{input}" is what the SDK prints (no substitution)
            raise ValueError("Expected boolean input but {input} could not be coerced into a boolean value")
        if self is DataType.JSON:
            if isinstance(value, dict):
                return value
            return json.loads(value)
        return value


class InputType(Enum):
    TEXT = "text"
    TEXT_AREA = "textarea"
    EMAIL = "email"
    PASSWORD = "password"
    SELECT = "select"
    COLUMN_SELECT = "columnSelect"
    FILE = "file"
    ENCRYPTED_FILE = "encryptedFile"


DataType.__module__ = "lhub_integ.params"
InputType.__module__ = "lhub_integ.params"
