# SPDX-License-Identifier: GPL-3.0-or-later
"""Readers for environment variables and list-like inputs (values are stripped).

The SDK names these with leading underscores; the vendor documentation uses the
public names (``get_stripped_env_string`` ...), which are provided as aliases.
"""
import json
import os

from lhub_integ._optional import require

try:  # loaded at import, as the SDK does (see lhub_integ/_optional.py)
    import yaml
except ModuleNotFoundError:
    yaml = None


def safe_strip(value):
    """``value.strip()`` for strings, anything else unchanged."""
    return value.strip() if isinstance(value, str) else value


def _get_stripped_env_string(name, default=""):
    """The stripped value of ``name``; ``default`` (stripped) when unset."""
    return safe_strip(os.environ.get(name, default))


def _get_safe_stripped_env_integer(name, default=0):
    """The stripped value of ``name`` as an int; ``default`` when unset or not an integer."""
    try:
        return int(_get_stripped_env_string(name, ""))
    except (TypeError, ValueError):
        return default


def __get_stripped_env_integer(name, default=0):
    """The stripped value of ``name`` as an int (raises ValueError on a bad value)."""
    value = _get_stripped_env_string(name, "")
    return int(value) if value else default


def __get_stripped_env_float(name, default=0.0):
    """The stripped value of ``name`` as a float (raises ValueError on a bad value)."""
    value = _get_stripped_env_string(name, "")
    return float(value) if value else default


def _get_json_from_string(text):
    """Parse stripped JSON text (raises on invalid JSON)."""
    return json.loads(safe_strip(text))


def _get_stripped_env_json(name, default=None):
    """The JSON value of ``name``; ``default`` (``{}``) when unset or blank."""
    value = _get_stripped_env_string(name, "")
    if not value:
        return {} if default is None else default
    return _get_json_from_string(value)


def _get_stripped_env_yaml(name, default=None):
    """The YAML value of ``name``, parsed like the SDK (``yaml.load`` without a Loader).

    With PyYAML >= 6 (Debian 12) this raises TypeError, as the SDK does there.
    """
    value = _get_stripped_env_string(name, "")
    if not value:
        return {} if default is None else default
    return require(yaml, "yaml").load(value)  # noqa: S506 - SDK behaviour, fails on PyYAML >= 6


def eval_to_stripped_list(text, delimiter=","):
    """``"[a, b ,c]"`` or ``"a,b,c"`` -> ``["a", "b", "c"]``; None or blank -> ``[]``."""
    if text is None:
        return []
    if isinstance(text, (list, tuple)):
        return [safe_strip(v) for v in text]
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if not text.strip():
        return []
    return [piece.strip() for piece in text.split(delimiter)]


def eval_to_stripped_list_or_none(text, delimiter=","):
    """Like :func:`eval_to_stripped_list` but None for an empty result."""
    values = eval_to_stripped_list(text, delimiter)
    return values if values else None


# Public names used by the vendor documentation.
get_stripped_env_string = _get_stripped_env_string
get_safe_stripped_env_integer = _get_safe_stripped_env_integer
get_stripped_env_integer = __get_stripped_env_integer
get_stripped_env_float = __get_stripped_env_float
get_stripped_env_json = _get_stripped_env_json
get_stripped_env_yaml = _get_stripped_env_yaml
get_json_from_string = _get_json_from_string
