/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Finding the interpreter, the bundled runtime, and the allow-listed
 * environment of every child that runs integration code (IwbChild runs it).
 */
#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iwb-child.h"
#include "iwb-child-private.h"
#include "iwb-error.h"
#include "iwb-python.h"
#include "iwb-file.h"

struct _IwbPython
{
  GObject       parent_instance;
  char         *requested; /* as given: a path, a name on PATH, or NULL */
  char         *resolved;  /* absolute path once found */
  IwbSdkChoice  sdk;
};

G_DEFINE_FINAL_TYPE (IwbPython, iwb_python, G_TYPE_OBJECT)

/* Variables of the parent that may reach an integration: what a shell on the
 * platform's container would have too (locale, proxy, CA bundles). Everything
 * else, including the user's tokens in their own environment, stays out. */
static const char * const passthrough_vars[] = {
  "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR",
  "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
  "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR",
  NULL
};

static void
iwb_python_finalize (GObject *object)
{
  IwbPython *self = IWB_PYTHON (object);

  g_free (self->requested);
  g_free (self->resolved);

  G_OBJECT_CLASS (iwb_python_parent_class)->finalize (object);
}

static void
iwb_python_class_init (IwbPythonClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = iwb_python_finalize;
}

static void
iwb_python_init (IwbPython *self)
{
}

/**
 * iwb_python_new:
 * @interpreter: (nullable): a path or a program name; %NULL for the default
 *   (`$IWB_PYTHON` if set, else `python3` on `PATH`)
 * @sdk: which `lhub_integ` the children import
 */
IwbPython *
iwb_python_new (const char   *interpreter,
                IwbSdkChoice  sdk)
{
  IwbPython *self = g_object_new (IWB_TYPE_PYTHON, NULL);

  if (interpreter != NULL && interpreter[0] != '\0')
    self->requested = g_strdup (interpreter);
  self->sdk = sdk;

  return self;
}

const char *
iwb_python_get_requested (IwbPython *self)
{
  g_return_val_if_fail (IWB_IS_PYTHON (self), NULL);
  return self->requested;
}

IwbSdkChoice
iwb_python_get_sdk (IwbPython *self)
{
  g_return_val_if_fail (IWB_IS_PYTHON (self), IWB_SDK_BUNDLED);
  return self->sdk;
}

gboolean
iwb_sdk_choice_from_string (const char   *str,
                            IwbSdkChoice *out)
{
  if (g_strcmp0 (str, "bundled") == 0)
    *out = IWB_SDK_BUNDLED;
  else if (g_strcmp0 (str, "installed") == 0)
    *out = IWB_SDK_INSTALLED;
  else
    return FALSE;
  return TRUE;
}

/**
 * iwb_python_resolve:
 *
 * Returns: (transfer none): the absolute path of the interpreter, or %NULL
 *   with @error set when it cannot be found or is not executable.
 */
const char *
iwb_python_resolve (IwbPython  *self,
                    GError    **error)
{
  const char *wanted;
  g_autofree char *found = NULL;

  g_return_val_if_fail (IWB_IS_PYTHON (self), NULL);

  if (self->resolved != NULL)
    return self->resolved;

  wanted = self->requested;
  if (wanted == NULL)
    wanted = g_getenv ("IWB_PYTHON");
  if (wanted == NULL || wanted[0] == '\0')
    wanted = "python3";

  if (strchr (wanted, '/') != NULL)
    {
      if (!g_file_test (wanted, G_FILE_TEST_IS_EXECUTABLE) ||
          g_file_test (wanted, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_PYTHON_NOT_FOUND,
                       _("Python interpreter “%s” does not exist or is not executable; "
                       "choose another one in Preferences or with --python"),
                       wanted);
          return NULL;
        }
      if (g_path_is_absolute (wanted))
        found = g_strdup (wanted);
      else
        found = g_canonicalize_filename (wanted, NULL);
    }
  else
    {
      found = g_find_program_in_path (wanted);
      if (found == NULL)
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_PYTHON_NOT_FOUND,
                       _("No “%s” on PATH; install python3 (apt-get install python3) "
                       "or choose an interpreter in Preferences or with --python"),
                       wanted);
          return NULL;
        }
    }

  self->resolved = g_steal_pointer (&found);
  return self->resolved;
}

static gboolean
running_from_build_tree (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  return exe != NULL && g_str_has_prefix (exe, IWB_BUILD_ROOT "/");
}

/**
 * iwb_relocate_installed_path:
 * @path: an absolute path under the configured prefix (IWB_PREFIX)
 *
 * Where @path is for the running installed executable: when it does not
 * run from the configured bindir but from OTHER/bin (a `meson install
 * --destdir` staging tree, a tree copied elsewhere), the same path under
 * OTHER, if it exists there; else @path itself.
 *
 * Returns: (transfer full): the path to use
 */
char *
iwb_relocate_installed_path (const char *path)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = NULL;
  g_autofree char *bin_name = g_path_get_basename (IWB_BINDIR);
  g_autofree char *exe_bin_name = NULL;
  g_autofree char *other = NULL;
  g_autofree char *candidate = NULL;
  gsize prefix_len = strlen (IWB_PREFIX);

  if (exe == NULL || !g_str_has_prefix (path, IWB_PREFIX) ||
      (path[prefix_len] != '/' && path[prefix_len] != '\0'))
    return g_strdup (path);
  exe_dir = g_path_get_dirname (exe);
  if (g_str_equal (exe_dir, IWB_BINDIR))
    return g_strdup (path);
  exe_bin_name = g_path_get_basename (exe_dir);
  if (!g_str_equal (exe_bin_name, bin_name))
    return g_strdup (path);
  other = g_path_get_dirname (exe_dir);
  candidate = g_strconcat (other, path + prefix_len, NULL);
  if (g_file_test (candidate, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&candidate);
  return g_strdup (path);
}

/**
 * iwb_python_get_runtime_dir:
 *
 * The folder that holds the bundled `lhub_integ`: `$IWB_PYTHON_DIR` when
 * set, the source tree's `python/` when running from the build tree (tests,
 * the README's command), else the installed copy (relocated with the
 * executable, see iwb_relocate_installed_path()).
 */
const char *
iwb_python_get_runtime_dir (void)
{
  static char *dir;

  if (g_once_init_enter (&dir))
    {
      const char *env = g_getenv ("IWB_PYTHON_DIR");
      char *value;

      if (env != NULL && env[0] != '\0')
        value = g_strdup (env);
      else if (running_from_build_tree ())
        value = g_strdup (IWB_SOURCE_PYTHON_DIR);
      else
        value = iwb_relocate_installed_path (IWB_PYTHON_INSTALL_DIR);

      g_once_init_leave (&dir, value);
    }

  return dir;
}

/**
 * iwb_python_get_capture_speedups:
 *
 * Where a capture child's iwb_host looks for its C accelerator
 * (`IWB_HOST_SPEEDUPS`, iwb_host/_speedups.c): this process's own
 * `$IWB_HOST_SPEEDUPS` when set (`0`: the Python hooks alone); the build
 * tree's `python/` folder when the children run the source tree's iwb_host
 * from the build tree; %NULL installed (the launcher looks in its own
 * package folder, where the module is installed).
 */
const char *
iwb_python_get_capture_speedups (void)
{
  const char *env = g_getenv ("IWB_HOST_SPEEDUPS");

  if (env != NULL)
    return env;
  if (running_from_build_tree () && g_str_equal (iwb_python_get_runtime_dir (), IWB_SOURCE_PYTHON_DIR))
    return IWB_BUILD_ROOT "/python";
  return NULL;
}

/* PYTHONPYCACHEPREFIX of the children: a mirror tree of their sources' folders. */
static char *
bytecode_dir (void)
{
  return g_build_filename (iwb_user_cache_dir (), "integration-workbench", "python-bytecode", NULL);
}

/* Removes the .pyc files under @mirror (the bytecode of @source_dir's
 * modules) that are older than their source. */
static void
forget_stale_in (const char *mirror,
                 const char *source_dir,
                 guint       depth)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (depth > 32 || (dir = g_dir_open (mirror, 0, NULL)) == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (mirror, name, NULL);
      GStatBuf pyc, source;

      if (g_lstat (path, &pyc) != 0)
        continue;
      if (S_ISDIR (pyc.st_mode))
        {
          g_autofree char *sub = g_build_filename (source_dir, name, NULL);

          forget_stale_in (path, sub, depth + 1);
        }
      else if (S_ISREG (pyc.st_mode) && g_str_has_suffix (name, ".pyc"))
        {
          /* NAME.TAG.pyc or NAME.TAG.opt-N.pyc: the source is NAME.py */
          g_autofree char *stem = g_strndup (name, strlen (name) - strlen (".pyc"));
          char *dot = strrchr (stem, '.');
          g_autofree char *source_path = NULL;

          if (dot != NULL && g_str_has_prefix (dot, ".opt-"))
            {
              *dot = '\0';
              dot = strrchr (stem, '.');
            }
          if (dot == NULL)
            continue;
          *dot = '\0';
          source_path = g_strconcat (source_dir, G_DIR_SEPARATOR_S, stem, ".py", NULL);
          if (g_stat (source_path, &source) == 0 &&
              (source.st_mtim.tv_sec > pyc.st_mtim.tv_sec ||
               (source.st_mtim.tv_sec == pyc.st_mtim.tv_sec && source.st_mtim.tv_nsec >= pyc.st_mtim.tv_nsec)))
            g_unlink (path);
        }
    }
}

/**
 * iwb_python_forget_stale_bytecode:
 * @folder: an integration folder, about to be imported by a child
 *
 * Removes the cached bytecode of @folder's own modules (under the
 * children's PYTHONPYCACHEPREFIX) that was written before their source last
 * changed. Python takes a .pyc for current when the source's modification
 * time in whole seconds and its size are the ones it recorded, so an edit
 * of the same size within the same second as the version it compiled
 * would run the old code; the loader and the runs call this before they
 * start Python in @folder. Costs a stat per module; the workbench's runtime
 * and site-packages are not touched.
 */
void
iwb_python_forget_stale_bytecode (const char *folder)
{
  g_autofree char *prefix = NULL;
  g_autofree char *real = NULL;

  g_return_if_fail (folder != NULL);

  prefix = bytecode_dir ();
  real = realpath (folder, NULL);
  /* Python names the .pyc after the path it imported from: the folder as
   * given (sys.path[0]) or as the working directory (getcwd: the real path) */
  for (guint i = 0; i < 2; i++)
    {
      const char *source = i == 0 ? folder : real;
      g_autofree char *mirror = NULL;

      if (source == NULL || !g_path_is_absolute (source) || (i == 1 && g_strcmp0 (real, folder) == 0))
        continue;
      mirror = g_build_filename (prefix, source, NULL);
      forget_stale_in (mirror, source, 0);
    }
}

/**
 * iwb_python_build_environ:
 * @extra: (nullable): `KEY=VALUE` strings added last (they win)
 *
 * A clean environment for a child: only #passthrough_vars and `LC_*` of the
 * parent, the Python settings the workbench relies on, then @extra.
 *
 * Returns: (transfer full): an environment for g_subprocess_launcher_set_environ()
 */
char **
iwb_python_build_environ (IwbPython          *self,
                          const char * const *extra)
{
  g_auto(GStrv) parent = g_get_environ ();
  char **envp = g_new0 (char *, 1);

  g_return_val_if_fail (IWB_IS_PYTHON (self), envp);

  for (guint i = 0; passthrough_vars[i] != NULL; i++)
    {
      const char *value = g_environ_getenv (parent, passthrough_vars[i]);

      if (value != NULL)
        envp = g_environ_setenv (envp, passthrough_vars[i], value, TRUE);
    }
  for (guint i = 0; parent[i] != NULL; i++)
    {
      if (g_str_has_prefix (parent[i], "LC_"))
        {
          const char *eq = strchr (parent[i], '=');
          g_autofree char *key = eq ? g_strndup (parent[i], eq - parent[i]) : NULL;

          if (key != NULL)
            envp = g_environ_setenv (envp, key, eq + 1, TRUE);
        }
    }

  if (g_environ_getenv (envp, "PATH") == NULL)
    envp = g_environ_setenv (envp, "PATH", "/usr/local/bin:/usr/bin:/bin", TRUE);
  if (g_environ_getenv (envp, "LANG") == NULL)
    envp = g_environ_setenv (envp, "LANG", "C.UTF-8", TRUE);

  /* Results must stream as they are printed. The user's folder stays free
   * of __pycache__ litter, yet nothing is compiled again at every start
   * (the bundled runtime, iwb_host and the integration's own modules cost
   * tens of milliseconds to compile): bytecode goes to a mirror tree in our
   * cache folder (PYTHONPYCACHEPREFIX, written atomically by Python and
   * checked against each source's mtime). */
  envp = g_environ_setenv (envp, "PYTHONUNBUFFERED", "1", TRUE);
  envp = g_environ_unsetenv (envp, "PYTHONDONTWRITEBYTECODE");
  {
    g_autofree char *pycache = bytecode_dir ();

    envp = g_environ_setenv (envp, "PYTHONPYCACHEPREFIX", pycache, TRUE);
  }
  envp = g_environ_setenv (envp, "PYTHONIOENCODING", "utf-8", TRUE);
  /* Bundled: our runtime shadows any installed lhub_integ. Installed: no
   * PYTHONPATH at all, so the interpreter's own site-packages answer. */
  if (self->sdk == IWB_SDK_BUNDLED)
    envp = g_environ_setenv (envp, "PYTHONPATH", iwb_python_get_runtime_dir (), TRUE);

  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    {
      const char *eq = strchr (extra[i], '=');
      g_autofree char *key = NULL;

      if (eq == NULL || eq == extra[i])
        continue;
      key = g_strndup (extra[i], eq - extra[i]);
      envp = g_environ_setenv (envp, key, eq + 1, TRUE);
    }

  return envp;
}

/**
 * iwb_python_spawn:
 * @cwd: the integration folder
 * @args: arguments after the interpreter, e.g. `{"-m", "lhub_integ.generate_metadata", NULL}`
 * @envp: (transfer none): from iwb_python_build_environ()
 *
 * Starts the interpreter the way IwbChild starts every child, for callers
 * that want a bare GSubprocess: under the iwb-reaper supervisor (own session
 * and process group, a subreaper that kills the whole tree when the
 * interpreter ends or when this process dies, however it dies: its lifeline
 * pipe, not PR_SET_PDEATHSIG, so any thread may call this); see
 * iwb-child-tree.c and iwb-reaper.c. The GSubprocess's exit status is the
 * interpreter's.
 */
GSubprocess *
iwb_python_spawn (IwbPython          *self,
                  const char         *cwd,
                  const char * const *args,
                  char              **envp,
                  GSubprocessFlags    flags,
                  GError            **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *interpreter;

  g_return_val_if_fail (IWB_IS_PYTHON (self), NULL);

  interpreter = iwb_python_resolve (self, error);
  if (interpreter == NULL)
    return NULL;

  g_ptr_array_add (argv, (gpointer) interpreter);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = _iwb_child_launcher_new (flags);
  g_subprocess_launcher_set_cwd (launcher, cwd);
  g_subprocess_launcher_set_environ (launcher, envp);
  return _iwb_child_spawnv (launcher, (const char * const *) argv->pdata, error);
}

/**
 * iwb_kill_all_process_groups:
 *
 * Kills every child tree this process started (iwb_child_kill_all()), e.g.
 * when the app quits: PR_SET_PDEATHSIG reaches only the direct child, not
 * what an integration started itself.
 */
void
iwb_kill_all_process_groups (void)
{
  iwb_child_kill_all ();
}

/**
 * iwb_kill_process_group:
 * @pid: a child spawned by iwb_python_spawn(), as recorded right after
 *   spawning (g_subprocess_get_identifier() is %NULL once it was reaped)
 *
 * Kills the child's whole tree: its process group, every descendant (those
 * that left the group with setsid() included) and the orphans of children
 * that ended.
 */
void
iwb_kill_process_group (GPid pid)
{
  if (pid <= 1)
    return;
  _iwb_child_kill_tree (pid);
}

/* The pid of a child spawned by iwb_python_spawn(), or 0 once it was reaped. */
GPid
iwb_subprocess_get_pid (GSubprocess *subprocess)
{
  const char *ident = g_subprocess_get_identifier (subprocess);

  return ident != NULL ? (GPid) g_ascii_strtoll (ident, NULL, 10) : 0;
}
