/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "iwb-error.h"
#include "iwb-logo.h"
#include "iwb-file.h"

#define LOGO_MAX_BYTES   (2 * 1024 * 1024)
#define LOGO_FRESH_SECS  (7 * 24 * 3600)
#define LOGO_TIMEOUT     10

typedef struct
{
  char  *url;
  char  *cache_path;
  GFile *folder;      /* nullable */
} LogoData;

static void
logo_data_free (LogoData *data)
{
  g_free (data->url);
  g_free (data->cache_path);
  g_clear_object (&data->folder);
  g_free (data);
}

/**
 * iwb_logo_get_cache_path:
 * @url: a logoUrl
 *
 * Returns: (transfer full): where the logo fetched from @url is kept:
 *   $XDG_CACHE_HOME/integration-workbench/logos/SHA256-OF-URL
 */
char *
iwb_logo_get_cache_path (const char *url)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, url, -1);

  return g_build_filename (iwb_user_cache_dir (), "integration-workbench", "logos", hash, NULL);
}

/* An image file of at most LOGO_MAX_BYTES; with @max_age_secs >= 0, only
 * if it was written at most that long ago. */
static GdkTexture *
texture_from_file (GFile   *file,
                   gint64   max_age_secs,
                   GError **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  GdkTexture *texture;

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED,
                            G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND, _("%s is not a file"), name);
      return NULL;
    }
  if (g_file_info_get_size (info) > LOGO_MAX_BYTES)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED, _("%s is larger than 2 MB"), name);
      return NULL;
    }
  if (max_age_secs >= 0
      && g_get_real_time () / G_USEC_PER_SEC
         - (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) > max_age_secs)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND, _("The cached logo %s is stale"), name);
      return NULL;
    }
  texture = gdk_texture_new_from_file (file, error);
  if (texture == NULL && error != NULL)
    g_prefix_error (error, "%s: ", name);
  return texture;
}

static GdkTexture *
texture_from_cache (const char  *path,
                    gboolean     only_fresh,
                    GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return texture_from_file (file, only_fresh ? LOGO_FRESH_SECS : -1, error);
}

/* The logo shipped in the integration folder, if any. */
static GdkTexture *
texture_from_folder (GFile   *folder,
                     GError **error)
{
  static const char * const names[] = { IWB_LOGO_LOCAL_NAMES, NULL };
  g_autoptr(GError) first_error = NULL;

  if (folder == NULL)
    return NULL;
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_get_child (folder, names[i]);
      g_autoptr(GError) local_error = NULL;
      GdkTexture *texture = texture_from_file (file, -1, &local_error);

      if (texture != NULL)
        return texture;
      /* a logo file that is there but cannot be shown is worth saying */
      if (first_error == NULL && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        first_error = g_steal_pointer (&local_error);
    }
  if (first_error != NULL)
    g_propagate_error (error, g_steal_pointer (&first_error));
  return NULL;
}

/* The URL could not give a logo (@why says why): an older cached copy, else
 * the folder's own logo, else an error that says both. */
static void
return_fallback (GTask  *task,
                 GError *why)
{
  LogoData *data = g_task_get_task_data (task);
  g_autoptr(GError) local_error = NULL;
  GdkTexture *texture;

  texture = texture_from_cache (data->cache_path, FALSE, NULL);
  if (texture == NULL)
    texture = texture_from_folder (data->folder, &local_error);
  if (texture != NULL)
    {
      g_task_return_pointer (task, texture, g_object_unref);
      return;
    }

  if (local_error != NULL)
    g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                             /* Translators: the first %s says why the logoUrl gave no
                              * logo, the second why the folder's logo file cannot be shown */
                             _("%s; the integration folder’s logo cannot be shown either: %s"),
                             why->message, local_error->message);
  else if (data->folder != NULL)
    g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                             /* Translators: %s says why the logoUrl gave no logo */
                             _("%s. For a logo that works offline, put a logo.svg or "
                               "logo.png in the integration folder"),
                             why->message);
  else
    g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_NOT_FOUND, "%s", why->message);
}

static void
fetched (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LogoData *data = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(GdkTexture) texture = NULL;
  guint status = msg != NULL ? soup_message_get_status (msg) : 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (bytes == NULL)
    {
      g_autoptr(GError) why = g_error_new (IWB_ERROR, IWB_ERROR_NOT_FOUND,
                                           _("The logo at %s cannot be fetched: %s"),
                                           data->url, error->message);
      return_fallback (task, why);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_autoptr(GError) why = g_error_new (IWB_ERROR, IWB_ERROR_NOT_FOUND,
                                           _("The logo at %s answered HTTP %u"), data->url, status);
      return_fallback (task, why);
      return;
    }
  if (g_bytes_get_size (bytes) > LOGO_MAX_BYTES)
    {
      g_autoptr(GError) why = g_error_new (IWB_ERROR, IWB_ERROR_FAILED,
                                           _("The logo at %s is larger than 2 MB"), data->url);
      return_fallback (task, why);
      return;
    }
  texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture == NULL)
    {
      g_autoptr(GError) why = g_error_new (IWB_ERROR, IWB_ERROR_NOT_FOUND,
                                           _("The logo at %s is not an image: %s"),
                                           data->url, error->message);
      return_fallback (task, why);
      return;
    }

  {
    g_autofree char *dir = g_path_get_dirname (data->cache_path);

    /* The cache is a convenience: failing to write it is not an error. */
    if (g_mkdir_with_parents (dir, 0700) == 0)
      g_file_set_contents (data->cache_path, g_bytes_get_data (bytes, NULL),
                           g_bytes_get_size (bytes), NULL);
  }
  g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
}

void
iwb_logo_load_for_folder_async (const char          *url,
                                GFile               *folder,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  LogoData *data;

  g_return_if_fail (folder == NULL || G_IS_FILE (folder));

  g_task_set_source_tag (task, iwb_logo_load_for_folder_async);

  if (url == NULL || !(g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://")))
    {
      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                               _("The integration has no http(s) logoUrl"));
      return;
    }

  data = g_new0 (LogoData, 1);
  data->url = g_strdup (url);
  data->cache_path = iwb_logo_get_cache_path (url);
  data->folder = folder != NULL ? g_object_ref (folder) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) logo_data_free);

  texture = texture_from_cache (data->cache_path, TRUE, NULL);
  if (texture != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
      return;
    }

  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_autoptr(GError) why = g_error_new (IWB_ERROR, IWB_ERROR_FAILED,
                                           _("The logoUrl “%s” is not a valid URL"), url);
      return_fallback (task, why);
      return;
    }
  session = soup_session_new_with_options ("timeout", LOGO_TIMEOUT,
                                           "user-agent", "integration-workbench/" PACKAGE_VERSION,
                                           NULL);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_LOW, cancellable,
                                    fetched, g_steal_pointer (&task));
}

void
iwb_logo_load_async (const char          *url,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  iwb_logo_load_for_folder_async (url, NULL, cancellable, callback, user_data);
}

GdkTexture *
iwb_logo_load_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
