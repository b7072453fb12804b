# SPDX-License-Identifier: GPL-3.0-or-later
"""Third-party packages the SDK loads with ``import lhub_integ``.

The SDK declares jinja2, netaddr, python-dateutil, PyYAML, PySocks and urllib3 as
dependencies and imports them when ``lhub_integ`` is imported, so integrations
can rely on ``dateutil.tz`` being loaded after ``import dateutil``.  The bundled
runtime imports them at the same moment, each in the module that uses it, as
``try: import x / except ModuleNotFoundError: x = None``.  An interpreter without
one of them (a bare virtual environment) still imports the runtime: only the
helpers that need the package fail, when called, with Python's own
ModuleNotFoundError (see docs/sdk-compat.md).
"""
import importlib


def require(module, name):
    """``module`` if it was imported, else import ``name`` now (raising ModuleNotFoundError)."""
    if module is not None:
        return module
    return importlib.import_module(name)
