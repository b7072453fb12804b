/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "iwb-error.h"
#include "iwb-logo.h"

#define LOGO_MAX_BYTES   (2 * 1024 * 1024)
#define LOGO_FRESH_SECS  (7 * 24 * 3600)
#define LOGO_TIMEOUT     10

typedef struct
{
  char *url;
  char *cache_path;
} LogoData;

static void
logo_data_free (LogoData *data)
{
  g_free (data->url);
  g_free (data->cache_path);
  g_free (data);
}

char *
iwb_logo_get_cache_path (const char *url)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, url, -1);

  return g_build_filename (g_get_user_cache_dir (), "integration-workbench", "logos", hash, NULL);
}

static GdkTexture *
texture_from_cache (const char  *path,
                    gboolean     only_fresh,
                    GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  if (only_fresh)
    {
      g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                                     G_FILE_QUERY_INFO_NONE, NULL, NULL);
      if (info == NULL)
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND, "no cached logo");
          return NULL;
        }
      if (g_get_real_time () / G_USEC_PER_SEC
          - (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) > LOGO_FRESH_SECS)
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND, "cached logo is stale");
          return NULL;
        }
    }
  return gdk_texture_new_from_file (file, error);
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

  if (bytes != NULL && soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_set_error (&error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                   _("The logo at %s answered HTTP %u"), data->url, soup_message_get_status (msg));
      g_clear_pointer (&bytes, g_bytes_unref);
    }
  if (bytes != NULL && g_bytes_get_size (bytes) > LOGO_MAX_BYTES)
    {
      g_set_error (&error, IWB_ERROR, IWB_ERROR_FAILED,
                   _("The logo at %s is larger than 2 MB"), data->url);
      g_clear_pointer (&bytes, g_bytes_unref);
    }
  if (bytes != NULL)
    texture = gdk_texture_new_from_bytes (bytes, &error);

  if (texture != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (data->cache_path);

      /* The cache is a convenience: failing to write it is not an error. */
      if (g_mkdir_with_parents (dir, 0700) == 0)
        g_file_set_contents (data->cache_path, g_bytes_get_data (bytes, NULL),
                             g_bytes_get_size (bytes), NULL);
      g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
      return;
    }

  /* Offline or gone: an old copy is better than nothing. */
  texture = texture_from_cache (data->cache_path, FALSE, NULL);
  if (texture != NULL)
    g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
iwb_logo_load_async (const char          *url,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  LogoData *data;

  g_task_set_source_tag (task, iwb_logo_load_async);

  if (url == NULL || !(g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://")))
    {
      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                               _("The integration has no http(s) logoUrl"));
      return;
    }

  data = g_new0 (LogoData, 1);
  data->url = g_strdup (url);
  data->cache_path = iwb_logo_get_cache_path (url);
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
      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_FAILED,
                               _("The logoUrl “%s” is not a valid URL"), url);
      return;
    }
  session = soup_session_new_with_options ("timeout", LOGO_TIMEOUT,
                                           "user-agent", "integration-workbench/" PACKAGE_VERSION,
                                           NULL);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_LOW, cancellable,
                                    fetched, g_steal_pointer (&task));
}

GdkTexture *
iwb_logo_load_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
