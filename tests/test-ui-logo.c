/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The integration's logo (src/gui/widgets/iwb-logo.c) with real HTTP on
 * 127.0.0.1 and real files: fetched and cached under
 * $XDG_CACHE_HOME/integration-workbench/logos, a fresh cached copy answers
 * without the network, and when the logoUrl cannot be reached an older
 * cached copy, else the logo shipped in the integration folder; the
 * examples show their own logos in the window with no network.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "iwb-error.h"
#include "iwb-logo.h"
#include "iwb-window-private.h"
#include "test-ui-util.h"

static IwbApplication *app;

typedef struct
{
  SoupServer *server;
  GBytes     *png;        /* a 3x2 image served at /logo.png */
  char       *base;       /* http://127.0.0.1:PORT */
  guint       requests;
} Service;

static void
serve (SoupServer        *server,
       SoupServerMessage *msg,
       const char        *path,
       GHashTable        *query,
       gpointer           user_data)
{
  Service *service = user_data;

  service->requests++;
  if (g_str_equal (path, "/logo.png"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (service->png, NULL),
                                        g_bytes_get_size (service->png));
    }
  else if (g_str_equal (path, "/not-an-image.png"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_STATIC,
                                        "<html>gone</html>", 17);
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
service_start (Service *service)
{
  guchar pixels[4 * 3 * 2] = { 0x20, 0x40, 0x60, 0xff };
  g_autoptr(GBytes) pixel_bytes = g_bytes_new (pixels, sizeof pixels);
  g_autoptr(GdkTexture) source = gdk_memory_texture_new (3, 2, GDK_MEMORY_R8G8B8A8, pixel_bytes, 12);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  service->png = gdk_texture_save_to_png_bytes (source);
  service->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (service->server, NULL, serve, service, NULL);
  soup_server_listen_local (service->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (service->server);
  service->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
service_stop (Service *service)
{
  if (service->server != NULL)
    soup_server_disconnect (service->server);
  g_clear_object (&service->server);
  g_clear_pointer (&service->png, g_bytes_unref);
  g_clear_pointer (&service->base, g_free);
}

/* A URL on 127.0.0.1 where nothing listens: the connection is refused, as
 * any URL is with the network off. */
static char *
unreachable_url (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);   /* bound, never listened: refused */
  return g_strdup_printf ("http://127.0.0.1:%u%s", port, path);
}

/* Where the logo of @url must be cached, built from the environment (not
 * from the code under test). */
static char *
expected_cache_path (const char *url)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, url, -1);
  const char *cache_home = g_getenv ("XDG_CACHE_HOME");

  g_assert_nonnull (cache_home);
  return g_build_filename (cache_home, "integration-workbench", "logos", hash, NULL);
}

static void
logo_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GdkTexture *
load_logo (const char    *url,
           GFile         *folder,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  iwb_logo_load_for_folder_async (url, folder, cancellable, logo_done, &result);
  WAIT_FOR (result != NULL, WAIT_SECONDS);
  return iwb_logo_load_finish (result, error);
}

static GFile *
temp_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("iwb-logo-XXXXXX", &error);

  g_assert_no_error (error);
  return g_file_new_for_path (dir);
}

static void
remove_folder (GFile *folder)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;
  GFile *child;

  while (children != NULL && g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
    g_file_delete (child, NULL, NULL);
  g_assert_true (g_file_delete (folder, NULL, NULL));
}

static void
copy_into (GFile      *folder,
           const char *source_path,
           const char *name)
{
  g_autoptr(GFile) source = g_file_new_for_path (source_path);
  g_autoptr(GFile) target = g_file_get_child (folder, name);
  g_autoptr(GError) error = NULL;

  g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
write_into (GFile      *folder,
            const char *name,
            const char *text)
{
  g_autoptr(GFile) target = g_file_get_child (folder, name);
  g_autoptr(GError) error = NULL;

  g_file_replace_contents (target, text, strlen (text), NULL, FALSE,
                           G_FILE_CREATE_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
make_stale (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  guint64 eight_days_ago = g_get_real_time () / G_USEC_PER_SEC - 8 * 24 * 3600;

  g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, eight_days_ago,
                               G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
}

/* ---------------------------------------------------------------------- */

/* Each example ships a logo of its own that GTK can show. */
static void
test_examples_ship_logos (void)
{
  const char *examples[] = { "chat-notify", "ticket-tracker" };

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autoptr(GFile) folder = ui_test_folder ("examples", examples[i], NULL);
      g_autofree char *url = unreachable_url ("/logo.svg");
      g_autofree char *cache = expected_cache_path (url);
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = load_logo (url, folder, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, 128);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, 128);
      /* the folder's file is not the URL's logo: nothing is cached */
      g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));
    }
}

/* The order: fresh cache, the URL, stale cache, the folder's logo. */
static void
test_fallback_order (void)
{
  Service service = { 0 };
  g_autoptr(GFile) folder = temp_folder ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *logo_svg = ui_test_source_path ("examples", "ticket-tracker", "logo.svg", NULL);
  g_autofree char *url = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *cache_from_api = NULL;

  copy_into (folder, logo_svg, "logo.svg");
  service_start (&service);
  url = g_strconcat (service.base, "/logo.png", NULL);
  cache = expected_cache_path (url);
  cache_from_api = iwb_logo_get_cache_path (url);
  g_assert_cmpstr (cache_from_api, ==, cache);
  g_remove (cache);

  /* reachable: the URL's logo, not the folder's, and cached */
  texture = load_logo (url, folder, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 3);
  g_assert_cmpuint (service.requests, ==, 1);
  g_assert_true (g_file_test (cache, G_FILE_TEST_IS_REGULAR));
  g_clear_object (&texture);

  /* fresh in the cache: no request */
  texture = load_logo (url, folder, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 3);
  g_assert_cmpuint (service.requests, ==, 1);
  g_clear_object (&texture);

  /* stale: asked again */
  make_stale (cache);
  texture = load_logo (url, folder, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 3);
  g_assert_cmpuint (service.requests, ==, 2);
  g_clear_object (&texture);

  /* offline with a stale copy: the copy (the URL's logo) wins over the folder's */
  service_stop (&service);
  make_stale (cache);
  texture = load_logo (url, folder, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 3);
  g_clear_object (&texture);

  /* offline without a copy: the folder's logo */
  g_assert_no_errno (g_remove (cache));
  texture = load_logo (url, folder, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 128);
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));
  g_clear_object (&texture);

  remove_folder (folder);
}

/* A PNG in the folder, HTTP errors and answers that are not images. */
static void
test_http_failures (void)
{
  Service service = { 0 };
  g_autoptr(GFile) folder = temp_folder ();
  guchar pixels[4 * 5 * 4] = { 0 };
  g_autoptr(GBytes) pixel_bytes = g_bytes_new (pixels, sizeof pixels);
  g_autoptr(GdkTexture) local = gdk_memory_texture_new (5, 4, GDK_MEMORY_R8G8B8A8, pixel_bytes, 20);
  g_autoptr(GFile) png = g_file_get_child (folder, "logo.png");
  g_autofree char *png_path = g_file_get_path (png);
  const char *paths[] = { "/missing.png", "/not-an-image.png" };

  g_assert_true (gdk_texture_save_to_png (local, png_path));
  service_start (&service);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = g_strconcat (service.base, paths[i], NULL);
      g_autofree char *cache = expected_cache_path (url);
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = NULL;

      g_remove (cache);
      texture = load_logo (url, folder, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, 5);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, 4);
      g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));
    }

  service_stop (&service);
  remove_folder (folder);
}

/* Nothing to show: an error that says why and what to do. */
static void
test_errors (void)
{
  g_autoptr(GFile) empty = temp_folder ();
  g_autoptr(GFile) broken = temp_folder ();
  g_autoptr(GFile) example = ui_test_folder ("examples", "chat-notify", NULL);
  g_autofree char *url = unreachable_url ("/logo.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  /* no logo in the folder: the reason, the URL and the remedy */
  texture = load_logo (url, empty, NULL, &error);
  g_assert_null (texture);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, url));
  g_assert_nonnull (strstr (error->message, "logo.svg"));
  g_clear_error (&error);

  /* no folder at all (iwb_logo_load_async) */
  {
    g_autoptr(GAsyncResult) result = NULL;

    iwb_logo_load_async (url, NULL, logo_done, &result);
    WAIT_FOR (result != NULL, WAIT_SECONDS);
    texture = iwb_logo_load_finish (result, &error);
    g_assert_null (texture);
    g_assert_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, url));
    g_clear_error (&error);
  }

  /* a logo file that is not an image: said, with its name */
  write_into (broken, "logo.svg", "<svg this is not");
  texture = load_logo (url, broken, NULL, &error);
  g_assert_null (texture);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "logo.svg"));
  g_clear_error (&error);

  /* an invalid logoUrl falls back like an unreachable one */
  texture = load_logo ("http://[::1", example, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 128);
  g_clear_object (&texture);

  /* the SDK's semantics: no logoUrl, no logo, whatever the folder holds */
  texture = load_logo (NULL, example, NULL, &error);
  g_assert_null (texture);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  texture = load_logo ("logo.svg", example, NULL, &error);
  g_assert_null (texture);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  remove_folder (empty);
  remove_folder (broken);
}

/* Cancelled is cancelled, even with a logo to fall back to. */
static void
test_cancel (void)
{
  g_autoptr(GFile) example = ui_test_folder ("examples", "chat-notify", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *url = unreachable_url ("/logo.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  g_cancellable_cancel (cancellable);
  texture = load_logo (url, example, cancellable, &error);
  g_assert_null (texture);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The window on an example whose logoUrl cannot be reached shows the
 * example's own logo, and says nothing went wrong. */
static void
test_window_offline (void)
{
  g_autoptr(GFile) folder = temp_folder ();
  g_autofree char *main_py = ui_test_source_path ("examples", "chat-notify", "main.py", NULL);
  g_autofree char *logo_svg = ui_test_source_path ("examples", "chat-notify", "logo.svg", NULL);
  g_autofree char *url = unreachable_url ("/preferences-system-notifications.svg");
  g_autofree char *text = NULL;
  g_autofree char *rewritten = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) logo_line = g_regex_new ("^logoUrl: .*$", G_REGEX_MULTILINE, 0, &error);
  g_autofree char *replacement = NULL;
  IwbWindow *window;
  GdkPaintable *paintable;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (main_py, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_regex_match (logo_line, text, 0, NULL));
  replacement = g_strconcat ("logoUrl: ", url, NULL);
  rewritten = g_regex_replace_literal (logo_line, text, -1, 0, replacement, 0, &error);
  g_assert_no_error (error);
  write_into (folder, "main.py", rewritten);
  copy_into (folder, logo_svg, "logo.svg");

  window = iwb_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  iwb_window_open_folder (window, folder);
  WAIT_FOR (g_strcmp0 (iwb_window_get_state (window), "loading") != 0, WAIT_SECONDS);
  g_assert_cmpstr (iwb_window_get_state (window), ==, "integration");
  g_assert_cmpstr (iwb_integration_get_logo_url (iwb_session_get_integration (window->session)), ==, url);

  WAIT_FOR (gtk_image_get_storage_type (window->logo_image) == GTK_IMAGE_PAINTABLE, WAIT_SECONDS);
  paintable = gtk_image_get_paintable (window->logo_image);
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (paintable)), ==, 128);
  g_assert_null (gtk_widget_get_tooltip_text (GTK_WIDGET (window->logo_image)));

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_flush ();
  remove_folder (folder);
}

static void
add_tests (void)
{
  g_test_add_func ("/ui/logo/examples-ship-logos", test_examples_ship_logos);
  g_test_add_func ("/ui/logo/fallback-order", test_fallback_order);
  g_test_add_func ("/ui/logo/http-failures", test_http_failures);
  g_test_add_func ("/ui/logo/errors", test_errors);
  g_test_add_func ("/ui/logo/cancel", test_cancel);
  g_test_add_func ("/ui/logo/window-offline", test_window_offline);
}

int
main (int   argc,
      char *argv[])
{
  return iwb_test_ui_main (argc, argv, &app, add_tests);
}
