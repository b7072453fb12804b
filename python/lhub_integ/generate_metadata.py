# SPDX-License-Identifier: GPL-3.0-or-later
"""``python -m lhub_integ.generate_metadata``: describe the integration in the current folder.

Prints one line ``[result] <metadata JSON>`` and exits 0; if building the metadata
raises (outside the import step) prints ``[result] {"errors": ["<traceback>"]}``
and exits 1.
"""
import inspect
import json
import re
import traceback
from collections.abc import Collection, Mapping
from enum import Enum

from lhub_integ import _docstring, util
from lhub_integ.decorators import action as action_decorator
from lhub_integ.params import ActionParam, ConnectionParam, DataType, InputType, JinjaTemplatedStr

SUPPORTED_IOS = ["FileIO", "PipeIO"]
NO_DESCRIPTION = "No description provided"
NO_ACTIONS = "No actions found. Did you forget to use @action?"


def _param_json(id, label, data_type, input_type, optional=False, description=None,
                default=None, options=None):
    return {
        "id": id,
        "label": label,
        "data_type": data_type,
        "input_type": input_type,
        "optional": optional,
        "description": description,
        "default": default,
        "options": options,
    }


def _from_param(param):
    return _param_json(param.id, param.label, param.data_type, param.input_type,
                       param.optional, param.description, param.default, param.options)


def _plain(value):
    """Convert a value the way the SDK's JSON encoding does (collections become lists)."""
    if isinstance(value, (str, bytes)) or value is None:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Collection):
        return [_plain(v) for v in value]
    return value


class _Encoder(json.JSONEncoder):
    def default(self, o):
        import datetime
        import decimal
        import uuid
        if isinstance(o, Enum):
            return o.value
        if isinstance(o, datetime.datetime):
            return o.timestamp()
        if isinstance(o, (uuid.UUID, decimal.Decimal)):
            return str(o)
        return json.JSONEncoder.default(self, o)


def action_args(registered):
    """Metadata of the arguments of one action; returns (args, errors)."""
    function = registered.function
    names, varargs, varkw = inspect.getargs(function.__code__)
    annotations = getattr(function, "__annotations__", None) or {}
    errors = []
    if varargs:
        errors.append("Varargs are not supported")
    if varkw:
        errors.append("Kwargs are not supported")

    docstring = _docstring.parse(function.__doc__)
    types = {name: annotations.get(name) for name in names}
    args = {name: _param_json(name, name, DataType.COLUMN, InputType.COLUMN_SELECT) for name in names}
    for param in docstring.params:
        if param.arg_name not in args:
            errors.append("Docstring referenced %s but there were no matching arguments" % param.arg_name)
            continue
        args[param.arg_name]["description"] = param.description
        if param.type_name is not None:
            types[param.arg_name] = param.type_name
    for meta in docstring.meta:
        key = meta.args[0]
        if key == "label":
            args[meta.args[1]]["label"] = meta.description
        elif key == "optional":
            args[meta.args[1]]["optional"] = meta.description.lower() != "false"
    for name in names:
        if types[name] is JinjaTemplatedStr:
            args[name]["data_type"] = DataType.JINJA
            args[name]["input_type"] = InputType.TEXT_AREA
    description = docstring.short_description or docstring.long_description
    return [args[name] for name in names], errors, description


def _key_value(docstrings, key):
    pattern = re.compile(re.escape(key + ":"), re.IGNORECASE)
    for text in docstrings:
        found = pattern.search(text)
        if found:
            # the first line after the key (IndexError when nothing follows it)
            return text[found.end():].splitlines()[0].strip()
    return None


def generate_metadata():
    errors, docstrings = util.import_workdir()
    import_errors = []
    for error in errors:
        if isinstance(error, SyntaxError):
            import_errors.append("Failed to import module: %s" % error)
        elif isinstance(error, ImportError):
            import_errors.append("Failed to import module (did you run bundle-integrations?): %s" % error)
        elif isinstance(error, util.InvalidIntegration):
            import_errors.append("Integration was invalid: %s" % error)
        else:
            import_errors.append("Failed to import module (Unexpected error): %s" % error)

    actions = []
    for registered in action_decorator.all.values():
        args, action_errors, description = action_args(registered)
        actions.append({
            "name": registered.name,
            "entrypoint": registered.entrypoint,
            "args": args,
            "params": [_from_param(p) for p in ActionParam.for_action(registered.entrypoint)],
            "description": description,
            "errors": action_errors,
        })

    name = _key_value(docstrings, "name")
    description = _key_value(docstrings, "description")
    logo_url = _key_value(docstrings, "logoUrl")
    if not description:
        if docstrings:
            description = docstrings[0].strip()
        elif len(actions) == 1:
            description = actions[0]["description"]
        else:
            description = NO_DESCRIPTION

    if not import_errors and not actions:
        import_errors.append(NO_ACTIONS)

    return {
        "connection_params": [_from_param(p) for p in ConnectionParam.all()],
        "integration_name": name,
        "integration_description": description,
        "integration_logo_url": logo_url,
        "supported_IOs": list(SUPPORTED_IOS),
        "actions": actions,
        "errors": import_errors,
        "ok": not import_errors,
    }


def main():
    try:
        metadata = generate_metadata()
        text = json.dumps(_plain(metadata), cls=_Encoder)
    except Exception:
        util.print_result(json.dumps({"errors": [traceback.format_exc()]}))
        raise SystemExit(1)
    util.print_result(text)


if __name__ == "__main__":
    main()
