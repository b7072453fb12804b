/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbLoader, before the child starts: the folder check (a clear error for
 * a missing, unreadable or Python-less folder) and the bootstrap script the
 * child runs (see the top of iwb-loader.c). */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-error.h"
#include "iwb-lint.h"
#include "iwb-load-error.h"
#include "iwb-loader-private.h"

gboolean
_iwb_loader_check_folder (GFile   *folder,
                          GError **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = g_file_get_path (folder);

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (folder);

      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                   _("%s: not a local folder; the integration runs as a local process, so copy "
                   "or mount it locally and open that folder"), uri);
      return FALSE;
    }

  info = g_file_query_info (folder, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            NULL, &local_error);
  if (info == NULL)
    {
      if (!iwb_load_error_check_link (path, error))
        return FALSE;
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                     _("%s: no such folder; choose the folder that holds the integration's "
                     "main.py"), path);
      else
        g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                     _("%s: cannot be read (%s); check the path and its permissions"),
                     path, local_error->message);
      return FALSE;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
    {
      if (!iwb_load_error_check_link (path, error))
        return FALSE;
      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_A_FOLDER,
                   _("%s: not a folder; an integration is a folder with main.py: choose the "
                   "folder that contains the file"), path);
      return FALSE;
    }

  enumerator = g_file_enumerate_children (folder,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                          G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (enumerator == NULL)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                   _("%s: cannot list the folder (%s); check its permissions"),
                   path, local_error->message);
      return FALSE;
    }
  for (;;)
    {
      GFileInfo *child = NULL;

      if (!g_file_enumerator_iterate (enumerator, &child, NULL, NULL, &local_error))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                       _("%s: cannot list the folder (%s); check its permissions"),
                       path, local_error->message);
          return FALSE;
        }
      if (child == NULL)
        break;
      if (g_file_info_get_file_type (child) != G_FILE_TYPE_DIRECTORY &&
          g_str_has_suffix (g_file_info_get_name (child), ".py"))
        return TRUE;
    }

  g_set_error (error, IWB_ERROR, IWB_ERROR_NO_PYTHON_FILES,
               _("%s: no Python files (*.py) in this folder. An integration keeps its code in "
               "top-level .py files (usually main.py) with @action functions; choose that "
               "folder"), path);
  return FALSE;
}

/* After _iwb_facts() (see iwb-lint.c): print the facts, then become
 * `python3 -m lhub_integ.generate_metadata`. The facts are gathered with the
 * folder off sys.path (an integration's ast.py or json.py cannot break them).
 * Standard modules they imported (ast, json) stay loaded, as the SDK imports
 * them anyway, unless the folder has a file or package of the same name:
 * those are dropped, so the integration and the SDK import exactly what they
 * would under `-m`. A failure of the facts costs only the facts.
 * runpy._run_module_as_main is what `-m` itself runs. */
static const char bootstrap_tail[] =
  /* A load timeout sends SIGTERM first: the stack of where the import
   * hangs goes to stderr (dumped from the signal handler, so also inside a
   * blocking call), then the default action ends the process. The loader's
   * timeout message names the integration's file:line from it. */
  "try:\n"
  "    import faulthandler, signal\n"
  "    faulthandler.register(signal.SIGTERM, all_threads=True, chain=True)\n"
  "except Exception:\n"
  "    pass\n"
  "def _iwb_boot():\n"
  "    import os, sys\n"
  "    path = sys.path[:]\n"
  "    cwd = os.getcwd()\n"
  "    sys.path[:] = [p for p in path if p not in ('', '.', cwd)]\n"
  "    try:\n"
  "        import runpy\n"
  "        before = set(sys.modules)\n"
  "        try:\n"
  "            text = _iwb_facts()\n"
  "        except Exception:\n"
  "            text = None\n"
  "        def local(name):\n"
  "            top = os.path.join(cwd, name.split('.')[0])\n"
  "            return os.path.exists(top + '.py') or os.path.exists(os.path.join(top, '__init__.py'))\n"
  "        for name in set(sys.modules) - before:\n"
  "            if local(name):\n"
  "                del sys.modules[name]\n"
  "    finally:\n"
  "        sys.path[:] = path\n"
  "    if text is not None:\n"
  "        sys.stdout.write('" FACTS_PREFIX "' + text + '\\n')\n"
  "        sys.stdout.flush()\n"
  "    sys.path[0] = cwd\n"
  "    try:\n"
  "        _iwb_watch('" IWB_LINT_IMPORT_ERROR_PREFIX "')\n"
  "    except Exception:\n"
  "        pass\n"
  "_iwb_boot()\n"
  "del _iwb_boot, _iwb_facts, _iwb_watch\n"
  "__import__('runpy')._run_module_as_main('lhub_integ.generate_metadata')\n";

const char *
_iwb_loader_bootstrap_script (void)
{
  static char *script;

  if (g_once_init_enter (&script))
    g_once_init_leave (&script, g_strconcat (iwb_lint_get_facts_function (),
                                             iwb_lint_get_import_watch_function (),
                                             bootstrap_tail, NULL));
  return script;
}
