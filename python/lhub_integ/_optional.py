# SPDX-License-Identifier: GPL-3.0-or-later
"""Third-party packages the SDK loads with ``import lhub_integ``.

The SDK declares jinja2, netaddr, python-dateutil, PyYAML, PySocks and urllib3 as
dependencies and imports them when ``lhub_integ`` is imported, so integrations
can rely on ``dateutil.tz`` being loaded after ``import dateutil``.  The bundled
runtime imports them at the same moment.  An interpreter without one of them
(a bare virtual environment) still imports the runtime: only the helpers that
need the package fail, when called, with Python's own ModuleNotFoundError
(see docs/sdk-compat.md).
"""
import importlib


def optional_import(name):
    """The module ``name``, or None when it (or a package it needs) is not installed."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError:
        return None


def require(module, name):
    """``module`` if it was imported, else import ``name`` now (raising ModuleNotFoundError)."""
    if module is not None:
        return module
    return importlib.import_module(name)
