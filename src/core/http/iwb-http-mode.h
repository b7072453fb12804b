/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How a run's HTTP calls go: to the network (live), to the network and into
 * a cassette (record), or answered from a cassette without a socket
 * (replay). Shared by IwbRun (core/process), IwbSession and IwbProfile
 * (core/session): it includes nothing of theirs.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  IWB_HTTP_MODE_LIVE,
  IWB_HTTP_MODE_RECORD,
  IWB_HTTP_MODE_REPLAY,
} IwbHttpMode;

#define IWB_TYPE_HTTP_MODE (iwb_http_mode_get_type ())
GType        iwb_http_mode_get_type    (void) G_GNUC_CONST;

/* "live", "record", "replay" */
const char  *iwb_http_mode_to_string   (IwbHttpMode  mode);
/* FALSE (and @out untouched) for anything else; case-insensitive. */
gboolean     iwb_http_mode_from_string (const char  *text,
                                        IwbHttpMode *out);

G_END_DECLS
