/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbHttpModeGroup: the Connection page's "HTTP Traffic" group: Live,
 * Record to cassette…, Replay from cassette… (a cassette file chooser) and
 * the strict replay switch. It sets the session's HTTP mode, which every
 * validation and run then uses, and follows it when it changes elsewhere
 * (a profile loaded).
 */
#pragma once

#include <adwaita.h>

#include "iwb-session.h"

G_BEGIN_DECLS

#define IWB_TYPE_HTTP_MODE_GROUP (iwb_http_mode_group_get_type ())
G_DECLARE_FINAL_TYPE (IwbHttpModeGroup, iwb_http_mode_group, IWB, HTTP_MODE_GROUP, AdwPreferencesGroup)

GtkWidget *iwb_http_mode_group_new        (IwbSession       *session);
/* What choosing a mode in the combo row does, without its file chooser:
 * @cassette (nullable for LIVE) is the file to record into / replay from. */
void       iwb_http_mode_group_set_mode   (IwbHttpModeGroup *self,
                                           IwbHttpMode       mode,
                                           const char       *cassette);

/* "Replay" / "Recording" for the header bar's badge (NULL when live), and
 * its tooltip (owned). */
const char *iwb_http_mode_badge_text      (IwbHttpMode       mode);
char       *iwb_http_mode_dup_badge_tooltip (IwbSession     *session);

G_END_DECLS
