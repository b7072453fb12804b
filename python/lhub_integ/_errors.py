# SPDX-License-Identifier: GPL-3.0-or-later
"""The exception shared by the decorators, the parameters and the shims.

It lives in a module of its own (importing nothing of the package) so that
``decorators``, ``params`` and ``util`` can all raise it without importing each
other.  The SDK's public path is ``lhub_integ.util.InvalidIntegration``, which
re-exports it; ``__module__`` names that path so tracebacks and ``repr`` read as
they do with the SDK.
"""


class InvalidIntegration(Exception):
    """The integration breaks a rule of the SDK; prints as ``<message> [<key>]``."""

    def __init__(self, key, message):
        super().__init__(key, message)
        self.key = key
        self.message = message

    def __str__(self):
        return "%s [%s]" % (self.message, self.key)


InvalidIntegration.__module__ = "lhub_integ.util"
