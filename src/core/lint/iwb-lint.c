/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Lint: warnings the SDK does not give but users need, with file:line.
 *
 * The facts come from a small Python function that parses (never imports)
 * the top-level .py files of the folder with `ast`; the loader runs it in the
 * generate_metadata child before the SDK takes over. The checks themselves
 * are here, in C, against the loaded model and those facts.
 */
#include "config.h"

#include <string.h>

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

/* Small accessors over the facts JSON, tolerant of missing members. */

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static guint
get_uint (JsonObject *object,
          const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    return (guint) MAX (json_node_get_int (node), 0);
  return 0;
}

static gboolean
get_bool (JsonObject *object,
          const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static JsonObject *
array_object (JsonArray *array,
              guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static guint
array_length (JsonArray *array)
{
  return array != NULL ? json_array_get_length (array) : 0;
}

/**
 * iwb_lint_find_syntax_error:
 * @facts: (nullable): the script's output
 *
 * The first top-level file (directory order) that does not compile.
 *
 * Returns: %TRUE and the location when one was found
 */
gboolean
iwb_lint_find_syntax_error (JsonObject  *facts,
                            char       **file,
                            guint       *line,
                            char       **message,
                            char       **text)
{
  JsonArray *files = get_array (facts, "files");

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonNode *node = f ? json_object_get_member (f, "syntax_error") : NULL;
      JsonObject *err;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) || !get_bool (f, "imported"))
        continue;
      err = json_node_get_object (node);
      *file = g_strdup (get_string (f, "file"));
      *line = get_uint (err, "line");
      *message = g_strdup (get_string (err, "message"));
      *text = g_strdup (get_string (err, "text"));
      return TRUE;
    }
  return FALSE;
}

/**
 * iwb_lint_find_import:
 * @module: a dotted module name as in “No module named 'x.y'”
 *
 * The first import statement of a top-level file that imports @module, a
 * parent package of it or a name from it.
 *
 * Returns: %TRUE and the location when one was found
 */
gboolean
iwb_lint_find_import (JsonObject  *facts,
                      const char  *module,
                      char       **file,
                      guint       *line)
{
  JsonArray *files = get_array (facts, "files");

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < array_length (files); i++)
      {
        JsonObject *f = array_object (files, i);
        JsonArray *imports = get_array (f, "imports");

        for (guint j = 0; j < array_length (imports); j++)
          {
            JsonObject *imp = array_object (imports, j);
            const char *name = get_string (imp, "module");
            gboolean match;

            if (name == NULL)
              continue;
            if (pass == 0)
              match = g_str_equal (name, module);
            else
              match = (g_str_has_prefix (name, module) && name[strlen (module)] == '.') ||
                      (g_str_has_prefix (module, name) && module[strlen (name)] == '.');
            if (match)
              {
                *file = g_strdup (get_string (f, "file"));
                *line = get_uint (imp, "line");
                return TRUE;
              }
          }
      }
  return FALSE;
}

/**
 * iwb_lint_find_relative_import:
 *
 * The first relative import (`from . import x`, `from .m import y`) of an
 * imported top-level file: one fails there, since those are not in a package.
 *
 * Returns: %TRUE and the location when one was found
 */
gboolean
iwb_lint_find_relative_import (JsonObject  *facts,
                               char       **file,
                               guint       *line)
{
  JsonArray *files = get_array (facts, "files");

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonArray *imports = get_array (f, "imports");

      if (!get_bool (f, "imported"))
        continue;
      for (guint j = 0; j < array_length (imports); j++)
        {
          JsonObject *imp = array_object (imports, j);
          const char *name = get_string (imp, "module");

          if (name != NULL && name[0] == '.')
            {
              *file = g_strdup (get_string (f, "file"));
              *line = get_uint (imp, "line");
              return TRUE;
            }
        }
    }
  return FALSE;
}

/**
 * iwb_lint_find_param:
 * @kind: (nullable): "ConnectionParam", "ActionParam" or %NULL for either
 *
 * Where the parameter @id is constructed.
 */
gboolean
iwb_lint_find_param (JsonObject  *facts,
                     const char  *kind,
                     const char  *id,
                     char       **file,
                     guint       *line)
{
  JsonArray *files = get_array (facts, "files");

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonArray *params = get_array (f, "params");

      for (guint j = 0; j < array_length (params); j++)
        {
          JsonObject *p = array_object (params, j);

          if (g_strcmp0 (get_string (p, "id"), id) == 0 &&
              (kind == NULL || g_strcmp0 (get_string (p, "kind"), kind) == 0))
            {
              *file = g_strdup (get_string (f, "file"));
              *line = get_uint (p, "line");
              return TRUE;
            }
        }
    }
  return FALSE;
}

/**
 * iwb_lint_find_duplicate_param:
 *
 * The second construction of a @kind parameter with @id (the one the SDK
 * rejects as a duplicate).
 */
gboolean
iwb_lint_find_duplicate_param (JsonObject  *facts,
                               const char  *kind,
                               const char  *id,
                               char       **file,
                               guint       *line)
{
  JsonArray *files = get_array (facts, "files");
  guint seen = 0;

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonArray *params = get_array (f, "params");

      for (guint j = 0; j < array_length (params); j++)
        {
          JsonObject *p = array_object (params, j);

          if (g_strcmp0 (get_string (p, "id"), id) == 0 &&
              g_strcmp0 (get_string (p, "kind"), kind) == 0 && ++seen == 2)
            {
              *file = g_strdup (get_string (f, "file"));
              *line = get_uint (p, "line");
              return TRUE;
            }
        }
    }
  return FALSE;
}

/**
 * iwb_lint_find_key_at_end:
 *
 * A metadata key (`name:`, `description:`, `logoUrl:`) that the SDK takes
 * from a docstring where nothing follows it, not even a line break: the SDK
 * fails with IndexError on it.
 */
gboolean
iwb_lint_find_key_at_end (JsonObject  *facts,
                          char       **file,
                          guint       *line,
                          char       **key)
{
  static const char * const keys[] = { "name", "description", "logoUrl", NULL };
  JsonArray *files = get_array (facts, "files");

  for (guint k = 0; keys[k] != NULL; k++)
    {
      g_autofree char *needle = g_ascii_strdown (keys[k], -1);

      for (guint i = 0; i < array_length (files); i++)
        {
          JsonObject *f = array_object (files, i);
          const char *doc = get_string (f, "docstring");
          g_autofree char *lower = NULL;
          g_autofree char *with_colon = g_strconcat (needle, ":", NULL);
          const char *hit;

          if (!get_bool (f, "imported") || doc == NULL)
            continue;
          lower = g_ascii_strdown (doc, -1);
          hit = strstr (lower, with_colon);
          if (hit == NULL)
            continue;
          if (hit[strlen (with_colon)] == '\0')
            {
              *file = g_strdup (get_string (f, "file"));
              *line = get_uint (f, "doc_line");
              for (const char *c = lower; c < hit; c++)
                if (*c == '\n')
                  (*line)++;
              *key = g_strdup (keys[k]);
              return TRUE;
            }
          break;
        }
    }
  return FALSE;
}

/**
 * iwb_lint_find_module_read:
 *
 * A module-level `X.read()` of the parameter whose id is @id (it runs at
 * import, before any action, and exits the SDK when the value is missing).
 */
gboolean
iwb_lint_find_module_read (JsonObject  *facts,
                           const char  *id,
                           char       **file,
                           guint       *line)
{
  JsonArray *files = get_array (facts, "files");

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonArray *params = get_array (f, "params");
      JsonArray *reads = get_array (f, "module_reads");

      for (guint j = 0; j < array_length (params); j++)
        {
          JsonObject *p = array_object (params, j);
          const char *target = get_string (p, "target");

          if (target == NULL || g_strcmp0 (get_string (p, "id"), id) != 0)
            continue;
          for (guint k = 0; k < array_length (reads); k++)
            {
              JsonObject *r = array_object (reads, k);

              if (g_strcmp0 (get_string (r, "name"), target) == 0)
                {
                  *file = g_strdup (get_string (f, "file"));
                  *line = get_uint (r, "line");
                  return TRUE;
                }
            }
        }
    }
  return FALSE;
}

/**
 * iwb_lint_find_column_use:
 *
 * The first `DataType.COLUMN` in a top-level file.
 */
gboolean
iwb_lint_find_column_use (JsonObject  *facts,
                          char       **file,
                          guint       *line)
{
  JsonArray *files = get_array (facts, "files");

  /* a parameter created with it first, else any use */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < array_length (files); i++)
      {
        JsonObject *f = array_object (files, i);
        JsonArray *params = get_array (f, "params");
        JsonArray *uses = get_array (f, "column_uses");

        if (pass == 0)
          {
            for (guint j = 0; j < array_length (params); j++)
              if (g_strcmp0 (get_string (array_object (params, j), "data_type"), "COLUMN") == 0)
                {
                  *file = g_strdup (get_string (f, "file"));
                  *line = get_uint (array_object (params, j), "line");
                  return TRUE;
                }
          }
        else if (array_length (uses) > 0)
          {
            *file = g_strdup (get_string (f, "file"));
            *line = (guint) MAX (json_array_get_int_element (uses, 0), 0);
            return TRUE;
          }
      }
  return FALSE;
}

/* Calls @func for every `:key name:` line (key in @keys) of a top-level
 * action's docstring whose name is not an argument of that function, in
 * every file or only in the imported ones. @func returns TRUE to stop;
 * the result says whether it did. */
typedef gboolean (*DocFieldFunc) (JsonObject *file,
                                  JsonObject *function,
                                  JsonObject *field,
                                  gpointer    user_data);

static gboolean
foreach_doc_field_without_argument (JsonObject         *facts,
                                    const char * const *keys,
                                    gboolean            imported_only,
                                    DocFieldFunc        func,
                                    gpointer            user_data)
{
  JsonArray *files = get_array (facts, "files");

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonArray *functions = get_array (f, "functions");

      if (imported_only && !get_bool (f, "imported"))
        continue;
      for (guint j = 0; j < array_length (functions); j++)
        {
          JsonObject *fn = array_object (functions, j);
          JsonArray *args = get_array (fn, "args");
          JsonArray *meta = get_array (fn, "doc_meta");

          if (!get_bool (fn, "is_action") || !get_bool (fn, "top_level"))
            continue;
          for (guint k = 0; k < array_length (meta); k++)
            {
              JsonObject *m = array_object (meta, k);
              const char *m_key = get_string (m, "key");
              const char *m_name = get_string (m, "name");
              gboolean is_arg = FALSE;

              if (m_key == NULL || m_name == NULL || !g_strv_contains (keys, m_key))
                continue;
              for (guint a = 0; a < array_length (args); a++)
                if (g_strcmp0 (json_array_get_string_element (args, a), m_name) == 0)
                  is_arg = TRUE;
              if (!is_arg && func (f, fn, m, user_data))
                return TRUE;
            }
        }
    }
  return FALSE;
}

typedef struct
{
  char  **file;
  guint  *line;
  char  **function;
  char  **key;
  char  **name;
} DocFieldOut;

static gboolean
keep_first_doc_field (JsonObject *file,
                      JsonObject *function,
                      JsonObject *field,
                      gpointer    user_data)
{
  DocFieldOut *out = user_data;

  *out->file = g_strdup (get_string (file, "file"));
  *out->line = get_uint (field, "line");
  *out->function = g_strdup (get_string (function, "name"));
  *out->key = g_strdup (get_string (field, "key"));
  *out->name = g_strdup (get_string (field, "name"));
  return TRUE;
}

/**
 * iwb_lint_find_doc_field:
 * @keys: (array zero-terminated=1): docstring field keys, e.g. {"label", "optional", NULL}
 *
 * The first `:key name:` line of an action's docstring whose name is not an
 * argument of that function.
 */
gboolean
iwb_lint_find_doc_field (JsonObject          *facts,
                         const char * const  *keys,
                         char               **file,
                         guint               *line,
                         char               **function,
                         char               **key,
                         char               **name)
{
  DocFieldOut out = { file, line, function, key, name };

  return foreach_doc_field_without_argument (facts, keys, FALSE, keep_first_doc_field, &out);
}

/**
 * iwb_lint_find_bad_doc_field:
 *
 * The first line of an action's docstring that starts a field (`:`) but has
 * no second colon, e.g. `:return` alone; docstring-parser 0.1 rejects it.
 */
gboolean
iwb_lint_find_bad_doc_field (JsonObject  *facts,
                             char       **file,
                             guint       *line,
                             char       **function,
                             char       **text)
{
  JsonArray *files = get_array (facts, "files");

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonArray *functions = get_array (f, "functions");

      for (guint j = 0; j < array_length (functions); j++)
        {
          JsonObject *fn = array_object (functions, j);
          JsonArray *meta = get_array (fn, "doc_meta");

          if (!get_bool (fn, "is_action"))
            continue;
          for (guint k = 0; k < array_length (meta); k++)
            {
              JsonObject *m = array_object (meta, k);

              if (!get_bool (m, "bad"))
                continue;
              *file = g_strdup (get_string (f, "file"));
              *line = get_uint (m, "line");
              *function = g_strdup (get_string (fn, "name"));
              *text = g_strdup (get_string (m, "key"));
              return TRUE;
            }
        }
    }
  return FALSE;
}

static void
add (GPtrArray  *out,
     const char *file,
     guint       line,
     const char *code,
     char       *message)
{
  g_ptr_array_add (out, iwb_diagnostic_new (file, line, code, message));
  g_free (message);
}

/* Several modules with docstrings: the SDK takes each key from the first
 * docstring that has it, in directory order. */
static void
check_docstrings (JsonObject *facts,
                  GPtrArray  *out)
{
  JsonArray *files = get_array (facts, "files");
  const char *first = NULL;

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);

      if (!get_bool (f, "imported") || get_string (f, "docstring") == NULL)
        continue;
      if (first == NULL)
        {
          first = get_string (f, "file");
          continue;
        }
      add (out, get_string (f, "file"), get_uint (f, "doc_line"), "several-docstrings",
           g_strdup_printf ("%s has a module docstring too: the SDK reads name:, description: "
                            "and logoUrl: from the first docstring that contains each key, in "
                            "directory order (here %s first), which can differ on another "
                            "machine. Keep the metadata docstring in one file and use # "
                            "comments in the others.",
                            get_string (f, "file"), first));
    }
}

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* `<key>:` matched inside another word (`hostname:` read as `name:`). */
static void
check_keys_in_words (JsonObject *facts,
                     GPtrArray  *out)
{
  static const char * const keys[] = { "name", "description", "logoUrl", NULL };
  JsonArray *files = get_array (facts, "files");

  for (guint k = 0; keys[k] != NULL; k++)
    {
      g_autofree char *needle = g_strconcat (keys[k], ":", NULL);
      g_autofree char *needle_lower = g_ascii_strdown (needle, -1);

      for (guint i = 0; i < array_length (files); i++)
        {
          JsonObject *f = array_object (files, i);
          const char *doc = get_string (f, "docstring");
          g_autofree char *lower = NULL;
          const char *hit, *start, *end;
          g_autofree char *word = NULL;
          g_autofree char *value = NULL;
          guint line;

          if (!get_bool (f, "imported") || doc == NULL)
            continue;
          lower = g_ascii_strdown (doc, -1);
          hit = strstr (lower, needle_lower);
          if (hit == NULL)
            continue; /* the SDK looks at the next docstring */
          /* this docstring decides the key */
          if (hit > lower && is_word_char (hit[-1]))
            {
              start = hit;
              while (start > lower && is_word_char (start[-1]))
                start--;
              word = g_strndup (doc + (start - lower), (hit - start) + strlen (needle));
              end = strchr (hit, '\n');
              value = g_strstrip (g_strndup (doc + (hit - lower) + strlen (needle),
                                             end ? (gsize) (end - hit) - strlen (needle)
                                                 : strlen (hit) - strlen (needle)));
              line = get_uint (f, "doc_line");
              for (const char *p = lower; p < hit; p++)
                if (*p == '\n')
                  line++;
              add (out, get_string (f, "file"), line, "key-in-word",
                   g_strdup_printf ("“%s” is read as the integration's %s (“%s”): the SDK "
                                    "finds “%s” anywhere in the docstring, even inside another "
                                    "word, and takes the first match. Put the “%s” line above "
                                    "it, or reword “%s”.",
                                    word, keys[k], value, needle, needle, word));
            }
          break;
        }
    }
}

/* DataType.COLUMN given to a parameter (a comparison elsewhere is harmless). */
static void
check_column_type (JsonObject *facts,
                   GPtrArray  *out)
{
  JsonArray *files = get_array (facts, "files");

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonArray *params = get_array (f, "params");

      for (guint j = 0; j < array_length (params); j++)
        {
          JsonObject *p = array_object (params, j);

          if (g_strcmp0 (get_string (p, "data_type"), "COLUMN") != 0)
            continue;
          add (out, get_string (f, "file"), get_uint (p, "line"), "column-data-type",
               g_strdup_printf ("%s “%s” uses DataType.COLUMN, which makes the SDK fail when "
                                "the parameter is created (its input-type code is broken), so "
                                "the integration does not load on the platform. Take the column "
                                "as an argument of the action function instead "
                                "(def my_action(my_column): …).",
                                get_string (p, "kind") ? get_string (p, "kind") : "Parameter",
                                get_string (p, "id") ? get_string (p, "id") : "?"));
        }
    }
}

static void
check_optional_without_default_in (GListModel *params,
                                   const char *kind,
                                   JsonObject *facts,
                                   GHashTable *seen,
                                   GPtrArray  *out)
{
  static const char * const crashing[] = { "number", "int", "bool", "json", NULL };

  for (guint i = 0; i < g_list_model_get_n_items (params); i++)
    {
      g_autoptr(IwbParam) param = g_list_model_get_item (params, i);
      const char *data_type = iwb_param_get_data_type (param);
      g_autofree char *file = NULL;
      g_autofree char *key = NULL;
      g_autofree char *upper = NULL;
      guint line = 0;

      if (!iwb_param_get_optional (param) || iwb_param_get_default (param) != NULL ||
          !g_strv_contains (crashing, data_type))
        continue;
      key = g_strconcat (kind, ":", iwb_param_get_id (param), NULL);
      if (!g_hash_table_add (seen, g_steal_pointer (&key)))
        continue; /* one ActionParam object may serve several actions */
      iwb_lint_find_param (facts, kind, iwb_param_get_id (param), &file, &line);
      upper = g_ascii_strup (data_type, -1);
      add (out, file, line, "optional-without-default",
           g_strdup_printf ("Optional %s parameter “%s” has no default: when it is left "
                            "empty the SDK still converts the missing value and read() "
                            "crashes (%s), and validation fails. Give it a default "
                            "(default=\"…\"), or make it a STRING and convert it yourself.",
                            upper, iwb_param_get_id (param),
                            g_str_equal (data_type, "bool") ? "AttributeError" : "TypeError"));
    }
}

static void
check_optional_without_default (IwbIntegration *integration,
                                JsonObject     *facts,
                                GPtrArray      *out)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GListModel *actions = iwb_integration_get_actions (integration);

  check_optional_without_default_in (iwb_integration_get_connection_params (integration),
                                     "ConnectionParam", facts, seen, out);
  for (guint i = 0; i < g_list_model_get_n_items (actions); i++)
    {
      g_autoptr(IwbAction) action = g_list_model_get_item (actions, i);

      check_optional_without_default_in (iwb_action_get_params (action), "ActionParam",
                                         facts, seen, out);
    }
}

static char *
unknown_action_message (IwbIntegration *integration,
                        const char     *id,
                        const char     *name,
                        const char     *file)
{
  GListModel *actions = iwb_integration_get_actions (integration);
  IwbAction *by_name = NULL;
  IwbAction *elsewhere = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (actions); i++)
    {
      g_autoptr(IwbAction) action = g_list_model_get_item (actions, i);
      const char *entrypoint = iwb_action_get_entrypoint (action);
      const char *dot = strrchr (entrypoint, '.');

      if (by_name == NULL && g_strcmp0 (iwb_action_get_name (action), name) == 0)
        by_name = action; /* the model keeps it alive */
      if (elsewhere == NULL && dot != NULL && g_str_equal (dot + 1, name))
        elsewhere = action;
    }

  if (id == NULL)
    id = "?";
  if (elsewhere != NULL)
    return g_strdup_printf ("ActionParam “%s” is for action “%s”, which is defined in another "
                            "module (%s): the SDK only attaches an ActionParam to actions of "
                            "the module that creates it, so it silently drops this one and the "
                            "platform never shows it. Create the parameter in the action's "
                            "module.",
                            id, name, iwb_action_get_entrypoint (elsewhere));
  if (by_name != NULL)
    {
      const char *entrypoint = iwb_action_get_entrypoint (by_name);
      const char *dot = strrchr (entrypoint, '.');

      return g_strdup_printf ("ActionParam “%s” names “%s”, the display name of %s: action= "
                              "takes function names, so the SDK silently drops the parameter "
                              "and the platform never shows it. Write action=\"%s\".",
                              id, name, entrypoint, dot ? dot + 1 : entrypoint);
    }
  return g_strdup_printf ("ActionParam “%s” is for action “%s”, but %s has no @action "
                          "function “%s”: the SDK silently drops the parameter and the "
                          "platform never shows it. Use the name of an @action function "
                          "defined in the same file.",
                          id, name, file, name);
}

/* ActionParam(action=…) naming no @action of its module: silently dropped. */
static void
check_action_param_targets (IwbIntegration *integration,
                            JsonObject     *facts,
                            GPtrArray      *out)
{
  JsonArray *files = get_array (facts, "files");

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonArray *params = get_array (f, "params");
      const char *module = get_string (f, "module");

      if (!get_bool (f, "imported") || module == NULL)
        continue;
      for (guint j = 0; j < array_length (params); j++)
        {
          JsonObject *p = array_object (params, j);
          JsonArray *names = get_array (p, "actions");

          if (g_strcmp0 (get_string (p, "kind"), "ActionParam") != 0)
            continue;
          for (guint k = 0; k < array_length (names); k++)
            {
              const char *name = json_array_get_string_element (names, k);
              g_autofree char *entrypoint = NULL;

              if (name == NULL)
                continue;
              entrypoint = g_strconcat (module, ".", name, NULL);
              if (iwb_integration_find_action (integration, entrypoint) != NULL)
                continue;
              add (out, get_string (f, "file"), get_uint (p, "line"), "unknown-action",
                   unknown_action_message (integration, get_string (p, "id"), name,
                                           get_string (f, "file")));
            }
        }
    }
}

static gboolean
add_unknown_argument (JsonObject *file,
                      JsonObject *function,
                      JsonObject *field,
                      gpointer    user_data)
{
  const char *key = get_string (field, "key");
  const char *name = get_string (field, "name");

  add (user_data, get_string (file, "file"), get_uint (field, "line"), "docstring-unknown-argument",
       g_strdup_printf ("“:%s %s:” documents an argument that %s() does not have: "
                        "the SDK reports “Docstring referenced %s but there were no "
                        "matching arguments” and the text is lost. Fix the name or "
                        "add the argument.",
                        key, name, get_string (function, "name"), name));
  return FALSE;
}

/* `:param x:` for an argument the function does not have. */
static void
check_doc_params (JsonObject *facts,
                  GPtrArray  *out)
{
  static const char * const param_keys[] = {
    "param", "parameter", "arg", "argument", "key", "keyword", NULL
  };

  foreach_doc_field_without_argument (facts, param_keys, TRUE, add_unknown_argument, out);
}

static int
compare_diagnostics (gconstpointer a,
                     gconstpointer b)
{
  const IwbDiagnostic *da = *(IwbDiagnostic * const *) a;
  const IwbDiagnostic *db = *(IwbDiagnostic * const *) b;
  int cmp = g_strcmp0 (da->file, db->file);

  if (cmp != 0)
    return cmp;
  return da->line < db->line ? -1 : da->line > db->line ? 1 : 0;
}

/**
 * iwb_lint_check:
 * @integration: the loaded model
 * @facts: (nullable): the facts script's output; without it only the
 *   checks that need no source location run
 *
 * Returns: (transfer full) (element-type IwbDiagnostic): the warnings,
 *   sorted by file and line
 */
GPtrArray *
iwb_lint_check (IwbIntegration *integration,
                JsonObject     *facts)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_diagnostic_free);

  g_return_val_if_fail (IWB_IS_INTEGRATION (integration), NULL);

  check_docstrings (facts, out);
  check_keys_in_words (facts, out);
  check_column_type (facts, out);
  check_optional_without_default (integration, facts, out);
  check_action_param_targets (integration, facts, out);
  check_doc_params (facts, out);

  g_ptr_array_sort (out, compare_diagnostics);
  return g_steal_pointer (&out);
}
