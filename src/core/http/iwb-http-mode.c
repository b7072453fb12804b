/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "iwb-http-mode.h"

G_DEFINE_ENUM_TYPE (IwbHttpMode, iwb_http_mode,
  G_DEFINE_ENUM_VALUE (IWB_HTTP_MODE_LIVE, "live"),
  G_DEFINE_ENUM_VALUE (IWB_HTTP_MODE_RECORD, "record"),
  G_DEFINE_ENUM_VALUE (IWB_HTTP_MODE_REPLAY, "replay"))

static const char * const mode_names[] = { "live", "record", "replay" };

const char *
iwb_http_mode_to_string (IwbHttpMode mode)
{
  if ((guint) mode < G_N_ELEMENTS (mode_names))
    return mode_names[mode];
  return "live";
}

gboolean
iwb_http_mode_from_string (const char  *text,
                           IwbHttpMode *out)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (mode_names); i++)
    if (g_ascii_strcasecmp (text, mode_names[i]) == 0)
      {
        if (out != NULL)
          *out = (IwbHttpMode) i;
        return TRUE;
      }
  return FALSE;
}
