/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Paths inside an integration folder that explain a failed load: symbolic
 * links that loop or lead nowhere (Python and the SDK skip or fail on them
 * without saying so), and whether a module name is the integration's own.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-load-error.h"
#include "iwb-load-error-private.h"

/* Why the path @rel (relative to the folder) cannot be opened although it
 * exists as a name: a symbolic link that loops or points to nothing. NULL
 * when it is not such a link. */
char *
_iwb_load_error_broken_link (const char *folder,
                             const char *rel)
{
  g_autofree char *path = g_build_filename (folder, rel, NULL);
  GStatBuf st;
  int saved;

  if (g_lstat (path, &st) != 0 || !S_ISLNK (st.st_mode))
    return NULL;
  if (g_stat (path, &st) == 0)
    return NULL;
  saved = errno;
  if (saved == ELOOP)
    return g_strdup_printf (_("%s is a symbolic link that loops (%s)"),
                            rel, g_strerror (saved));
  return g_strdup_printf (_("%s is a symbolic link to nothing (%s)"), rel, g_strerror (saved));
}

/* Why the .py file @rel (relative to the folder) is not imported although
 * its name is there: it is (or its link leads to) a FIFO, a device or a
 * socket, which Python does not read as a module, or it cannot be read.
 * NULL for a regular, readable file, a folder or a broken link. */
char *
_iwb_load_error_not_a_file (const char *folder,
                            const char *rel)
{
  g_autofree char *path = g_build_filename (folder, rel, NULL);
  const char *kind = NULL;
  GStatBuf st;

  if (g_stat (path, &st) != 0 || S_ISDIR (st.st_mode))
    return NULL;
  if (S_ISFIFO (st.st_mode))
    kind = _("a pipe (FIFO)");
  else if (S_ISCHR (st.st_mode) || S_ISBLK (st.st_mode))
    kind = _("a device");
  else if (S_ISSOCK (st.st_mode))
    kind = _("a socket");
  if (kind != NULL)
    /* Translators: the second %s is "a pipe (FIFO)", "a device" or "a socket" */
    return g_strdup_printf (_("%s is %s, not a file"), rel, kind);
  if (g_access (path, R_OK) != 0)
    return g_strdup_printf (_("%s cannot be read (%s)"), rel, g_strerror (errno));
  return NULL;
}

/* For module a.b.c: a broken link among a, a.py, a/b, a/b.py, a/b/c, a/b/c.py,
 * or one of the .py files that is not a file (a FIFO, a device) or unreadable. */
char *
_iwb_load_error_broken_link_of_module (const char *folder,
                                       const char *module)
{
  g_auto(GStrv) parts = g_strsplit (module, ".", -1);
  g_autoptr(GString) rel = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *as_file = NULL;
      char *reason;

      if (i > 0)
        g_string_append_c (rel, G_DIR_SEPARATOR);
      g_string_append (rel, parts[i]);
      as_file = g_strconcat (rel->str, ".py", NULL);
      if ((reason = _iwb_load_error_broken_link (folder, as_file)) != NULL ||
          (reason = _iwb_load_error_not_a_file (folder, as_file)) != NULL ||
          (reason = _iwb_load_error_broken_link (folder, rel->str)) != NULL)
        return reason;
    }
  return NULL;
}

/* Whether the top-level name of @module is the folder's own (module.py or module/). */
gboolean
_iwb_load_error_is_local_module (const char *folder,
                                 const char *module)
{
  g_autofree char *top = g_strndup (module, strcspn (module, "."));
  g_autofree char *as_dir = g_build_filename (folder, top, NULL);
  g_autofree char *as_file = g_strconcat (as_dir, ".py", NULL);

  return top[0] != '\0' &&
         (g_file_test (as_dir, G_FILE_TEST_IS_DIR) || g_file_test (as_file, G_FILE_TEST_EXISTS));
}

/**
 * iwb_load_error_check_link:
 * @path: a folder to load, or a file
 * @error: set with %IWB_ERROR_NOT_FOUND when @path is a broken link
 *
 * Whether @path is not a symbolic link that loops or points to nothing; such
 * a link is not “not a folder” but a folder that cannot be reached.
 *
 * Returns: %FALSE with @error set when it is such a link
 */
gboolean
iwb_load_error_check_link (const char  *path,
                           GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *reason = _iwb_load_error_broken_link (dir, base);

  if (reason == NULL)
    return TRUE;
  g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
               _("%s: cannot open the folder: %s. Open the folder the link should lead to, "
                 "or fix the link."),
               path, reason);
  return FALSE;
}
