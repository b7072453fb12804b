# SPDX-License-Identifier: GPL-3.0-or-later
"""Environment variables as parameters: the value of a param is the variable named by its id."""
import os

from lhub_integ import util
from lhub_integ._types import DataType


class EnvVar:
    """A value read from the environment variable ``id``.

    "Empty" means unset or the empty string (whitespace is a value).  A default
    always makes the variable optional.
    """

    def __init__(self, id, default=None, optional=False, data_type=None):
        self.id = id
        self.default = default
        self.optional = default is not None or optional
        self.data_type = data_type if data_type is not None else DataType.STRING

    def get_not_empty(self):
        value = os.environ.get(self.id)
        return value if value else None

    def valid(self):
        return self.get_not_empty() or self.optional

    def read(self):
        value = self.get_not_empty()
        if value is None:
            value = self.default
        if value is None and not self.optional:
            util.exit_with_instantiation_errors(
                1, [{"message": "Environment variable %s must be defined" % self.id}])
        return self.data_type.coerce(value)

    def __str__(self):
        return self.read() or ""


class PrefixedEnvVar(EnvVar):
    """An environment variable whose name is ``prefix + id``."""

    def __init__(self, prefix, id, *args, **kwargs):
        super().__init__(prefix + id, *args, **kwargs)


class InternalEnvVar(PrefixedEnvVar):
    """``__<id>`` (internal variables set by the platform)."""

    def __init__(self, id, *args, **kwargs):
        super().__init__("__", id, *args, **kwargs)


class MappedColumnEnvVar(PrefixedEnvVar):
    """``___<arg>``: the column (or Jinja template) mapped to an action argument."""

    def __init__(self, id, *args, **kwargs):
        super().__init__("___", id, *args, **kwargs)
