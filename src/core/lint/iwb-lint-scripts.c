/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The Python the loader's child runs before the SDK takes over: the facts
 * (the folder's .py files parsed with `ast`, never imported) and the import
 * watch (where the import of a module raised). See iwb-loader.c's bootstrap.
 */
#include "config.h"

#include "iwb-lint.h"

/* _iwb_facts() returns, as JSON text, {"files": [{file, module, imported,
 * docstring, doc_line, syntax_error, imports, params, functions,
 * column_uses, module_reads}]} for every *.py file of the current
 * directory, in directory order (the SDK's import order). Plain stdlib,
 * Python 3.6+; it parses the files and never imports them. */
static const char facts_function[] =
  "def _iwb_facts():\n"
  "    import ast, json, os\n"
  "    def s(n):\n"
  "        if isinstance(n, ast.Constant) and isinstance(n.value, str): return n.value\n"
  "        if n.__class__.__name__ == 'Str': return n.s\n"
  "        return None\n"
  "    def nm(n):\n"
  "        if isinstance(n, ast.Name): return n.id\n"
  "        if isinstance(n, ast.Attribute): return n.attr\n"
  "        if isinstance(n, ast.Call): return nm(n.func)\n"
  "        return None\n"
  "    def kw(c, k):\n"
  "        for x in c.keywords:\n"
  "            if x.arg == k: return x.value\n"
  "        return None\n"
  "    def strs(n):\n"
  "        v = s(n)\n"
  "        if v is not None: return [p.strip() for p in v.split(',')]\n"
  "        if isinstance(n, (ast.List, ast.Tuple)):\n"
  "            r = [s(e) for e in n.elts]\n"
  "            return None if None in r else r\n"
  "        return None\n"
  "    def doc_meta(fn, doc):\n"
  "        out = []\n"
  "        if not doc: return out\n"
  "        first = fn.body[0].value\n"
  "        base = first.lineno\n"
  "        if getattr(first, 'end_lineno', None) is not None:\n"
  "            base = first.end_lineno - doc.count('\\n')\n"
  "        for i, line in enumerate(doc.split('\\n')):\n"
  "            t = line.strip()\n"
  "            if not t.startswith(':'): continue\n"
  "            parts = t[1:].split(':', 1)\n"
  "            head = parts[0].split()\n"
  "            if len(parts) < 2:\n"
  "                out.append({'key': t, 'name': None, 'line': base + i, 'bad': True})\n"
  "            elif len(head) >= 2:\n"
  "                out.append({'key': head[0], 'name': head[-1], 'line': base + i})\n"
  "        return out\n"
  "    files = []\n"
  "    for name in os.listdir('.'):\n"
  "        if not name.endswith('.py') or not os.path.isfile(name): continue\n"
  "        stem = name[:-3]\n"
  "        f = {'file': name, 'module': stem, 'imported': '.' not in stem, 'docstring': None,\n"
  "             'doc_line': 0, 'syntax_error': None, 'imports': [], 'params': [],\n"
  "             'functions': [], 'column_uses': [], 'module_reads': []}\n"
  "        files.append(f)\n"
  "        try:\n"
  "            with open(name, 'rb') as fp: src = fp.read()\n"
  "            tree = ast.parse(src, name)\n"
  "        except SyntaxError as e:\n"
  "            f['syntax_error'] = {'line': e.lineno or 0, 'column': e.offset or 0,\n"
  "                                 'message': e.msg, 'text': (e.text or '').rstrip()}\n"
  "            continue\n"
  "        except Exception as e:\n"
  "            f['syntax_error'] = {'line': 0, 'column': 0, 'message': str(e), 'text': ''}\n"
  "            continue\n"
  "        doc = ast.get_docstring(tree, clean=False)\n"
  "        if doc and tree.body:\n"
  "            f['docstring'] = doc\n"
  "            n = tree.body[0].value\n"
  "            f['doc_line'] = n.lineno\n"
  "            if getattr(n, 'end_lineno', None) is not None:\n"
  "                f['doc_line'] = n.end_lineno - doc.count('\\n')\n"
  "        targets = {}\n"
  "        for node in ast.walk(tree):\n"
  "            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and len(node.targets) == 1:\n"
  "                targets[id(node.value)] = nm(node.targets[0])\n"
  "        for node in ast.walk(tree):\n"
  "            if isinstance(node, ast.Import):\n"
  "                for a in node.names: f['imports'].append({'module': a.name, 'line': node.lineno})\n"
  "            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:\n"
  "                f['imports'].append({'module': node.module, 'line': node.lineno})\n"
  "                for a in node.names:\n"
  "                    f['imports'].append({'module': node.module + '.' + a.name, 'line': node.lineno})\n"
  "            elif isinstance(node, ast.ImportFrom):\n"
  "                f['imports'].append({'module': '.' * node.level + (node.module or ''), 'line': node.lineno})\n"
  "            elif isinstance(node, ast.Attribute) and node.attr == 'COLUMN' and nm(node.value) == 'DataType':\n"
  "                f['column_uses'].append(node.lineno)\n"
  "            elif isinstance(node, ast.Call) and nm(node.func) in ('ConnectionParam', 'ActionParam'):\n"
  "                p = {'kind': nm(node.func), 'line': node.lineno, 'id': None, 'actions': None,\n"
  "                     'data_type': None, 'target': targets.get(id(node))}\n"
  "                a = node.args[0] if node.args else kw(node, 'id')\n"
  "                if a is not None: p['id'] = s(a)\n"
  "                d = kw(node, 'data_type')\n"
  "                if isinstance(d, ast.Attribute): p['data_type'] = d.attr\n"
  "                a = kw(node, 'action')\n"
  "                if a is not None: p['actions'] = strs(a)\n"
  "                f['params'].append(p)\n"
  "            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):\n"
  "                deco = [nm(d) for d in node.decorator_list]\n"
  "                a = node.args\n"
  "                args = [x.arg for x in getattr(a, 'posonlyargs', []) + a.args + a.kwonlyargs]\n"
  "                doc = ast.get_docstring(node, clean=False)\n"
  "                f['functions'].append({'name': node.name, 'line': node.lineno,\n"
  "                                       'top_level': node in tree.body,\n"
  "                                       'is_action': 'action' in deco, 'args': args,\n"
  "                                       'doc_meta': doc_meta(node, doc)})\n"
  "        for st in tree.body:\n"
  "            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)): continue\n"
  "            for node in ast.walk(st):\n"
  "                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == 'read' and not node.args:\n"
  "                    f['module_reads'].append({'name': nm(node.func.value), 'line': node.lineno})\n"
  "    return json.dumps({'files': files})\n";

/* _iwb_watch(prefix) watches the import of the folder's top-level modules
 * (the ones the SDK imports) and, when one raises, prints one line
 * PREFIX{module, type, message, frames, syntax?, name?} to the real stdout
 * before the exception goes on to the SDK unchanged: the exception's
 * qualified type, its message, and the frames inside the folder (outermost
 * first), so a load error can say where it was raised (a syntax error in a
 * sub-package, `from os import missing`, an exception in a helper called at
 * import). It only wraps the loader of the modules the path finder would
 * load from the folder's *.py files itself (a package folder or an
 * extension module of the same name still wins), so what is imported, and
 * how, is what `python3 -m lhub_integ.generate_metadata` imports. */
static const char import_watch_function[] =
  "def _iwb_watch(prefix):\n"
  "    import os, sys, json\n"
  "    import importlib.machinery as machinery, importlib.util as util\n"
  "    cwd = os.getcwd()\n"
  "    real = os.path.realpath(cwd)\n"
  "    def inside(path):\n"
  "        if not path or path.startswith('<'):\n"
  "            return None\n"
  "        p = os.path.abspath(os.path.join(cwd, path))\n"
  "        if p.startswith(cwd + os.sep):\n"
  "            return os.path.relpath(p, cwd)\n"
  "        p = os.path.realpath(p)\n"
  "        if p.startswith(real + os.sep):\n"
  "            return os.path.relpath(p, real)\n"
  "        return None\n"
  "    def report(name, e):\n"
  "        try:\n"
  "            t = type(e)\n"
  "            r = {'module': name, 'type': t.__qualname__ if t.__module__ == 'builtins' else t.__module__ + '.' + t.__qualname__,\n"
  "                 'message': '', 'frames': []}\n"
  "            try:\n"
  "                r['message'] = str(e)\n"
  "            except Exception:\n"
  "                pass\n"
  "            tb = e.__traceback__\n"
  "            while tb is not None:\n"
  "                f = inside(tb.tb_frame.f_code.co_filename)\n"
  "                if f is not None:\n"
  "                    r['frames'].append({'file': f, 'line': tb.tb_lineno, 'function': tb.tb_frame.f_code.co_name})\n"
  "                tb = tb.tb_next\n"
  "            del r['frames'][:-20]\n"
  "            if isinstance(e, SyntaxError):\n"
  "                r['syntax'] = {'file': inside(e.filename), 'line': e.lineno or 0, 'column': e.offset or 0,\n"
  "                               'message': e.msg, 'text': (e.text or '').rstrip()}\n"
  "            elif isinstance(e, ImportError):\n"
  "                r['name'] = e.name\n"
  "            out = sys.__stdout__\n"
  "            out.write(prefix + json.dumps(r) + '\\n')\n"
  "            out.flush()\n"
  "        except Exception:\n"
  "            pass\n"
  "    depth = [0]\n"
  "    class Loader(machinery.SourceFileLoader):\n"
  "        def exec_module(self, module):\n"
  "            # one report per module the SDK imports: a top-level module that\n"
  "            # fails inside another is in the outer one's frames\n"
  "            depth[0] += 1\n"
  "            try:\n"
  "                machinery.SourceFileLoader.exec_module(self, module)\n"
  "            except BaseException as e:\n"
  "                if depth[0] == 1:\n"
  "                    report(module.__name__, e)\n"
  "                raise\n"
  "            finally:\n"
  "                depth[0] -= 1\n"
  "    shadow = tuple('__init__' + s for s in machinery.all_suffixes())\n"
  "    class Finder:\n"
  "        @staticmethod\n"
  "        def find_spec(name, path=None, target=None):\n"
  "            if path is not None or '.' in name:\n"
  "                return None\n"
  "            origin = os.path.join(cwd, name + '.py')\n"
  "            if not os.path.isfile(origin):\n"
  "                return None\n"
  "            # what the path finder would prefer: a package folder, an extension module\n"
  "            base = os.path.join(cwd, name)\n"
  "            if any(os.path.isfile(os.path.join(base, i)) for i in shadow):\n"
  "                return None\n"
  "            if any(os.path.isfile(base + s) for s in machinery.EXTENSION_SUFFIXES):\n"
  "                return None\n"
  "            return util.spec_from_file_location(name, origin, loader=Loader(name, origin))\n"
  "    at = len(sys.meta_path)\n"
  "    for i, f in enumerate(sys.meta_path):\n"
  "        if f is machinery.PathFinder:\n"
  "            at = i\n"
  "            break\n"
  "    sys.meta_path.insert(at, Finder)\n";

static const char facts_main[] =
  "import sys\n"
  "sys.stdout.write(_iwb_facts())\n";

/**
 * iwb_lint_get_script:
 *
 * A complete script (for `python3 -I -c`) that prints the facts JSON.
 */
const char *
iwb_lint_get_script (void)
{
  static char *script;

  if (g_once_init_enter (&script))
    g_once_init_leave (&script, g_strconcat (facts_function, facts_main, NULL));
  return script;
}

/**
 * iwb_lint_get_facts_function:
 *
 * Only the definition of `_iwb_facts()`, which returns the facts JSON as a
 * string; for a bootstrap that gathers the facts before it hands over to the
 * SDK in the same process.
 */
const char *
iwb_lint_get_facts_function (void)
{
  return facts_function;
}

/**
 * iwb_lint_get_import_watch_function:
 *
 * Only the definition of `_iwb_watch(prefix)` (see import_watch_function):
 * for the loader's bootstrap, which calls it before it hands over to the SDK
 * and adds the lines it prints to the facts as "import_errors".
 */
const char *
iwb_lint_get_import_watch_function (void)
{
  return import_watch_function;
}
