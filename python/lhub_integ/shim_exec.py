# SPDX-License-Identifier: GPL-3.0-or-later
"""``python -m lhub_integ.shim_exec -e module.function``: run an action like the platform does.

PROCESS_PER_ROW actions are called once per input row with the mapped columns
(``___<arg>`` names the column; for JinjaTemplatedStr arguments it holds a template
rendered with the row); PROCESS_ONCE actions are called once without arguments.
Rows come from stdin (PipeIO: ``{"row": {...}}`` lines) or from the first ``part*``
file of ``__lh_integration_input_data_json_folder_path`` (FileIO: plain row lines).
"""
import inspect
import json
import traceback

import click

from lhub_integ import util
from lhub_integ.common import input_json_helpers
from lhub_integ.decorators import action as action_decorator
from lhub_integ.env import MappedColumnEnvVar
from lhub_integ.execution import ExecutionType
from lhub_integ.params import DataType, JinjaTemplatedStr

VALID_ANNOTATIONS = [int, str, float, bool, JinjaTemplatedStr]
_NO_ANNOTATION = inspect.Parameter.empty


def _to_int(value):
    return int(float(value))


def _converter(annotation):
    if annotation is _NO_ANNOTATION:
        return lambda value: value
    if annotation is str:
        return str
    if annotation is float:
        return float
    if annotation is int:
        return _to_int
    if annotation is bool:
        return DataType.BOOL.coerce
    return None


def _render(template_text, row):
    import jinja2
    return jinja2.Template(template_text).render(**row)


def print_results(result, original_lhub_id=None):
    """One result per element of a list/set, one for any other truthy value, none if falsy."""
    if not result:
        return
    if isinstance(result, (list, set)):
        for item in result:
            util.print_result(json.dumps(item), original_lhub_id=original_lhub_id)
    else:
        util.print_result(json.dumps(result), original_lhub_id=original_lhub_id)


def run_once(function):
    print_results(function())


def run_per_row(function):
    names, _, _ = inspect.getargs(function.__code__)
    optional = util.optional_arguments(function)
    annotations = getattr(function, "__annotations__", None) or {}

    converters = {}
    jinja_args = set()
    for name in names:
        annotation = annotations.get(name, _NO_ANNOTATION)
        if annotation is JinjaTemplatedStr:
            jinja_args.add(name)
            continue
        converter = _converter(annotation)
        if converter is None:
            util.exit_with_instantiation_errors(1, [
                "Unsupported type annotation: %s. Valid annotations are: %s" % (annotation, VALID_ANNOTATIONS)])
        converters[name] = converter

    mappings = {name: MappedColumnEnvVar(name, optional=name in optional).read() for name in names}
    required_columns = {mapping for name, mapping in mappings.items()
                        if mapping is not None and name not in jinja_args}

    for row in input_json_helpers.read_rows():
        lhub_id = row.get(util.LHUB_ID)
        missing = required_columns - set(row.keys())
        if missing:
            for column in missing:
                util.print_error("Column '%s' is not present in the data" % column)
            continue
        try:
            kwargs = {}
            invalid = False
            for name in names:
                mapping = mappings[name]
                if mapping is None:
                    kwargs[name] = None
                elif name in jinja_args:
                    kwargs[name] = _render(mapping, row)
                else:
                    try:
                        kwargs[name] = converters[name](row[mapping])
                    except ValueError as ex:
                        util.print_error("Invalid value for column %s: [%s]" % (mapping, ex), data=row)
                        invalid = True
                        break
            if invalid:
                continue
            print_results(function(**kwargs), lhub_id)
        except Exception:
            util.print_error(traceback.format_exc(), data=row, original_lhub_id=lhub_id)


def execute(entrypoint, compileall=True):
    if compileall:
        errors, _ = util.import_workdir()
    else:
        errors = util.import_file_of_entryPoint(entrypoint)
    if errors:
        util.hard_exit_from_instantiation(str(errors[0]))
    registered = action_decorator.all.get(entrypoint)
    function = registered.function
    if registered.execution_type == ExecutionType.PROCESS_ONCE:
        run_once(function)
    else:
        run_per_row(function)


@click.command()
@click.option("--entrypoint", "-e", required=True, help="The action to run, as module.function")
@click.option("--compileall/--no-compileall", default=True,
              help="Import every top-level module first (default) or only the entrypoint's module")
def main(entrypoint, compileall):
    execute(entrypoint, compileall)


if __name__ == "__main__":
    main()
