/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The integration's logo from its logoUrl: fetched with libsoup3, cached
 * under g_get_user_cache_dir(); the cached copy answers while it is fresh
 * and whenever the network does not. */
char       *iwb_logo_get_cache_path (const char          *url);
void        iwb_logo_load_async     (const char          *url,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
GdkTexture *iwb_logo_load_finish    (GAsyncResult        *result,
                                     GError             **error);

G_END_DECLS
