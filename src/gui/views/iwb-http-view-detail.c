/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbHttpView's detail pane: what one call sent and got. Headers as a
 * name/value grid, each body in a read-only GtkSourceView highlighted by its
 * media type (JSON pretty-printed), with a note for what is not shown as
 * text: no body, binary data, a body captured in part.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "iwb-gui-util.h"
#include "iwb-http-view-private.h"
#include "iwb-json.h"

static void
fill_headers (GtkWidget       *grid,
              IwbHttpExchange *exchange,
              IwbHttpPart      part)
{
  GtkWidget *child;
  guint n = exchange ? iwb_http_exchange_get_n_headers (exchange, part) : 0;

  while ((child = gtk_widget_get_first_child (grid)) != NULL)
    gtk_grid_remove (GTK_GRID (grid), child);
  if (exchange != NULL && n == 0)
    {
      GtkWidget *label = gtk_label_new (part == IWB_HTTP_PART_RESPONSE && iwb_http_exchange_get_status (exchange) == 0
                                        ? _("No response came") : _("None"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 2, 1);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *name = gtk_label_new (iwb_http_exchange_get_header_name (exchange, part, i));
      GtkWidget *value = gtk_label_new (iwb_http_exchange_get_header_value (exchange, part, i));

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_yalign (GTK_LABEL (name), 0);
      gtk_label_set_selectable (GTK_LABEL (name), TRUE);
      gtk_widget_set_valign (name, GTK_ALIGN_START);
      gtk_widget_add_css_class (name, "dim-label");
      gtk_widget_add_css_class (name, "http-header-name");
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_label_set_wrap (GTK_LABEL (value), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      gtk_widget_set_hexpand (value, TRUE);
      gtk_widget_add_css_class (value, "monospace");
      gtk_grid_attach (GTK_GRID (grid), name, 0, (int) i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), value, 1, (int) i, 1, 1);
    }
}

/* The GtkSourceView language of a media type, or NULL. */
static const char *
language_for (const char *mime)
{
  if (mime == NULL)
    return NULL;
  if (g_str_equal (mime, "application/json") || g_str_has_suffix (mime, "+json")
      || g_str_equal (mime, "text/json"))
    return "json";
  if (g_str_has_suffix (mime, "/xml") || g_str_has_suffix (mime, "+xml"))
    return "xml";
  if (g_str_equal (mime, "text/html") || g_str_equal (mime, "application/xhtml+xml"))
    return "html";
  if (g_str_has_suffix (mime, "javascript"))
    return "js";
  if (g_str_equal (mime, "text/css"))
    return "css";
  if (g_str_equal (mime, "text/x-python"))
    return "python3";
  return NULL;
}

static void
set_note (IwbHttpBodyPane *pane,
          const char      *text,
          gboolean         warning)
{
  g_free (pane->note_text);
  pane->note_text = g_strdup (text);
  gtk_label_set_text (GTK_LABEL (pane->note), text ? text : "");
  gtk_widget_set_visible (pane->note, text != NULL);
  if (warning)
    gtk_widget_add_css_class (pane->note, "warning");
  else
    gtk_widget_remove_css_class (pane->note, "warning");
}

static void
fill_body (IwbHttpBodyPane *pane,
           IwbHttpExchange *exchange,
           IwbHttpPart      part)
{
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (pane->source)));
  GBytes *body = exchange ? iwb_http_exchange_get_body (exchange, part) : NULL;
  gint64 size = exchange ? iwb_http_exchange_get_body_size (exchange, part) : -1;
  g_autofree char *mime = exchange ? iwb_http_exchange_dup_mime_type (exchange, part) : NULL;
  const char *language_id = language_for (mime);
  g_autofree char *text = NULL;
  gsize length = 0;
  const char *data;

  pane->shown = FALSE;
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (buffer), "", 0);
  gtk_widget_set_visible (pane->scrolled, FALSE);
  if (exchange == NULL)
    {
      set_note (pane, NULL, FALSE);
      return;
    }
  if (body == NULL || size <= 0)
    {
      set_note (pane, part == IWB_HTTP_PART_RESPONSE && iwb_http_exchange_get_status (exchange) == 0
                      ? _("No response came") : _("No body"), FALSE);
      return;
    }
  if (iwb_http_exchange_get_body_is_binary (exchange, part))
    {
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, size);
      /* Translators: %s is a number of bytes */
      g_autofree char *words = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s byte of binary data",
                                                             "%s bytes of binary data", (gulong) MIN ((guint64) size, (guint64) G_MAXULONG)), n);
      g_autofree char *note = mime ? g_strdup_printf ("%s (%s)", words, mime) : g_steal_pointer (&words);

      set_note (pane, note, FALSE);
      return;
    }

  data = g_bytes_get_data (body, &length);
  text = g_utf8_make_valid (data, (gssize) length);
  if (iwb_http_exchange_get_body_truncated (exchange, part))
    {
      g_autofree char *kept = g_format_size ((guint64) length);
      g_autofree char *real = g_format_size ((guint64) size);
      g_autofree char *note = NULL;

      /* Translators: both %s are sizes ("256.0 kB") */
      note = g_strdup_printf (_("Showing the first %s of %s: the capture keeps the beginning of large bodies"), kept, real);
      set_note (pane, note, TRUE);
    }
  else
    {
      g_autoptr(JsonNode) node = NULL;

      set_note (pane, NULL, FALSE);
      /* JSON, by its media type or by its looks, is pretty-printed. */
      if (g_strcmp0 (language_id, "json") == 0 || (language_id == NULL && (text[0] == '{' || text[0] == '[')))
        node = iwb_json_parse (text, strlen (text), NULL);
      if (node != NULL)
        {
          g_free (text);
          text = iwb_json_to_pretty_text (node);
          language_id = "json";
        }
    }

  gtk_source_buffer_set_language (buffer, language_id
                                  ? gtk_source_language_manager_get_language (gtk_source_language_manager_get_default (),
                                                                              language_id)
                                  : NULL);
  gtk_source_buffer_set_highlight_syntax (buffer, language_id != NULL);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (buffer), text, -1);
  gtk_widget_set_visible (pane->scrolled, TRUE);
  pane->shown = TRUE;
}

char *
iwb_http_error_text (IwbHttpExchange *exchange)
{
  const char *kind = iwb_http_exchange_get_error_kind (exchange);
  const char *reason = iwb_http_exchange_get_error_reason (exchange);
  const char *message = iwb_http_exchange_get_error_message (exchange);
  const char *title;

  if (kind == NULL)
    return NULL;
  if (g_str_equal (kind, "refused"))
    title = _("Connection refused: nothing listens on that port, or a firewall refused it");
  else if (g_str_equal (kind, "dns"))
    title = _("The host name could not be resolved (DNS)");
  else if (g_str_equal (kind, "timeout"))
    title = _("Timed out: the service did not answer in time");
  else if (g_str_equal (kind, "certificate"))
    title = _("The service’s TLS certificate was not accepted");
  else if (g_str_equal (kind, "tls"))
    title = _("The TLS handshake failed");
  else if (g_str_equal (kind, "reset"))
    title = _("The service reset the connection");
  else if (g_str_equal (kind, "closed"))
    title = _("The service closed the connection without an answer");
  else if (g_str_equal (kind, "not_recorded"))
    title = _("Not recorded in the cassette: strict replay refuses calls it has no answer for");
  else
    title = _("The call failed");

  if (reason != NULL && reason[0] != '\0' && message != NULL && strstr (message, reason) == NULL)
    return g_strdup_printf ("%s\n%s\n%s", title, reason, message);
  if (reason != NULL && reason[0] != '\0')
    return g_strdup_printf ("%s\n%s", title, reason);
  if (message != NULL && message[0] != '\0')
    return g_strdup_printf ("%s\n%s", title, message);
  return g_strdup (title);
}

static char *
status_line (IwbHttpExchange *exchange)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  guint status = iwb_http_exchange_get_status (exchange);
  double total = iwb_http_exchange_get_timing (exchange, IWB_HTTP_TIMING_TOTAL);
  gint64 size = iwb_http_exchange_get_body_size (exchange, IWB_HTTP_PART_RESPONSE);
  const char *version = iwb_http_exchange_get_http_version (exchange);
  const char *thread = iwb_http_exchange_get_thread (exchange);
  g_autofree char *started = g_date_time_format (iwb_http_exchange_get_started (exchange), "%H:%M:%S");

  if (status > 0)
    g_ptr_array_add (parts, g_strdup_printf ("%u %s", status, iwb_http_exchange_get_reason (exchange)
                                                              ? iwb_http_exchange_get_reason (exchange) : ""));
  else
    g_ptr_array_add (parts, g_strdup (_("No response")));
  if (version != NULL)
    g_ptr_array_add (parts, g_strdup (version));
  if (total >= 0)
    g_ptr_array_add (parts, iwb_format_duration ((gint64) (total * 1000)));
  if (size >= 0)
    g_ptr_array_add (parts, g_format_size ((guint64) size));
  /* Translators: %s is a time of day (UTC) */
  g_ptr_array_add (parts, g_strdup_printf (_("at %s UTC"), started));
  if (thread != NULL && !g_str_equal (thread, "MainThread"))
    /* Translators: %s is a Python thread's name */
    g_ptr_array_add (parts, g_strdup_printf (_("thread %s"), thread));
  if (iwb_http_exchange_get_replayed (exchange))
    g_ptr_array_add (parts, g_strdup (_("replayed from the cassette")));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

void
_iwb_http_view_detail_show (IwbHttpView     *self,
                            IwbHttpExchange *exchange)
{
  g_autofree char *title = NULL;
  const char *style = NULL;
  g_autofree char *status_word = NULL;

  if (exchange == NULL)
    {
      _iwb_http_view_detail_clear (self);
      return;
    }
  title = g_strdup_printf ("%s %s", iwb_http_exchange_get_method (exchange) ? iwb_http_exchange_get_method (exchange) : "",
                           iwb_http_exchange_get_url (exchange));
  gtk_label_set_text (GTK_LABEL (self->detail_title), g_strstrip (title));
  gtk_widget_set_tooltip_text (self->detail_title, iwb_http_exchange_get_url (exchange));

  g_free (self->status_text);
  self->status_text = status_line (exchange);
  gtk_label_set_text (GTK_LABEL (self->detail_status), self->status_text);
  status_word = iwb_http_status_text (exchange, &style);
  for (const char * const *c = (const char *[]) { "success", "accent", "warning", "error", "dim-label", NULL }; *c; c++)
    gtk_widget_remove_css_class (self->detail_status, *c);
  gtk_widget_add_css_class (self->detail_status, style);

  g_free (self->error_text);
  self->error_text = iwb_http_error_text (exchange);
  gtk_label_set_text (GTK_LABEL (self->detail_error), self->error_text ? self->error_text : "");
  gtk_widget_set_visible (self->detail_error, self->error_text != NULL);

  fill_headers (self->request_headers, exchange, IWB_HTTP_PART_REQUEST);
  fill_headers (self->response_headers, exchange, IWB_HTTP_PART_RESPONSE);
  fill_body (&self->bodies[IWB_HTTP_PART_REQUEST], exchange, IWB_HTTP_PART_REQUEST);
  fill_body (&self->bodies[IWB_HTTP_PART_RESPONSE], exchange, IWB_HTTP_PART_RESPONSE);
  gtk_stack_set_visible_child_name (GTK_STACK (self->detail_stack), "detail");
}

void
_iwb_http_view_detail_clear (IwbHttpView *self)
{
  g_clear_pointer (&self->status_text, g_free);
  g_clear_pointer (&self->error_text, g_free);
  fill_headers (self->request_headers, NULL, IWB_HTTP_PART_REQUEST);
  fill_headers (self->response_headers, NULL, IWB_HTTP_PART_RESPONSE);
  fill_body (&self->bodies[IWB_HTTP_PART_REQUEST], NULL, IWB_HTTP_PART_REQUEST);
  fill_body (&self->bodies[IWB_HTTP_PART_RESPONSE], NULL, IWB_HTTP_PART_RESPONSE);
  gtk_stack_set_visible_child_name (GTK_STACK (self->detail_stack), "none");
}

static void
body_pane_init (IwbHttpBodyPane *pane,
                GtkWidget       *bin)
{
  pane->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  pane->note = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (pane->note), 0);
  gtk_label_set_wrap (GTK_LABEL (pane->note), TRUE);
  gtk_widget_add_css_class (pane->note, "http-body-note");
  gtk_widget_set_visible (pane->note, FALSE);
  pane->scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (pane->scrolled, TRUE);
  pane->source = iwb_source_view_new (NULL, FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (pane->source), FALSE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (pane->scrolled), pane->source);
  gtk_box_append (GTK_BOX (pane->box), pane->note);
  gtk_box_append (GTK_BOX (pane->box), pane->scrolled);
  adw_bin_set_child (ADW_BIN (bin), pane->box);
}

void
_iwb_http_view_detail_init (IwbHttpView *self)
{
  body_pane_init (&self->bodies[IWB_HTTP_PART_REQUEST], self->request_body_bin);
  body_pane_init (&self->bodies[IWB_HTTP_PART_RESPONSE], self->response_body_bin);
  _iwb_http_view_detail_clear (self);
}

char *
iwb_http_view_dup_body_text (IwbHttpView *self,
                             IwbHttpPart  part)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (IWB_IS_HTTP_VIEW (self), NULL);

  if (!self->bodies[part].shown)
    return NULL;
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->bodies[part].source));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

const char *
iwb_http_view_get_body_note (IwbHttpView *self,
                             IwbHttpPart  part)
{
  g_return_val_if_fail (IWB_IS_HTTP_VIEW (self), NULL);
  return self->bodies[part].note_text;
}

const char *
iwb_http_view_get_detail_status (IwbHttpView *self)
{
  g_return_val_if_fail (IWB_IS_HTTP_VIEW (self), NULL);
  return self->status_text;
}

const char *
iwb_http_view_get_detail_error (IwbHttpView *self)
{
  g_return_val_if_fail (IWB_IS_HTTP_VIEW (self), NULL);
  return self->error_text;
}
