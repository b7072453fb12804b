# SPDX-License-Identifier: GPL-3.0-or-later
"""The runtime's modules: no import cycles, each importable alone, the SDK's public paths kept."""
import ast
import os
import subprocess
import sys
import tempfile
import unittest

from _support import CHILD_TIMEOUT, PYTHON_DIR, child_env

PACKAGE = "lhub_integ"


def package_modules(root, package=PACKAGE):
    """{dotted module name: file path} for every .py file of ``package`` under ``root``."""
    modules = {}
    base = os.path.join(root, package)
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        rel = os.path.relpath(folder, root).split(os.sep)
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            parts = rel if name == "__init__.py" else rel + [name[:-3]]
            modules[".".join(parts)] = os.path.join(folder, name)
    return modules


def _resolve(module, is_package, level, target):
    """The absolute name of a relative import ``from <level dots><target> import ...``."""
    if level == 0:
        return target
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[:len(parts) - (level - 1)]
    return ".".join(parts + ([target] if target else []))


def import_edges(modules, package=PACKAGE):
    """{module: set of package modules it imports}, every import statement counted:
    module level, inside functions, in try blocks, relative or absolute. Importing a
    name from a package counts as importing the submodule when one has that name,
    else the package itself (parent packages imported implicitly are not edges)."""
    edges = {}
    for module, path in modules.items():
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
        is_package = path.endswith("__init__.py")
        targets = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    name = alias.name
                    while name and name not in modules:
                        name = name.rpartition(".")[0]
                    if name:
                        targets.add(name)
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, is_package, node.level, node.module or "")
                if base != package and not base.startswith(package + "."):
                    continue
                for alias in node.names:
                    sub = base + "." + alias.name
                    targets.add(sub if sub in modules else base)
        targets.discard(module)
        edges[module] = targets
    return edges


def find_cycles(edges):
    """The strongly connected components with more than one module (Tarjan), sorted."""
    index = {}
    low = {}
    stack = []
    on_stack = set()
    cycles = []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(cycles)


class ModuleGraphTests(unittest.TestCase):
    def test_no_import_cycles(self):
        modules = package_modules(PYTHON_DIR)
        self.assertIn("lhub_integ.params", modules)
        edges = import_edges(modules)
        # the edges the two broken cycles ran through are gone, the module-level ones stay
        self.assertNotIn("lhub_integ.util", edges["lhub_integ.decorators"])
        self.assertNotIn("lhub_integ.params", edges["lhub_integ.env"])
        self.assertIn("lhub_integ._types", edges["lhub_integ.params"])
        self.assertEqual(find_cycles(edges), [])

    def test_the_checker_finds_cycles(self):
        # a cycle hidden in a function-level relative import is still a cycle
        with tempfile.TemporaryDirectory() as tmp:
            pkg = os.path.join(tmp, "pkg")
            os.makedirs(os.path.join(pkg, "sub"))
            files = {
                "__init__.py": "",
                "a.py": "from pkg import b\n",
                "b.py": "def f():\n    try:\n        from .sub import c\n    except ImportError:\n        pass\n",
                "sub/__init__.py": "",
                "sub/c.py": "import pkg.a\n",
                "d.py": "from pkg.sub import c\n",
            }
            for rel, text in files.items():
                with open(os.path.join(pkg, rel), "w") as f:
                    f.write(text)
            edges = import_edges(package_modules(tmp, "pkg"), "pkg")
        self.assertEqual(find_cycles(edges), [["pkg.a", "pkg.b", "pkg.sub.c"]])

    def test_each_module_imports_alone(self):
        """Every module in a fresh interpreter, first thing: no order dependency."""
        modules = sorted(package_modules(PYTHON_DIR))
        failures = []
        with tempfile.TemporaryDirectory() as tmp:
            for module in modules:
                proc = subprocess.run(
                    [sys.executable, "-c", "import importlib, sys; importlib.import_module(sys.argv[1])",
                     module], cwd=tmp, env=child_env({"HOME": tmp, "INTEGRATIONS_FILES_PATH": tmp}),
                    capture_output=True, text=True, timeout=CHILD_TIMEOUT)
                if proc.returncode != 0 or proc.stdout:
                    failures.append("%s: exit %d: %s%s" % (module, proc.returncode, proc.stdout,
                                                            proc.stderr.strip().splitlines()[-1:]))
        self.assertEqual(failures, [])
        self.assertGreater(len(modules), 25)

    def test_public_import_paths(self):
        code = r'''
import lhub_integ.params as params, lhub_integ.util as util, lhub_integ.env as env
from lhub_integ.params import DataType, InputType, ConnectionParam, ActionParam, JinjaTemplatedStr, ValidationError
from lhub_integ.params import EnvVar, PrefixedEnvVar, InternalEnvVar, MappedColumnEnvVar
from lhub_integ.util import InvalidIntegration
from lhub_integ.decorators import action, connection_validator
from lhub_integ.execution import ExecutionType
from lhub_integ import _types, _errors
assert DataType is _types.DataType and InputType is _types.InputType
assert InvalidIntegration is _errors.InvalidIntegration
assert env.EnvVar("X").data_type is DataType.STRING
print(DataType.__module__, InputType.__module__, InvalidIntegration.__module__,
      repr(DataType.INT), str(InvalidIntegration("k", "m")))
'''
        proc = subprocess.run([sys.executable, "-c", code], env=child_env(),
                              capture_output=True, text=True, timeout=CHILD_TIMEOUT)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.strip(),
                         "lhub_integ.params lhub_integ.params lhub_integ.util <DataType.INT: 'int'> m [k]")


if __name__ == "__main__":
    unittest.main()
