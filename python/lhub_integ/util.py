# SPDX-License-Identifier: GPL-3.0-or-later
"""Utilities shared by the shims: output lines, importing the integration folder."""
import fileinput
import importlib
import inspect
import json
import os
import sys

from lhub_integ import _docstring, _fileio
from lhub_integ._errors import InvalidIntegration  # noqa: F401  (public path of the SDK)
from lhub_integ.decorators import action as _action


LHUB_ID = "lhub_id"


# ----------------------------------------------------------------------------- output

def print_result(msg, original_lhub_id=None):
    """Print one result; ``msg`` is already JSON text."""
    _fileio.emit_result(msg, original_lhub_id)


def print_correlated_result(msg, original_lhub_id):
    print_result(msg, original_lhub_id)


def print_error(message, data=None, original_lhub_id=None):
    """Print a per-row error object ``{"has_error": true, "error", "data"}``."""
    print_result(json.dumps({"has_error": True, "error": message, "data": data}),
                 original_lhub_id=original_lhub_id)


def print_each_result_in_list(results, original_lhub_id=None):
    for result in results:
        print_result(json.dumps(result), original_lhub_id=original_lhub_id)


def exit_with_instantiation_errors(code, errors, message="Integration validation failed."):
    """Print ``{"errors": [...], "message": ...}`` as a result and exit with ``code``."""
    _fileio.emit_result({"errors": errors, "message": message})
    sys.exit(code)


def hard_exit_from_instantiation(message):
    exit_with_instantiation_errors(2, [], message)


# ----------------------------------------------------------------------------- importing

def _ensure_workdir_on_path():
    cwd = os.getcwd()
    for entry in sys.path:
        if entry in ("", ".") or (entry and os.path.abspath(entry) == cwd):
            return
    sys.path.insert(0, cwd)


def _import_module(name):
    """Import one module; returns (module or None, error or None)."""
    try:
        return importlib.import_module(name), None
    except Exception as ex:  # every import failure is reported, not raised
        return None, ex


def import_workdir():
    """Import every top-level ``*.py`` of the current folder (directory order).

    Returns ``(errors, docstrings)``: errors are exception objects (or strings for
    files that cannot be imported), docstrings the non-empty module docstrings in
    import order.
    """
    _ensure_workdir_on_path()
    errors = []
    docstrings = []
    for entry in os.listdir("."):
        if not entry.endswith(".py") or not os.path.isfile(entry):
            continue
        stem = entry[:-3]
        if "." in stem:
            errors.append("Python files cannot contain dots: %s" % stem)
            continue
        module, error = _import_module(stem)
        if error is not None:
            errors.append(error)
            continue
        if module.__doc__:
            docstrings.append(module.__doc__)
    return errors, docstrings


def import_file_of_entryPoint(entrypoint):
    """Import only the module named by the first dot-segment of ``entrypoint``."""
    _ensure_workdir_on_path()
    module_name = entrypoint.split(".")[0]
    _, error = _import_module(module_name)
    return [error] if error is not None else []


def get_entrypoint_fn(entrypoint):
    return _action.all.get(entrypoint).function


def get_module_docstring(module_name):
    module = sys.modules.get(module_name)
    if module is None:
        module = importlib.import_module(module_name)
    return module.__doc__


def type_annotations(function):
    """The annotation of every named argument (``inspect.Parameter.empty`` when absent)."""
    annotations = getattr(function, "__annotations__", None) or {}
    names, _, _ = inspect.getargs(function.__code__)
    return {name: annotations.get(name, inspect.Parameter.empty) for name in names}


def optional_arguments(function):
    """Names of the arguments marked ``:optional x:`` in the docstring (text other than "false").

    Raises ``ParseError`` for a docstring that docstring-parser 0.1 rejects.
    """
    optional = {}
    for meta in _docstring.parse(function.__doc__).meta:
        if meta.args[0] == "optional":
            optional[meta.args[1]] = meta.description.lower() != "false"
    return {name for name, value in optional.items() if value}


def deser_output(text):
    """Join every ``[result]`` line (prefix stripped) and parse them as one JSON value."""
    parts = []
    for line in text.splitlines():
        if line.startswith("[result]"):
            parts.append(line[len("[result]"):])
    return json.loads("".join(parts))


def read_all_data():
    return [line for line in fileinput.input(files=("-",))]
