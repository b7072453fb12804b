/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* An integration's logo. The logoUrl is the logo, as on the platform: it is
 * fetched with libsoup3 and cached under
 * $XDG_CACHE_HOME/integration-workbench/logos/; a cached copy younger than a
 * week answers without the network. When the URL cannot be reached (no
 * network, an error status, not an image), an older cached copy answers,
 * else the logo shipped in the integration folder (IWB_LOGO_LOCAL_NAMES),
 * so that examples and demos show their logos offline. Without a logoUrl
 * there is no logo (the SDK's semantics), whatever the folder holds. */

/* Looked for in the integration folder, in this order. */
#define IWB_LOGO_LOCAL_NAMES "logo.svg", "logo.png"

char       *iwb_logo_get_cache_path        (const char          *url);

/* @folder (nullable): the integration folder, for the offline fallback. */
void        iwb_logo_load_for_folder_async (const char          *url,
                                            GFile               *folder,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* The same without a folder to fall back to. */
void        iwb_logo_load_async            (const char          *url,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* Errors: IWB_ERROR_NOT_FOUND (no http(s) logoUrl, or nothing could be
 * shown: the message says why and what to do), G_IO_ERROR_CANCELLED. */
GdkTexture *iwb_logo_load_finish           (GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
