# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``@action`` and ``@connection_validator`` decorators and their registries."""
from lhub_integ._errors import InvalidIntegration
from lhub_integ.execution import ExecutionType


class Action:
    """One registered action."""

    def __init__(self, function, name, validator, execution_type):
        self.function = function
        self.entrypoint = "%s.%s" % (function.__module__, function.__name__)
        self.name = name or self.entrypoint
        self.validator = validator
        self.execution_type = execution_type

    def __repr__(self):
        return "Action(%r)" % self.entrypoint


class action:
    """Register a top-level function as an action.

    Forms: ``@action``, ``@action("Name")``, ``@action()`` and
    ``@action(name=..., validator=..., execution_type=...)``.  The bare form
    replaces the function by this decorator object (calling it calls the
    function); the other forms return the function itself.
    """

    all = {}

    def __init__(self, name=None, validator=None, execution_type=ExecutionType.PROCESS_PER_ROW):
        self.validator = validator
        self.execution_type = execution_type
        if callable(name):
            self.name = None
            self.function = name
            self._register(name)
        else:
            self.name = name
            self.function = None

    def _register(self, function):
        if function.__name__ != function.__qualname__:
            raise InvalidIntegration("invalid_action", "actions must be top level functions")
        registered = Action(function, self.name, self.validator, self.execution_type)
        action.all[registered.entrypoint] = registered
        return registered

    def __call__(self, *args, **kwargs):
        if self.function is not None:
            return self.function(*args, **kwargs)
        function = args[0]
        self._register(function)
        return function


_connection_validator = None


def connection_validator(f):
    """Register the (only) function that validates the connection parameters."""
    global _connection_validator
    if _connection_validator is not None:
        raise InvalidIntegration(
            "too_many_validators", "Only one function can be annotated with @connection_validator")
    _connection_validator = f
    return f


def get_connection_validator():
    return _connection_validator
