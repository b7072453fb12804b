/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The header bar's HTTP mode badge: "Replay" or "Recording" whenever the
 * session's HTTP mode is not live, so a demo answered from a cassette is
 * never mistaken for live traffic. It follows the session's "http-mode",
 * "cassette-path" and "replay-strict".
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-http-mode-group.h"
#include "iwb-window-private.h"

static void
update_badge (IwbWindow *self)
{
  IwbHttpMode mode = iwb_session_get_http_mode (self->session);
  const char *text = iwb_http_mode_badge_text (mode);
  g_autofree char *tooltip = iwb_http_mode_dup_badge_tooltip (self->session);

  gtk_label_set_text (GTK_LABEL (self->http_badge_label), text ? text : "");
  gtk_image_set_from_icon_name (GTK_IMAGE (self->http_badge_icon),
                                mode == IWB_HTTP_MODE_RECORD ? "media-record-symbolic" : "media-playlist-repeat-symbolic");
  gtk_widget_set_tooltip_text (self->http_badge, tooltip);
  gtk_widget_set_visible (self->http_badge, text != NULL);
  gtk_widget_remove_css_class (self->http_badge, "replay");
  gtk_widget_remove_css_class (self->http_badge, "record");
  gtk_widget_add_css_class (self->http_badge, mode == IWB_HTTP_MODE_RECORD ? "record" : "replay");
}

void
_iwb_window_http_badge_init (IwbWindow *self)
{
  self->http_badge = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  self->http_badge_icon = gtk_image_new ();
  self->http_badge_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->http_badge, "http-mode-badge");
  gtk_widget_set_valign (self->http_badge, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->http_badge), self->http_badge_icon);
  gtk_box_append (GTK_BOX (self->http_badge), self->http_badge_label);
  adw_header_bar_pack_end (ADW_HEADER_BAR (self->content_header), self->http_badge);
  g_signal_connect_object (self->session, "notify::http-mode", G_CALLBACK (update_badge), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::cassette-path", G_CALLBACK (update_badge), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::replay-strict", G_CALLBACK (update_badge), self, G_CONNECT_SWAPPED);
  update_badge (self);
}

const char *
_iwb_window_get_http_badge (IwbWindow *self)
{
  if (!gtk_widget_get_visible (self->http_badge))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (self->http_badge_label));
}
