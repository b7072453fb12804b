/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "iwb-types.h"
#include "iwb-integration.h"
#include "iwb-python.h"

G_BEGIN_DECLS

#define IWB_LOADER_DEFAULT_TIMEOUT 30

#define IWB_TYPE_LOADER (iwb_loader_get_type ())
G_DECLARE_FINAL_TYPE (IwbLoader, iwb_loader, IWB, LOADER, GObject)

IwbLoader      *iwb_loader_new          (IwbPython           *python);
IwbPython      *iwb_loader_get_python   (IwbLoader           *self);
void            iwb_loader_set_timeout  (IwbLoader           *self,
                                         guint                seconds);
guint           iwb_loader_get_timeout  (IwbLoader           *self);
/* With the cache, a folder whose files, interpreter, SDK and environment
 * are unchanged since a successful load is not imported again: the
 * metadata printed then is used (iwb-loader-cache.h). Off by default (the
 * window's hot reload always imports); the CLI turns it on, unless
 * IWB_NO_METADATA_CACHE is set. */
void            iwb_loader_set_use_cache (IwbLoader          *self,
                                          gboolean            use_cache);
void            iwb_loader_load_async   (IwbLoader           *self,
                                         GFile               *folder,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
IwbIntegration *iwb_loader_load_finish  (IwbLoader           *self,
                                         GAsyncResult        *result,
                                         GError             **error);
char           *iwb_loader_dup_result_text (IwbLoader         *self,
                                            GAsyncResult      *result);

G_END_DECLS
