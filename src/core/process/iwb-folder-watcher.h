/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbFolderWatcher: watches an integration folder for hot reload.
 *
 * Relevant files are the top-level `requirements.txt` and every `*.py` file,
 * at the top level and in subfolders (packages the integration imports),
 * including subfolders created or moved in later. Ignored: hidden files and
 * folders (`.git`, `.venv`, `.#x.py`, `.x.py.swp`), `__pycache__`,
 * `node_modules`, virtual environments (folders with a `pyvenv.cfg`), editor
 * backups (`x.py~`) and anything else (`*.pyc`, temporary files).
 *
 * Changes are collected while they keep coming and "changed" is emitted once
 * per burst, when no relevant event arrived for the debounce interval and no
 * relevant file is still being written (GIO reports the end of a write with
 * CHANGES_DONE_HINT: on close, or after two quiet seconds). An editor's save
 * through a temporary file and a rename, or a save in several chunks, is one
 * burst. Symbolic links to folders are not followed.
 *
 * Signals are emitted on the thread-default main context of
 * iwb_folder_watcher_start().
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define IWB_FOLDER_WATCHER_DEFAULT_DEBOUNCE 300 /* milliseconds */

#define IWB_TYPE_FOLDER_WATCHER (iwb_folder_watcher_get_type ())
G_DECLARE_FINAL_TYPE (IwbFolderWatcher, iwb_folder_watcher, IWB, FOLDER_WATCHER, GObject)

IwbFolderWatcher *iwb_folder_watcher_new          (GFile            *folder);
GFile            *iwb_folder_watcher_get_folder   (IwbFolderWatcher *self);

/* Quiet interval that ends a burst; takes effect with the next event. */
void              iwb_folder_watcher_set_debounce (IwbFolderWatcher *self,
                                                   guint             ms);
guint             iwb_folder_watcher_get_debounce (IwbFolderWatcher *self);

/* Starts watching (the folder and its subfolders). Starting a started
 * watcher does nothing. Errors: IWB_ERROR_NOT_FOUND (no such folder),
 * IWB_ERROR_NOT_A_FOLDER, IWB_ERROR_FAILED (the folder cannot be monitored).
 * A subfolder that cannot be monitored is reported with g_warning() and
 * skipped. */
gboolean          iwb_folder_watcher_start        (IwbFolderWatcher *self,
                                                   GError          **error);
/* Stops watching and forgets changes not yet signalled. */
void              iwb_folder_watcher_stop         (IwbFolderWatcher *self);
gboolean          iwb_folder_watcher_is_started   (IwbFolderWatcher *self);

/* While paused (e.g. during a reload of our own), changes are ignored; new
 * subfolders are still tracked so watching stays complete. Changes collected
 * before the pause are signalled after the last resume, one debounce
 * interval later. Calls nest: each pause needs one resume. */
void              iwb_folder_watcher_pause        (IwbFolderWatcher *self);
void              iwb_folder_watcher_resume       (IwbFolderWatcher *self);
gboolean          iwb_folder_watcher_is_paused    (IwbFolderWatcher *self);

/* Signal "changed" (const char * const *paths): the relevant files created,
 * changed, renamed or deleted in the burst, relative to the folder with '/'
 * separators, sorted, each once (a rename names both the old and the new
 * path; a removed subfolder names the relevant files it contained). */

G_END_DECLS
