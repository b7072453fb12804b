/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-gui-util.h"
#include "iwb-json.h"

static void
update_scheme (AdwStyleManager *manager,
               GParamSpec      *pspec,
               GtkSourceBuffer *buffer)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (manager) ? "Adwaita-dark" : "Adwaita";
  GtkSourceStyleScheme *scheme = gtk_source_style_scheme_manager_get_scheme (schemes, id);

  if (scheme != NULL)
    gtk_source_buffer_set_style_scheme (buffer, scheme);
}

GtkWidget *
iwb_source_view_new (const char *language_id,
                     gboolean    editable)
{
  g_autoptr(GtkSourceBuffer) buffer = gtk_source_buffer_new (NULL);
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkWidget *view;

  if (language_id != NULL)
    {
      GtkSourceLanguage *language =
        gtk_source_language_manager_get_language (gtk_source_language_manager_get_default (),
                                                  language_id);
      if (language != NULL)
        gtk_source_buffer_set_language (buffer, language);
    }
  gtk_source_buffer_set_highlight_syntax (buffer, language_id != NULL);
  update_scheme (manager, NULL, buffer);
  g_signal_connect_object (manager, "notify::dark", G_CALLBACK (update_scheme), buffer, 0);

  view = gtk_source_view_new_with_buffer (buffer);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), editable);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_source_view_set_tab_width (GTK_SOURCE_VIEW (view), 2);
  gtk_source_view_set_auto_indent (GTK_SOURCE_VIEW (view), TRUE);

  return view;
}

char *
iwb_json_to_compact_text (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");
  return iwb_json_to_string (node, FALSE);
}

char *
iwb_json_to_pretty_text (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("");
  return iwb_json_to_string (node, TRUE);
}

char *
iwb_format_duration (gint64 duration_us)
{
  if (duration_us < 0)
    duration_us = 0;
  if (duration_us < G_USEC_PER_SEC)
    /* Translators: a duration in milliseconds */
    return g_strdup_printf (_("%d ms"), (int) (duration_us / 1000));
  if (duration_us < 60 * G_USEC_PER_SEC)
    /* Translators: a duration in seconds */
    return g_strdup_printf (_("%.1f s"), duration_us / (double) G_USEC_PER_SEC);
  /* Translators: a duration in minutes and seconds */
  return g_strdup_printf (_("%d min %d s"),
                          (int) (duration_us / (60 * G_USEC_PER_SEC)),
                          (int) ((duration_us / G_USEC_PER_SEC) % 60));
}

void
iwb_widget_show_toast (GtkWidget  *widget,
                       const char *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

void
iwb_window_close_on_escape (GtkWindow *window)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (GTK_WIDGET (window), keys);
}
