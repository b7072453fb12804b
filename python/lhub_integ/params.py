# SPDX-License-Identifier: GPL-3.0-or-later
"""Parameters of an integration: connection params, action params and their types."""
import re
import sys
from typing import Any, NamedTuple

from lhub_integ._errors import InvalidIntegration
from lhub_integ._types import FALSY, TRUTHY, DataType, InputType
from lhub_integ.env import EnvVar, InternalEnvVar, MappedColumnEnvVar, PrefixedEnvVar

__all__ = [
    "DataType", "InputType", "ConnectionParam", "ActionParam", "JinjaTemplatedStr",
    "ValidationError", "EnvVar", "PrefixedEnvVar", "InternalEnvVar", "MappedColumnEnvVar",
]

VALID_ID_RE = r"^[a-zA-Z_]\w*$"


class JinjaTemplatedStr(str):
    """Annotation for an action argument whose mapping is a Jinja template rendered per row."""


class ValidationError(NamedTuple):
    message: str
    param: Any

    def to_json(self):
        return {"message": self.message, "inputId": self.param.id}


class _Param(EnvVar):
    def __init__(self, id, description=None, label=None, default=None, optional=False,
                 options=None, data_type=DataType.STRING, input_type=InputType.TEXT):
        if not re.match(VALID_ID_RE, id):
            raise InvalidIntegration(
                "invalid_parameter_name",
                '"%s" is not a valid id for a parameter. Parameters must match `%s`. '
                "Use label to specify a custom display name" % (id, VALID_ID_RE))
        super().__init__(id, default=default, optional=optional, data_type=data_type)
        self.description = description
        self.label = label or id
        self.options = options
        if data_type == DataType.COLUMN:
            # The SDK evaluates a broken expression here (an attribute lookup of
            # "InputType" on the InputType enum): COLUMN params fail at import.
            raise AttributeError("InputType")
        if options is not None and len(options) > 1:
            self.input_type = InputType.SELECT
        else:
            self.input_type = input_type

    def __repr__(self):
        return "%s(%r)" % (type(self).__name__, self.id)


class ConnectionParam(_Param):
    """A parameter of the connection; its value is the environment variable named by its id."""

    _registry = []

    def __init__(self, id, description=None, label=None, default=None, optional=False,
                 options=None, data_type=DataType.STRING, input_type=InputType.TEXT):
        super().__init__(id, description=description, label=label, default=default,
                         optional=optional, options=options, data_type=data_type,
                         input_type=input_type)
        for existing in ConnectionParam._registry:
            if existing.id == id:
                raise InvalidIntegration(
                    "duplication_connection_param",
                    "You can't have 2 connection parameters with the same id (%s)" % id)
        ConnectionParam._registry.append(self)

    @classmethod
    def all(cls):
        return list(ConnectionParam._registry)


class ActionParam(_Param):
    """A parameter of one or several actions (``action=`` names them, in the same module)."""

    _registry = {}

    def __init__(self, id, description=None, label=None, default=None, optional=False,
                 options=None, data_type=DataType.STRING, input_type=InputType.TEXT, *, action):
        super().__init__(id, description=description, label=label, default=default,
                         optional=optional, options=options, data_type=data_type,
                         input_type=input_type)
        if isinstance(action, str):
            actions = [piece.strip() for piece in action.split(",")]
        elif isinstance(action, (list, tuple)):
            actions = list(action)
        else:
            raise TypeError("'action' argument can be one of 'list', 'tuple' or 'str' only.")
        module_name = sys._getframe(1).f_globals.get("__name__")
        self.action = action
        for name in actions:
            entrypoint = "%s.%s" % (module_name, name)
            params = ActionParam._registry.setdefault(entrypoint, [])
            for existing in params:
                if existing.id == id:
                    raise InvalidIntegration(
                        "duplicate_action_param",
                        "You can't have 2 action parameters with the same id (%s)" % name)
            params.append(self)

    @classmethod
    def for_action(cls, entrypoint):
        return list(ActionParam._registry.get(entrypoint, ()))
