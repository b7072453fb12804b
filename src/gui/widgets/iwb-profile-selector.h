/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "iwb-session.h"

G_BEGIN_DECLS

#define IWB_TYPE_PROFILE_SELECTOR (iwb_profile_selector_get_type ())
G_DECLARE_FINAL_TYPE (IwbProfileSelector, iwb_profile_selector, IWB, PROFILE_SELECTOR, GtkWidget)

/* The connection profiles of @session's integration: a menu button with the
 * profiles (switch, New Profile…, Rename…, Duplicate…, Delete…), an unsaved
 * changes marker and Save. It opens the folder's profiles (the last used
 * one) when the session's folder has not had them opened yet. Errors and
 * the store's warnings are toasts of the nearest AdwToastOverlay. */
IwbProfileSelector *iwb_profile_selector_new        (IwbSession         *session);
/* Save (Ctrl+S): the current profile, or asks for a name when none. */
void                iwb_profile_selector_save       (IwbProfileSelector *self);
/* Switches to @name, asking first (Save / Discard / Cancel) when the
 * values have unsaved changes. */
void                iwb_profile_selector_switch_to  (IwbProfileSelector *self,
                                                     const char         *name);
/* Whether the current profile has unsaved changes (the marker is shown). */
gboolean            iwb_profile_selector_get_unsaved (IwbProfileSelector *self);
/* Before something that would lose unsaved changes (closing the window):
 * asks Save / Discard / Cancel, as a profile switch does, with @body saying
 * what happens without saving. Finishes TRUE when it may go on (no unsaved
 * changes, Discard, or Save and the profile was saved: secrets in the
 * keyring), FALSE on Cancel or when saving failed (a toast says why). */
void                iwb_profile_selector_ask_unsaved_async  (IwbProfileSelector  *self,
                                                             const char          *body,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean            iwb_profile_selector_ask_unsaved_finish (IwbProfileSelector  *self,
                                                             GAsyncResult        *result);
/* The text of the menu button ("demo", "demo •"), for tests. */
char               *iwb_profile_selector_dup_label  (IwbProfileSelector *self);
/* The dialog shown (a name, a question), or NULL; for tests. */
AdwMessageDialog   *iwb_profile_selector_get_dialog (IwbProfileSelector *self);

G_END_DECLS
