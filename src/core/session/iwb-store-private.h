/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbStore internals shared by iwb-store*.c. */
#pragma once

#include "iwb-store.h"

G_BEGIN_DECLS

struct _IwbStore
{
  GObject       parent_instance;
  GMutex        lock;
  char         *dir;
  char         *path;
  char         *lock_path;
  GMainContext *context;         /* where notify is emitted */
  gboolean      secret_checked;
  gboolean      secrets_in_memory;
  GHashTable   *memory_secrets;  /* "integration\nprofile\nparameter" -> value */
  GPtrArray    *warnings;
};

/* iwb-store.c; lock held */
void      _iwb_store_add_warning      (IwbStore      *self,
                                       const char    *message);
/* emits notify::secrets-in-memory in the store's main context */
void      _iwb_store_notify_in_memory (IwbStore      *self);

/* iwb-store-secret.c; lock held */
gboolean  _iwb_store_secret_put       (IwbStore      *self,
                                       const char    *integration,
                                       const char    *profile,
                                       const char    *parameter,
                                       const char    *value,
                                       GCancellable  *cancellable,
                                       GError       **error);
char     *_iwb_store_secret_get       (IwbStore      *self,
                                       const char    *integration,
                                       const char    *profile,
                                       const char    *parameter,
                                       GCancellable  *cancellable,
                                       GError       **error);
/* @parameter NULL: every secret of the profile */
void      _iwb_store_secret_clear     (IwbStore      *self,
                                       const char    *integration,
                                       const char    *profile,
                                       const char    *parameter,
                                       GCancellable  *cancellable);
/* "ID" for the connection, "ENTRYPOINT:ID" for an action parameter */
char     *_iwb_store_parameter_key    (const char    *action,
                                       const char    *id);

G_END_DECLS
