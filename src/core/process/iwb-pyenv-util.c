/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbPyenv: deleting an environment, and the helpers the loader, the CLI
 * and the window call (the interpreter of a folder, advice for a missing
 * module, redacting credentials from messages).
 */
#define _GNU_SOURCE /* nftw */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <glib/gi18n.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iwb-error.h"
#include "iwb-json.h"
#include "iwb-pyenv-private.h"

/* ---------------------------------------------------------------------- */
/* The lock                                                               */

static char *
lock_path (IwbPyenv *self)
{
  return g_strconcat (self->path, ".lock", NULL);
}

int
_iwb_pyenv_lock (IwbPyenv  *self,
                 GError   **error)
{
  g_autofree char *path = lock_path (self);
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED, _("Cannot open %s: %s"),
                   path, g_strerror (saved));
      return -1;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                   _("The environment of %s is being created or deleted by another iwb or "
                     "window (it holds %s): wait for it to end, or end it"),
                   self->folder_path, path);
      return -1;
    }
  return fd;
}

void
_iwb_pyenv_unlock (int fd)
{
  if (fd >= 0)
    close (fd); /* releases the flock; the file stays, harmless */
}

gboolean
_iwb_pyenv_is_locked (IwbPyenv *self)
{
  g_autofree char *path = lock_path (self);
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  gboolean locked;

  if (fd < 0)
    return FALSE;
  locked = flock (fd, LOCK_SH | LOCK_NB) != 0;
  close (fd);
  return locked;
}

/* ---------------------------------------------------------------------- */
/* Deleting                                                               */

static int
remove_one (const char        *path,
            const struct stat *st,
            int                type,
            struct FTW        *ftw)
{
  /* FTW_DEPTH: contents before their folder; FTW_PHYS: a link is removed,
   * never followed. */
  if (remove (path) != 0 && errno != ENOENT)
    return errno;
  return 0;
}

gboolean
_iwb_pyenv_remove_tree (const char  *path,
                        GError     **error)
{
  int rc;

  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return TRUE;
  rc = nftw (path, remove_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
  if (rc != 0)
    {
      int saved = rc > 0 ? rc : errno;

      g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                   _("Cannot remove the environment %s: %s. Remove the folder by hand."),
                   path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
remove_tree_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;

  if (_iwb_pyenv_remove_tree (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
_iwb_pyenv_remove_tree_async (const char          *path,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);

  g_task_set_source_tag (task, _iwb_pyenv_remove_tree_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, remove_tree_thread);
}

static gboolean
check_can_delete (IwbPyenv  *self,
                  GError   **error)
{
  if (self->busy)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                   _("The environment of %s is being created: cancel that first"),
                   self->folder_path);
      return FALSE;
    }
  return TRUE;
}

gboolean
iwb_pyenv_delete (IwbPyenv  *self,
                  GError   **error)
{
  int fd;
  gboolean ok;

  g_return_val_if_fail (IWB_IS_PYENV (self), FALSE);

  if (!check_can_delete (self, error))
    return FALSE;
  if (self->path == NULL || !g_file_test (self->path, G_FILE_TEST_EXISTS))
    {
      iwb_pyenv_refresh (self);
      return TRUE;
    }
  fd = _iwb_pyenv_lock (self, error);
  if (fd < 0)
    return FALSE;
  ok = _iwb_pyenv_remove_tree (self->path, error);
  _iwb_pyenv_unlock (fd);
  iwb_pyenv_refresh (self);
  return ok;
}

static void
on_tree_removed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  IwbPyenv *self = g_task_get_source_object (task);
  GError *error = NULL;

  _iwb_pyenv_unlock (GPOINTER_TO_INT (g_task_get_task_data (task)) - 1);
  _iwb_pyenv_set_busy (self, FALSE);
  iwb_pyenv_refresh (self);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
iwb_pyenv_delete_async (IwbPyenv            *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  int fd;

  g_return_if_fail (IWB_IS_PYENV (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, iwb_pyenv_delete_async);
  if (!check_can_delete (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->path == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  fd = _iwb_pyenv_lock (self, &error);
  if (fd < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, GINT_TO_POINTER (fd + 1), NULL);
  _iwb_pyenv_set_busy (self, TRUE);
  _iwb_pyenv_remove_tree_async (self->path, on_tree_removed, g_steal_pointer (&task));
}

gboolean
iwb_pyenv_delete_finish (IwbPyenv      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* Helpers for the loader, the CLI and the window                         */

gboolean
iwb_pyenv_folder_has_requirements (GFile *folder)
{
  g_autoptr(GFile) file = g_file_get_child (folder, "requirements.txt");

  return g_file_query_exists (file, NULL);
}

IwbPython *
iwb_pyenv_python_for_folder (GFile         *folder,
                             IwbPython     *base,
                             IwbPyenvState *state)
{
  g_autoptr(IwbPyenv) env = NULL;
  IwbPython *python;

  g_return_val_if_fail (G_IS_FILE (folder), NULL);
  g_return_val_if_fail (IWB_IS_PYTHON (base), NULL);

  env = iwb_pyenv_new (folder, base);
  if (state != NULL)
    *state = env->state;
  python = iwb_pyenv_dup_python (env);
  return python != NULL ? python : g_object_ref (base);
}

/* Every "user:password@" after a "://" in @text becomes "****@":
 * index URLs and proxies may carry credentials, and messages must not. */
char *
_iwb_pyenv_redact_url (const char *text)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;
  out = g_string_new (NULL);
  p = text;
  for (;;)
    {
      const char *scheme = strstr (p, "://");
      const char *host, *end, *at = NULL;

      if (scheme == NULL)
        break;
      host = scheme + 3;
      for (end = host; *end != '\0' && strchr ("/ \t\"'<>", *end) == NULL; end++)
        if (*end == '@')
          at = end;
      g_string_append_len (out, p, host - p);
      if (at != NULL)
        {
          g_string_append (out, "****");
          p = at;
        }
      else
        p = host;
    }
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

/* @python may be an environment's own interpreter (the load ran in it):
 * its environment is the one made from the interpreter its stamp names. */
static IwbPython *
dup_base_of (IwbPython *python)
{
  const char *requested = iwb_python_get_requested (python);
  g_autofree char *envs = iwb_pyenv_dup_envs_dir ();
  g_autofree char *prefix = g_strconcat (envs, G_DIR_SEPARATOR_S, NULL);
  g_autofree char *name = NULL;
  g_autofree char *stamp_path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *interpreter;

  if (requested == NULL || !g_str_has_prefix (requested, prefix))
    return g_object_ref (python);
  name = g_strndup (requested + strlen (prefix), strcspn (requested + strlen (prefix), "/"));
  stamp_path = g_build_filename (envs, name, IWB_PYENV_STAMP, NULL);
  if (g_file_get_contents (stamp_path, &text, NULL, NULL))
    root = iwb_json_parse_full (text, -1, IWB_JSON_PARSE_DEFAULT, NULL, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return g_object_ref (python);
  interpreter = json_object_get_string_member_with_default (json_node_get_object (root),
                                                            "interpreter", NULL);
  if (interpreter == NULL || interpreter[0] == '\0')
    return g_object_ref (python);
  return iwb_python_new (interpreter, iwb_python_get_sdk (python));
}

char *
iwb_pyenv_advice_for_missing_module (GFile      *folder,
                                     IwbPython  *base,
                                     const char *module)
{
  g_autoptr(IwbPyenv) env = NULL;
  g_autoptr(IwbPython) real_base = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (G_IS_FILE (folder), NULL);
  g_return_val_if_fail (IWB_IS_PYTHON (base), NULL);
  g_return_val_if_fail (module != NULL, NULL);

  real_base = dup_base_of (base);
  env = iwb_pyenv_new (folder, real_base);
  path = g_file_get_path (folder);
  if (!env->has_requirements)
    return g_strdup_printf (_("The folder has no requirements.txt. On the platform the "
                              "integration's packages come from it: list the package that "
                              "provides “%s” in %s/requirements.txt, then create the "
                              "integration's environment (iwb env create %s, or Create "
                              "Environment in the window)."),
                            module, path, path);
  switch (env->state)
    {
    case IWB_PYENV_STATE_READY:
      return g_strdup_printf (_("The integration's environment (%s) does not provide “%s”: add "
                                "the package that provides it to %s/requirements.txt and "
                                "create the environment again."),
                              env->path, module, path);
    case IWB_PYENV_STATE_STALE:
      return g_strdup_printf (_("requirements.txt changed since the integration's environment "
                                "was made: create it again (iwb env create %s, or Rebuild "
                                "Environment in the window)."), path);
    case IWB_PYENV_STATE_BROKEN:
      return g_strdup_printf (_("The integration's environment is broken (%s) Create it again "
                                "(iwb env create %s)."), env->problem, path);
    case IWB_PYENV_STATE_NONE:
    default:
      return g_strdup_printf (_("%s/requirements.txt lists the integration's packages: create "
                                "its environment to install them (iwb env create %s, or Create "
                                "Environment in the window)."), path, path);
    }
}
