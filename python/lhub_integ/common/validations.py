# SPDX-License-Identifier: GPL-3.0-or-later
"""Legacy, dict-based validation helpers.

``check_*`` functions return an error dict ``{"message", "inputId"}`` (from
:func:`create_error`) or None.  ``validate_*`` functions print ``[result] {}`` when
everything is valid, else print the errors and exit 2 with the message
``Validation failed`` (plus `` (<more_info>)``), via :func:`finalize_validation_from_errors`.

These dicts are *not* accepted as return values of ``@connection_validator``
functions (those must return ``params.ValidationError`` objects).
"""
import json
import os
from urllib.parse import urlparse

from lhub_integ.common import helpers, query_parser

ACTION_TIMEOUT_ID = "__lh_action_timeout_sec"


def _input_id(input_id):
    return getattr(input_id, "id", input_id)


def _value(value):
    """A param object stands for its raw environment value."""
    if hasattr(value, "id") and hasattr(value, "get_not_empty"):
        return value.get_not_empty()
    return value


def create_error(message, input_id):
    return {"message": message, "inputId": _input_id(input_id)}


def flatten(items):
    """Errors from nested lists, without the Nones."""
    flat = []
    for item in items or []:
        if item is None:
            continue
        if isinstance(item, (list, tuple)):
            flat.extend(flatten(item))
        else:
            flat.append(item)
    return flat


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _to_int(value):
    if isinstance(value, bool):
        raise ValueError("a boolean is not an integer")
    if isinstance(value, int):
        return value
    return int(str(value).strip())


def _to_float(value):
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    return float(str(value).strip()) if not isinstance(value, (int, float)) else float(value)


# ----------------------------------------------------------------------------- basic checks

def check_string(value, input_id, message="Must be a string"):
    value = _value(value)
    return None if isinstance(value, str) else create_error(message, input_id)


def check_nonempty_string(value, input_id, message="Cannot be empty"):
    value = _value(value)
    if not isinstance(value, str) or not value.strip():
        return create_error(message, input_id)
    return None


check_non_empty_string = check_nonempty_string


def check_non_negative_integer(value, input_id, message="Must be a non-negative integer"):
    try:
        return None if _to_int(_value(value)) >= 0 else create_error(message, input_id)
    except (TypeError, ValueError):
        return create_error(message, input_id)


def check_positive_integer(value, input_id, message="Must be a positive integer"):
    try:
        return None if _to_int(_value(value)) > 0 else create_error(message, input_id)
    except (TypeError, ValueError):
        return create_error(message, input_id)


def check_ranged_integer(value, input_id, minimum, maximum, message=None):
    message = message or "Must be an integer between %s and %s" % (minimum, maximum)
    try:
        number = _to_int(_value(value))
    except (TypeError, ValueError):
        return create_error(message, input_id)
    return None if minimum <= number <= maximum else create_error(message, input_id)


def check_non_negative_float(value, input_id, message="Must be a non-negative number"):
    try:
        return None if _to_float(_value(value)) >= 0 else create_error(message, input_id)
    except (TypeError, ValueError):
        return create_error(message, input_id)


def check_optional_string(value, input_id, message="Must be a string"):
    value = _value(value)
    return None if value is None else check_string(value, input_id, message)


def check_optional_non_negative_integer(value, input_id, message="Must be a non-negative integer"):
    value = _value(value)
    return None if _is_blank(value) else check_non_negative_integer(value, input_id, message)


def check_optional_positive_integer(value, input_id, message="Must be a positive integer"):
    value = _value(value)
    return None if _is_blank(value) else check_positive_integer(value, input_id, message)


def check_optional_ranged_integer(value, input_id, minimum, maximum, message=None):
    value = _value(value)
    return None if _is_blank(value) else check_ranged_integer(value, input_id, minimum, maximum, message)


def check_optional_non_negative_float(value, input_id, message="Must be a non-negative number"):
    value = _value(value)
    return None if _is_blank(value) else check_non_negative_float(value, input_id, message)


def check_valid_json(value, input_id, message="Must be valid JSON"):
    value = _value(value)
    try:
        json.loads(value)
    except (TypeError, ValueError) as ex:
        return create_error("%s: %s" % (message, ex), input_id)
    return None


def check_valid_and_non_empty_yaml(value, input_id, message="Must be valid, non-empty YAML"):
    import yaml
    value = _value(value)
    if _is_blank(value):
        return create_error(message, input_id)
    try:
        parsed = yaml.safe_load(value)
    except yaml.YAMLError as ex:
        return create_error("%s: %s" % (message, ex), input_id)
    return None if parsed else create_error(message, input_id)


def check_valid_templated_strings(value, input_id):
    """``{{var}}`` templates must be well formed (query_parser)."""
    value = _value(value)
    error, _ = query_parser.validate_and_parse(value)
    return create_error(error, input_id) if error else None


def check_valid_templated_json(value, input_id):
    """A ``{{var}}`` template that is valid JSON once every variable is replaced by a number."""
    value = _value(value)
    error, parts = query_parser.validate_and_parse(value)
    if error:
        return create_error(error, input_id)
    text = query_parser.generate_query(parts, {name: 0 for name in query_parser.variables(parts)})
    try:
        json.loads(text)
    except ValueError as ex:
        return create_error("Invalid JSON template: %s" % ex, input_id)
    return None


def check_valid_template_string(value, input_id):
    """Jinja syntax check: ``Syntax error on line <n>: <message>``."""
    import jinja2
    value = _value(value)
    try:
        jinja2.Environment().parse(value or "")
    except jinja2.TemplateSyntaxError as ex:
        return create_error("Syntax error on line %s: %s" % (ex.lineno, ex.message), input_id)
    return None


def check_allowed_options(value, input_id, options, message=None):
    value = _value(value)
    if value in options:
        return None
    return create_error(message or "Must be one of: %s" % ", ".join(str(o) for o in options), input_id)


def check_input_value_in_list_of_values(value, input_id, values, message=None):
    return check_allowed_options(value, input_id, values, message)


def check_optional_date_time_format(value, input_id, date_format=None, message=None):
    """Blank passes; else the value must match ``date_format`` (strptime) or parse (dateutil)."""
    value = _value(value)
    if _is_blank(value):
        return None
    try:
        if date_format:
            from datetime import datetime
            datetime.strptime(value.strip(), date_format)
        else:
            from dateutil import parser
            parser.parse(value)
    except (ValueError, OverflowError, TypeError):
        return create_error(message or "Invalid date/time: %s" % value, input_id)
    return None


def check_url(value, input_id, message="Must be a valid http(s) URL"):
    value = _value(value)
    if not isinstance(value, str):
        return create_error(message, input_id)
    parsed = urlparse(value.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return create_error(message, input_id)
    return None


# ----------------------------------------------------------------------------- combined checks

def check_column_name(value, input_id, message="Column name cannot be empty"):
    return check_nonempty_string(value, input_id, message)


def check_column_names(pairs):
    """``pairs``: iterable of (value, input_id)."""
    return flatten([check_column_name(v, i) for v, i in pairs])


def check_column_name_and_delay(column, column_id, delay, delay_id):
    return flatten([check_column_name(column, column_id), check_non_negative_integer(delay, delay_id)])


def check_delay_and_column_names(delay, delay_id, columns):
    return flatten([check_non_negative_integer(delay, delay_id), check_column_names(columns)])


def check_string_params(pairs):
    """``pairs``: iterable of (value, input_id); each must be a non-empty string."""
    return flatten([check_nonempty_string(v, i) for v, i in pairs])


def check_username_password_exist(username, username_id, password, password_id):
    return flatten([check_nonempty_string(username, username_id, "Username cannot be empty"),
                    check_nonempty_string(password, password_id, "Password cannot be empty")])


def check_username_password_url(username, username_id, password, password_id, url, url_id):
    return flatten([check_username_password_exist(username, username_id, password, password_id),
                    check_url(url, url_id)])


def check_server_port(server, server_id, port, port_id):
    """Server non-empty without ":" (the port is separate); port an integer 0..65535."""
    errors = []
    server_value = _value(server)
    if _is_blank(server_value):
        errors.append(create_error("Server cannot be empty", server_id))
    elif ":" in server_value:
        errors.append(create_error("Server must not contain ':' (give the port separately)", server_id))
    errors.append(check_ranged_integer(port, port_id, 0, 65535, "Port must be an integer between 0 and 65535"))
    return flatten(errors)


def check_username_apikey(username, username_id, api_key, api_key_id):
    return flatten([check_nonempty_string(username, username_id, "Username cannot be empty"),
                    check_nonempty_string(api_key, api_key_id, "API key cannot be empty")])


def check_key_and_value(key, key_id, value, value_id):
    return flatten([check_nonempty_string(key, key_id, "Key cannot be empty"),
                    check_nonempty_string(value, value_id, "Value cannot be empty")])


def check_action_timeout(value=None, input_id=ACTION_TIMEOUT_ID):
    """The action timeout (default: ``__lh_action_timeout_sec``) must be a positive integer if set."""
    if value is None:
        value = os.environ.get(input_id) if isinstance(input_id, str) else None
    return check_optional_positive_integer(value, input_id, "Action timeout must be a positive integer")


# ----------------------------------------------------------------------------- error builders

def create_connection_timeout_error(input_id, details=None):
    return create_error(_with_details("Connection timed out", details), input_id)


def create_authentication_failure_error(input_id, details=None):
    return create_error(_with_details("Authentication failed", details), input_id)


def create_ssl_verification_error(input_id, details=None):
    return create_error(_with_details("SSL certificate verification failed", details), input_id)


def create_connection_error(input_id, details=None):
    return create_error(_with_details("Connection failed", details), input_id)


def _with_details(message, details):
    return "%s: %s" % (message, details) if details else message


# ----------------------------------------------------------------------------- finishing

def finalize_validation_from_errors(errors, more_info=None):
    """Print ``[result] {}`` when there is no error, else the errors and exit 2."""
    errors = flatten(errors)
    if errors:
        message = "Validation failed"
        if more_info:
            message += " (%s)" % more_info
        helpers.exit_with_instantiation_errors(2, errors, message)
    helpers.print_successful_validation_result()


def validate_column_names(pairs, more_info=None):
    finalize_validation_from_errors(check_column_names(pairs), more_info)


def validate_string_params(pairs, more_info=None):
    finalize_validation_from_errors(check_string_params(pairs), more_info)


def validate_username_password_url(username, username_id, password, password_id, url, url_id,
                                   more_info=None):
    finalize_validation_from_errors(
        check_username_password_url(username, username_id, password, password_id, url, url_id), more_info)


def validate_server_port(server, server_id, port, port_id, more_info=None):
    finalize_validation_from_errors(check_server_port(server, server_id, port, port_id), more_info)
