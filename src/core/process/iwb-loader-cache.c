/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The metadata cache of IwbLoader: see iwb-loader-cache.h. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "iwb-loader-cache.h"
#include "iwb-file.h"

#define MAX_FILES        2000
#define MAX_DEPTH        6
#define MAX_CONTENT      (4 * 1024 * 1024) /* bytes of the folder's files hashed */
#define CACHE_VERSION    "iwb-metadata-cache-1"
#define MAX_ENTRIES      256               /* older entries are removed */

typedef struct
{
  GChecksum *sum;
  guint      files;
  gsize      content;
  gboolean   too_big;
} Walk;

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* Names in a stable order, so the key does not depend on readdir's. */
static void
hash_tree (Walk       *w,
           const char *root,
           const char *rel,
           guint       depth,
           gboolean    with_content)
{
  g_autofree char *path = rel ? g_build_filename (root, rel, NULL) : g_strdup (root);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL || depth > MAX_DEPTH)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (!g_str_equal (name, "__pycache__") && !g_str_equal (name, ".git"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len && !w->too_big; i++)
    {
      g_autofree char *child_rel = rel ? g_build_filename (rel, names->pdata[i], NULL)
                                       : g_strdup (names->pdata[i]);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);
      GStatBuf st;

      if (g_stat (child, &st) != 0)
        continue;
      if (++w->files > MAX_FILES)
        {
          w->too_big = TRUE;
          return;
        }
      g_checksum_update (w->sum, (const guchar *) child_rel, strlen (child_rel) + 1);
      if (S_ISDIR (st.st_mode))
        {
          g_checksum_update (w->sum, (const guchar *) "/", 2);
          hash_tree (w, root, child_rel, depth + 1, with_content);
        }
      else if (S_ISREG (st.st_mode))
        {
          char stamp[64];

          g_snprintf (stamp, sizeof stamp, "%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                      (gint64) st.st_size, (gint64) st.st_mtime);
          g_checksum_update (w->sum, (const guchar *) stamp, strlen (stamp) + 1);
          if (with_content)
            {
              g_autofree char *contents = NULL;
              gsize len = 0;

              if (w->content + (gsize) st.st_size > MAX_CONTENT ||
                  !g_file_get_contents (child, &contents, &len, NULL))
                {
                  w->too_big = TRUE;
                  return;
                }
              w->content += len;
              g_checksum_update (w->sum, (const guchar *) contents, len);
            }
        }
    }
}

char *
_iwb_loader_cache_key (IwbPython  *python,
                       const char *interpreter,
                       const char *folder)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_auto(GStrv) envp = iwb_python_build_environ (python, NULL);
  Walk w = { sum, 0, 0, FALSE };
  GStatBuf st;
  char stamp[64];

  g_checksum_update (sum, (const guchar *) CACHE_VERSION, -1);
  g_checksum_update (sum, (const guchar *) interpreter, strlen (interpreter) + 1);
  if (g_stat (interpreter, &st) == 0)
    {
      g_snprintf (stamp, sizeof stamp, "%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                  (gint64) st.st_size, (gint64) st.st_mtime);
      g_checksum_update (sum, (const guchar *) stamp, strlen (stamp) + 1);
    }
  g_snprintf (stamp, sizeof stamp, "sdk=%d", (int) iwb_python_get_sdk (python));
  g_checksum_update (sum, (const guchar *) stamp, strlen (stamp) + 1);
  /* The child's environment: what module-level code can see. */
  for (guint i = 0; envp[i] != NULL; i++)
    g_checksum_update (sum, (const guchar *) envp[i], strlen (envp[i]) + 1);
  /* The bundled runtime (names, sizes, times) when it is the one used. */
  if (iwb_python_get_sdk (python) == IWB_SDK_BUNDLED)
    hash_tree (&w, iwb_python_get_runtime_dir (), NULL, 0, FALSE);
  w.files = 0;
  w.too_big = FALSE;
  /* The folder, contents included: an edit of the same size within the
   * same second still changes the key. */
  g_checksum_update (sum, (const guchar *) folder, strlen (folder) + 1);
  hash_tree (&w, folder, NULL, 0, TRUE);
  if (w.too_big)
    return NULL;
  return g_strdup (g_checksum_get_string (sum));
}

static char *
cache_path (const char *key)
{
  return g_build_filename (iwb_user_cache_dir (), "integration-workbench", "metadata",
                           key, NULL);
}

gboolean
_iwb_loader_cache_read (const char  *key,
                        char       **facts,
                        char       **result)
{
  g_autofree char *path = cache_path (key);
  g_autofree char *contents = NULL;
  gsize len = 0;
  char *nl;

  if (!g_file_get_contents (path, &contents, &len, NULL) || strlen (contents) != len)
    return FALSE;
  /* line 1: the facts (may be empty); line 2: the [result] text */
  nl = strchr (contents, '\n');
  if (nl == NULL || nl[1] == '\0')
    return FALSE;
  *nl = '\0';
  *facts = contents[0] != '\0' ? g_strdup (contents) : NULL;
  *result = g_strdup (nl + 1);
  return TRUE;
}

void
_iwb_loader_cache_write (const char *key,
                         const char *facts,
                         const char *result)
{
  g_autofree char *path = cache_path (key);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;

  if (strchr (result, '\n') != NULL || (facts != NULL && strchr (facts, '\n') != NULL))
    return;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return;
  /* Bounded: beyond MAX_ENTRIES, the least recently written go. */
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      g_ptr_array_add (entries, g_build_filename (dir, name, NULL));
    if (entries->len >= MAX_ENTRIES)
      {
        gint64 oldest_time = G_MAXINT64;
        const char *oldest = NULL;

        for (guint i = 0; i < entries->len; i++)
          {
            GStatBuf st;

            if (g_stat (entries->pdata[i], &st) == 0 && (gint64) st.st_mtime < oldest_time)
              {
                oldest_time = st.st_mtime;
                oldest = entries->pdata[i];
              }
          }
        if (oldest != NULL)
          g_unlink (oldest);
      }
  }
  text = g_strconcat (facts ? facts : "", "\n", result, NULL);
  /* A cache: failing to write it costs the next load some time, nothing else. */
  g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL);
}
