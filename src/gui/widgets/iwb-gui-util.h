/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small helpers shared by the GUI's widgets. */
#pragma once

#include <adwaita.h>
#include <gtksourceview/gtksource.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A source view for JSON / plain text that follows the light/dark style. */
GtkWidget *iwb_source_view_new          (const char *language_id,
                                         gboolean    editable);
/* One line of JSON, or the string itself for a JSON string. */
char      *iwb_json_to_compact_text     (JsonNode   *node);
char      *iwb_json_to_pretty_text      (JsonNode   *node);
/* "1.2 s", "350 ms", "2 min 3 s" */
char      *iwb_format_duration          (gint64      duration_us);
/* Shows a toast in the AdwToastOverlay of @widget's window, if any. */
void       iwb_widget_show_toast        (GtkWidget  *widget,
                                         const char *title);
/* Escape closes @window, as in every secondary window of a GNOME app. */
void       iwb_window_close_on_escape   (GtkWindow  *window);

G_END_DECLS
