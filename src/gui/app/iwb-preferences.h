/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define IWB_TYPE_PREFERENCES (iwb_preferences_get_type ())
G_DECLARE_FINAL_TYPE (IwbPreferences, iwb_preferences, IWB, PREFERENCES, AdwPreferencesWindow)

/* @settings: (nullable): without a schema the window shows the defaults
 * and changes last for this window only. */
IwbPreferences *iwb_preferences_new                (GSettings      *settings);
void            iwb_preferences_check_interpreter  (IwbPreferences *self);
/* The last check's text (NULL before the first check finished). */
const char     *iwb_preferences_get_check_result   (IwbPreferences *self);
gboolean        iwb_preferences_get_checking       (IwbPreferences *self);

G_END_DECLS
