# SPDX-License-Identifier: GPL-3.0-or-later
"""``python -m lhub_integ.shim_validate [-e module.function] [--validate-connections]``.

Checks an action's column mappings and parameters (and runs its validator), and/or
the connection parameters (and runs the connection validator).  Prints
``[result] {}`` and exits 0 when everything is valid, the errors and exit 1
otherwise; problems of the integration itself are hard exits with code 2.
"""
import inspect
import traceback

import click

from lhub_integ import util
from lhub_integ.common import helpers
from lhub_integ.decorators import action as action_decorator
from lhub_integ.decorators import get_connection_validator
from lhub_integ.env import MappedColumnEnvVar
from lhub_integ.execution import ExecutionType
from lhub_integ.params import ActionParam, ConnectionParam, ValidationError


def check_param(param):
    """The generic check of one parameter: defined (or optional) and readable."""
    if not param.valid():
        return [ValidationError("Parameter must be defined", param)]
    try:
        param.read()
    except Exception as ex:
        return [ValidationError(str(ex), param)]
    return []


def validator_errors(result):
    if result is None:
        return []
    if not isinstance(result, list):
        util.hard_exit_from_instantiation(
            "Validator functions must return a list of ValidationError (got %s)" % (result,))
    return list(result)


def validate_entrypoint(entrypoint):
    if "." not in entrypoint:
        util.hard_exit_from_instantiation("Bad entrypoint format. `Expected filename.functionname`")
    registered = action_decorator.all.get(entrypoint)
    function = registered.function
    if not function:
        util.hard_exit_from_instantiation("No matching action found for entrypoint %s" % entrypoint)

    execution_type = registered.execution_type
    if not isinstance(execution_type, ExecutionType):
        util.hard_exit_from_instantiation(
            "Unsupported `execution_type` %s: %s. Valid execution-types are: %s"
            % (execution_type, type(execution_type), [e.name for e in ExecutionType]))
    names, _, _ = inspect.getargs(function.__code__)
    if execution_type == ExecutionType.PROCESS_ONCE and names:
        util.hard_exit_from_instantiation(
            "`execution_type`: %s should not have column-args. If you want to execute action once, "
            "use ROWS_TO_PROCESS input-fields" % (execution_type,))

    optional = util.optional_arguments(function)
    errors = []
    for name in names:
        if name in optional:
            continue
        column = MappedColumnEnvVar(name)
        if not column.get_not_empty():
            errors.append(ValidationError("Column name cannot be empty", column))
    for param in ConnectionParam.all() + ActionParam.for_action(entrypoint):
        errors.extend(check_param(param))

    if not errors and registered.validator:
        try:
            result = registered.validator()
        except Exception as ex:
            util.hard_exit_from_instantiation(str(ex))
        errors.extend(validator_errors(result))
    return errors


def validate_connections():
    errors = []
    for param in ConnectionParam.all():
        errors.extend(check_param(param))
    validator = get_connection_validator()
    if not errors and validator is not None:
        try:
            result = validator()
        except Exception as ex:
            util.print_error(str(ex))
            raise SystemExit(1)
        errors.extend(validator_errors(result))
    return errors


def validate(entrypoint=None, connections=False):
    errors, _ = util.import_workdir()
    if errors:
        util.hard_exit_from_instantiation("Failed to parse integration: %r" % (errors,))
    try:
        found = []
        if entrypoint:
            found.extend(validate_entrypoint(entrypoint))
        if connections:
            found.extend(validate_connections())
        if found:
            util.exit_with_instantiation_errors(1, [error.to_json() for error in found])
        helpers.print_successful_validation_result()
    except Exception:
        util.hard_exit_from_instantiation("Unexpected exception: %s" % traceback.format_exc())


@click.command()
@click.option("--entrypoint", "-e", required=False, help="The action to check, as module.function")
@click.option("--validate-connections/--no-validate-connections", default=False,
              help="Also check the connection parameters and run the connection validator")
def main(entrypoint, validate_connections):
    validate(entrypoint, validate_connections)


if __name__ == "__main__":
    main()
