/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbStore: the connection profiles of every integration, and the last used
 * profile of each.
 *
 * - Non-secret values live in DATA_DIR/profiles.json (DATA_DIR defaults to
 *   iwb_user_data_dir()/integration-workbench), a versioned file
 *   ({"format": 1, "integrations": {REAL_PATH: {"lastProfile",
 *   "profiles": {NAME: IwbProfile JSON}}}}), rewritten atomically (temporary
 *   file, fsync, rename, mode 0600) under an advisory lock
 *   (profiles.json.lock), re-read before every change so that the app and
 *   `iwb` working at once do not undo each other's changes.
 * - A file with a newer "format" is never written: every call that would
 *   change it fails with IWB_ERROR_NEWER_VERSION and says so. A file that is
 *   not readable JSON of the expected shape is renamed aside
 *   (profiles.json.corrupt-DATE) with a warning (iwb_store_get_warnings()),
 *   never silently replaced.
 * - Secret values (iwb_profile_is_secret()) go to the Secret Service through
 *   libsecret: schema APPLICATION_ID, attributes "integration" (the real
 *   path), "profile" (the name) and "parameter" (the id, or
 *   "ENTRYPOINT:ID" for an action parameter). They are never in the JSON.
 *   When there is no Secret Service (no D-Bus session, no keyring, or its
 *   default collection missing or locked), secrets live in this process's
 *   memory only: "secrets-in-memory" becomes TRUE once and a warning is
 *   added, for the front end to show once. Never a clear-text fallback.
 *
 * Threads: the plain functions block (file I/O, D-Bus round trips) and
 * are for the CLI and worker threads; every one of them is safe to call
 * from any thread (one lock per store). A window uses the _async variants,
 * which run the same work in a GTask thread and complete in the caller's
 * thread-default main context. "notify::secrets-in-memory" is emitted in
 * the main context the store was created in.
 */
#pragma once

#include <gio/gio.h>

#include "iwb-profile.h"

G_BEGIN_DECLS

/* the profiles.json format this version writes; a profile's optional
 * "http" member (iwb-profile.h) is a compatible addition within format 1 */
#define IWB_STORE_FORMAT 1
/* The largest profiles file read (a bigger one is refused, left unchanged). */
#define IWB_STORE_MAX_BYTES ((gsize) 256 * 1024 * 1024)

#define IWB_TYPE_STORE (iwb_store_get_type ())
G_DECLARE_FINAL_TYPE (IwbStore, iwb_store, IWB, STORE, GObject)

/* @data_dir: NULL for iwb_user_data_dir()/integration-workbench. Does no I/O. */
IwbStore    *iwb_store_new                  (const char           *data_dir);
const char  *iwb_store_get_path             (IwbStore             *self); /* profiles.json */

/* The key of an integration: its folder's real path (symlinks resolved). */
char        *iwb_store_integration_key      (GFile                *folder);

/* Profile names of @integration (a key), sorted; NULL on a file error. */
char       **iwb_store_list_profiles        (IwbStore             *self,
                                             const char           *integration,
                                             GError              **error);
/* The profile with its secrets fetched; NULL with IWB_ERROR_NOT_FOUND when
 * there is no such profile. A secret the keyring no longer has is left
 * without value and named in a warning. */
IwbProfile  *iwb_store_load_profile         (IwbStore             *self,
                                             const char           *integration,
                                             const char           *name,
                                             GCancellable         *cancellable,
                                             GError              **error);
/* Creates or replaces the profile named iwb_profile_get_name(): secrets to
 * the Secret Service (or memory), the rest to the file. Secrets the profile
 * no longer has are cleared from the keyring. Also makes it the last used. */
gboolean     iwb_store_save_profile         (IwbStore             *self,
                                             const char           *integration,
                                             IwbProfile           *profile,
                                             GCancellable         *cancellable,
                                             GError              **error);
/* Removes the profile and its secrets; IWB_ERROR_NOT_FOUND if none. */
gboolean     iwb_store_delete_profile       (IwbStore             *self,
                                             const char           *integration,
                                             const char           *name,
                                             GCancellable         *cancellable,
                                             GError              **error);
/* Renames, secrets included; IWB_ERROR_FAILED if @new_name is taken. */
gboolean     iwb_store_rename_profile       (IwbStore             *self,
                                             const char           *integration,
                                             const char           *old_name,
                                             const char           *new_name,
                                             GCancellable         *cancellable,
                                             GError              **error);
/* The last used (saved or set) profile of @integration, or NULL. */
char        *iwb_store_dup_last_profile     (IwbStore             *self,
                                             const char           *integration,
                                             GError              **error);
gboolean     iwb_store_set_last_profile     (IwbStore             *self,
                                             const char           *integration,
                                             const char           *name,
                                             GError              **error);

/* TRUE once secrets could not reach the Secret Service (see above). */
gboolean     iwb_store_get_secrets_in_memory (IwbStore            *self);
/* Warnings so far (corrupt file moved aside, secrets in memory, missing
 * secret), oldest first; each is added once. Transfer full. */
char       **iwb_store_dup_warnings         (IwbStore             *self);

/* -- for a window: the same in a worker thread */
void         iwb_store_load_profile_async   (IwbStore             *self,
                                             const char           *integration,
                                             const char           *name,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
IwbProfile  *iwb_store_load_profile_finish  (IwbStore             *self,
                                             GAsyncResult         *result,
                                             GError              **error);
/* @profile is copied before this returns: the caller may keep editing it. */
void         iwb_store_save_profile_async   (IwbStore             *self,
                                             const char           *integration,
                                             IwbProfile           *profile,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean     iwb_store_save_profile_finish  (IwbStore             *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void         iwb_store_delete_profile_async (IwbStore             *self,
                                             const char           *integration,
                                             const char           *name,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean     iwb_store_delete_profile_finish (IwbStore            *self,
                                             GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
