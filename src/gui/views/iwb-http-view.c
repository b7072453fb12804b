/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbHttpView: the table of calls. Exchanges are queued and spliced into the
 * list model in batches from an idle (like the run view's results); the
 * waterfall bars of the rows on screen are rescaled once per batch. The
 * detail pane is in iwb-http-view-detail.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-gui-util.h"
#include "iwb-har.h"
#include "iwb-http-curl.h"
#include "iwb-http-view-private.h"
#include "iwb-http-waterfall.h"

#define BATCH_SIZE      200
#define FLUSH_BUDGET_US 4000

G_DEFINE_FINAL_TYPE (IwbHttpView, iwb_http_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_N_EXCHANGES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gint64
started_us (IwbHttpExchange *exchange)
{
  GDateTime *started = iwb_http_exchange_get_started (exchange);

  return g_date_time_to_unix (started) * G_USEC_PER_SEC + g_date_time_get_microsecond (started);
}

char *
iwb_http_status_text (IwbHttpExchange  *exchange,
                      const char      **style_class)
{
  const char *kind = iwb_http_exchange_get_error_kind (exchange);
  guint status = iwb_http_exchange_get_status (exchange);
  const char *style;
  char *text;

  if (kind != NULL && status == 0)
    {
      style = "error";
      if (g_str_equal (kind, "refused"))
        text = g_strdup (_("Refused"));
      else if (g_str_equal (kind, "dns"))
        text = g_strdup (_("DNS error"));
      else if (g_str_equal (kind, "timeout"))
        text = g_strdup (_("Timed out"));
      else if (g_str_equal (kind, "certificate"))
        text = g_strdup (_("Certificate"));
      else if (g_str_equal (kind, "tls"))
        text = g_strdup (_("TLS error"));
      else if (g_str_equal (kind, "reset"))
        text = g_strdup (_("Reset"));
      else if (g_str_equal (kind, "closed"))
        text = g_strdup (_("Closed"));
      else if (g_str_equal (kind, "not_recorded"))
        text = g_strdup (_("Not recorded"));
      else
        text = g_strdup (_("Failed"));
    }
  else
    {
      text = status > 0 ? g_strdup_printf ("%u", status) : g_strdup (_("Failed"));
      style = status >= 500 || status == 0 ? "error"
              : status >= 400 ? "warning"
              : status >= 300 ? "accent"
              : status >= 200 ? "success" : "dim-label";
      if (kind != NULL)
        style = "error";
    }
  if (style_class != NULL)
    *style_class = style;
  return text;
}

/* --- the table's columns --------------------------------------------------- */

typedef enum
{
  COLUMN_METHOD,
  COLUMN_STATUS,
  COLUMN_HOST,
  COLUMN_PATH,
  COLUMN_DURATION,
  COLUMN_TIMELINE,
  COLUMN_SIZE,
} Column;

static void
setup_label (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  column)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_INT (column) == COLUMN_DURATION
                                           || GPOINTER_TO_INT (column) == COLUMN_SIZE ? 1.0f : 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), GPOINTER_TO_INT (column) == COLUMN_PATH
                                              ? PANGO_ELLIPSIZE_MIDDLE : PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (GPOINTER_TO_INT (column) == COLUMN_METHOD || GPOINTER_TO_INT (column) == COLUMN_STATUS)
    gtk_widget_add_css_class (label, "heading");
  if (GPOINTER_TO_INT (column) == COLUMN_DURATION || GPOINTER_TO_INT (column) == COLUMN_SIZE)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_label (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  column)
{
  IwbHttpExchange *exchange = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;
  const char *tooltip = NULL;
  const char *style = NULL;

  for (const char * const *c = (const char *[]) { "success", "accent", "warning", "error", "dim-label", NULL }; *c; c++)
    gtk_widget_remove_css_class (label, *c);
  switch (GPOINTER_TO_INT (column))
    {
    case COLUMN_METHOD:
      text = g_strdup (iwb_http_exchange_get_method (exchange) ? iwb_http_exchange_get_method (exchange) : "—");
      break;
    case COLUMN_STATUS:
      text = iwb_http_status_text (exchange, &style);
      tooltip = iwb_http_exchange_get_error_message (exchange) ? iwb_http_exchange_get_error_message (exchange)
                : iwb_http_exchange_get_reason (exchange);
      break;
    case COLUMN_HOST:
      text = g_strdup (iwb_http_exchange_get_host (exchange));
      break;
    case COLUMN_PATH:
      text = g_strdup (iwb_http_exchange_get_path (exchange));
      tooltip = iwb_http_exchange_get_url (exchange);
      break;
    case COLUMN_DURATION:
      {
        double ms = iwb_http_exchange_get_timing (exchange, IWB_HTTP_TIMING_TOTAL);

        text = ms >= 0 ? iwb_format_duration ((gint64) (ms * 1000)) : g_strdup ("—");
      }
      break;
    case COLUMN_SIZE:
      {
        gint64 size = iwb_http_exchange_get_body_size (exchange, IWB_HTTP_PART_RESPONSE);

        text = size >= 0 ? g_format_size ((guint64) size) : g_strdup ("—");
        if (size < 0)
          style = "dim-label";
      }
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, tooltip);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
}

static void
setup_waterfall (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 IwbHttpView              *self)
{
  gtk_list_item_set_child (item, iwb_http_waterfall_new ());
}

static void
bind_waterfall (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                IwbHttpView              *self)
{
  IwbHttpWaterfall *bar = IWB_HTTP_WATERFALL (gtk_list_item_get_child (item));

  iwb_http_waterfall_set_range (bar, self->origin_us, self->span_ms);
  iwb_http_waterfall_set_exchange (bar, gtk_list_item_get_item (item));
  g_hash_table_add (self->waterfalls, bar);
}

static void
unbind_waterfall (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  IwbHttpView              *self)
{
  IwbHttpWaterfall *bar = IWB_HTTP_WATERFALL (gtk_list_item_get_child (item));

  g_hash_table_remove (self->waterfalls, bar);
  iwb_http_waterfall_set_exchange (bar, NULL);
}

static void
teardown_waterfall (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    IwbHttpView              *self)
{
  g_hash_table_remove (self->waterfalls, gtk_list_item_get_child (item));
}

static void
add_column (IwbHttpView *self,
            const char  *title,
            Column       column,
            gboolean     expand,
            int          fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *col;

  if (column == COLUMN_TIMELINE)
    {
      g_signal_connect (factory, "setup", G_CALLBACK (setup_waterfall), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_waterfall), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_waterfall), self);
      g_signal_connect (factory, "teardown", G_CALLBACK (teardown_waterfall), self);
    }
  else
    {
      g_signal_connect (factory, "setup", G_CALLBACK (setup_label), GINT_TO_POINTER (column));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_label), GINT_TO_POINTER (column));
    }
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_column_set_resizable (col, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (col, fixed_width);
  gtk_column_view_append_column (GTK_COLUMN_VIEW (self->list_view), col);
  g_object_unref (col);
}

/* --- batches --------------------------------------------------------------- */

static void
update_count (IwbHttpView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->exchanges));
  guint failed = 0;
  g_autofree char *calls = NULL;
  g_autofree char *text = NULL;
  g_autofree char *span = iwb_format_duration ((gint64) (self->span_ms * 1000));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IwbHttpExchange) exchange = g_list_model_get_item (G_LIST_MODEL (self->exchanges), i);

      if (iwb_http_exchange_get_error_kind (exchange) != NULL || iwb_http_exchange_get_status (exchange) >= 400)
        failed++;
    }
  /* Translators: %u is a number of HTTP calls */
  calls = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u call", "%u calls", n), n);
  if (failed > 0)
    /* Translators: "3 calls · 1 failed · in 1.2 s" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u failed · in %s", "%s · %u failed · in %s", failed),
                            calls, failed, span);
  else
    /* Translators: "3 calls in 1.2 s" */
    text = g_strdup_printf (_("%s in %s"), calls, span);
  gtk_label_set_text (GTK_LABEL (self->count_label), text);
}

/* The scale of the waterfall: from the first start to the last end. */
static void
extend_range (IwbHttpView     *self,
              IwbHttpExchange *exchange,
              gboolean        *first)
{
  gint64 start = started_us (exchange);
  double total = MAX (0.0, iwb_http_exchange_get_timing (exchange, IWB_HTTP_TIMING_TOTAL));
  double end_ms;

  if (*first)
    {
      self->origin_us = start;
      self->span_ms = 0;
      *first = FALSE;
    }
  if (start < self->origin_us)
    {
      self->span_ms += (self->origin_us - start) / 1000.0;
      self->origin_us = start;
    }
  end_ms = (start - self->origin_us) / 1000.0 + total;
  self->span_ms = MAX (self->span_ms, end_ms);
}

/* One slice of the queued exchanges into the list (IwbFrameWork): TRUE
 * while some are left. */
static gboolean
flush_pending (gpointer user_data)
{
  IwbHttpView *self = user_data;
  gint64 deadline = g_get_monotonic_time () + FLUSH_BUDGET_US;
  gboolean first = g_list_model_get_n_items (G_LIST_MODEL (self->exchanges)) == 0;
  GHashTableIter iter;
  gpointer bar;

  do
    {
      guint n = MIN (self->pending->len, BATCH_SIZE);

      for (guint i = 0; i < n; i++)
        extend_range (self, g_ptr_array_index (self->pending, i), &first);
      g_list_store_splice (self->exchanges, g_list_model_get_n_items (G_LIST_MODEL (self->exchanges)), 0,
                           self->pending->pdata, n);
      g_ptr_array_remove_range (self->pending, 0, n);
    }
  while (self->pending->len > 0 && g_get_monotonic_time () < deadline);

  g_hash_table_iter_init (&iter, self->waterfalls);
  while (g_hash_table_iter_next (&iter, &bar, NULL))
    iwb_http_waterfall_set_range (bar, self->origin_us, self->span_ms);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "calls");
  update_count (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_EXCHANGES]);

  return self->pending->len > 0;
}

void
iwb_http_view_add (IwbHttpView     *self,
                   IwbHttpExchange *exchange)
{
  g_return_if_fail (IWB_IS_HTTP_VIEW (self));
  g_return_if_fail (IWB_IS_HTTP_EXCHANGE (exchange));

  g_ptr_array_add (self->pending, g_object_ref (exchange));
  iwb_frame_work_schedule (&self->flush);
}

void
iwb_http_view_clear (IwbHttpView *self)
{
  g_return_if_fail (IWB_IS_HTTP_VIEW (self));

  iwb_frame_work_cancel (&self->flush);
  g_ptr_array_set_size (self->pending, 0);
  g_list_store_remove_all (self->exchanges);
  self->origin_us = 0;
  self->span_ms = 0;
  _iwb_http_view_detail_clear (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
  update_count (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_EXCHANGES]);
}

/* --- selection, actions ---------------------------------------------------- */

static void
selection_changed (IwbHttpView *self)
{
  IwbHttpExchange *exchange = gtk_single_selection_get_selected_item (self->selection);

  _iwb_http_view_detail_show (self, exchange);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "http.copy-curl", exchange != NULL);
}

void
iwb_http_view_select (IwbHttpView *self,
                      guint        position)
{
  g_return_if_fail (IWB_IS_HTTP_VIEW (self));
  gtk_single_selection_set_selected (self->selection, position);
}

IwbHttpExchange *
iwb_http_view_get_selected (IwbHttpView *self)
{
  g_return_val_if_fail (IWB_IS_HTTP_VIEW (self), NULL);
  return gtk_single_selection_get_selected_item (self->selection);
}

char *
iwb_http_view_dup_curl (IwbHttpView *self)
{
  IwbHttpExchange *exchange;

  g_return_val_if_fail (IWB_IS_HTTP_VIEW (self), NULL);

  exchange = iwb_http_view_get_selected (self);
  if (exchange == NULL)
    return NULL;
  return iwb_http_curl_command (exchange, (const char * const *) self->secret_names, NULL);
}

static void
copy_curl_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  IwbHttpView *self = IWB_HTTP_VIEW (widget);
  IwbHttpExchange *exchange = iwb_http_view_get_selected (self);
  g_auto(GStrv) variables = NULL;
  g_autofree char *command = NULL;
  g_autofree char *toast = NULL;

  if (exchange == NULL)
    return;
  command = iwb_http_curl_command (exchange, (const char * const *) self->secret_names, &variables);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), command);
  if (variables != NULL && variables[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", variables);

      /* Translators: %s is a list of shell variable names */
      toast = g_strdup_printf (_("Copied as cURL: set %s first"), list);
    }
  iwb_widget_show_toast (widget, toast ? toast : _("Copied as cURL"));
}

typedef struct
{
  IwbHttpView *view;
  char        *name;
  guint        n;
} Export;

/* The HAR is written on a thread (iwb_har_write_file_async()): a FIFO or a
 * slow disk never holds up the window. */
static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Export *export = user_data;
  IwbHttpView *self = export->view;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (iwb_har_write_file_finish (result, &error))
    /* Translators: %u is a number of calls, %s a file name */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Saved %u call to %s", "Saved %u calls to %s",
                                            export->n),
                               export->n, export->name);
  else
    message = g_strdup (error->message);  /* says which file and why */
  iwb_widget_show_toast (GTK_WIDGET (self), message);
  g_object_unref (export->view);
  g_free (export->name);
  g_free (export);
}

static void
export_response (GtkNativeDialog *dialog,
                 int              response,
                 IwbHttpView     *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = file ? g_file_get_path (file) : NULL;
  if (path != NULL)
    {
      Export *export = g_new0 (Export, 1);

      export->view = g_object_ref (self);
      export->name = g_file_get_basename (file);
      export->n = g_list_model_get_n_items (G_LIST_MODEL (self->exchanges));
      iwb_har_write_file_async (G_LIST_MODEL (self->exchanges), path, NULL, export_done, export);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_har_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  IwbHttpView *self = IWB_HTTP_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Export HTTP Calls as HAR"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "calls.har");
  gtk_file_filter_set_name (filter, _("HTTP Archive (HAR)"));
  gtk_file_filter_add_pattern (filter, "*.har");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* --- accessors ------------------------------------------------------------- */

GListModel *
iwb_http_view_get_exchanges (IwbHttpView *self)
{
  g_return_val_if_fail (IWB_IS_HTTP_VIEW (self), NULL);
  return G_LIST_MODEL (self->exchanges);
}

guint
iwb_http_view_get_n_exchanges (IwbHttpView *self)
{
  g_return_val_if_fail (IWB_IS_HTTP_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->exchanges)) + self->pending->len;
}

guint
iwb_http_view_get_n_pending (IwbHttpView *self)
{
  g_return_val_if_fail (IWB_IS_HTTP_VIEW (self), 0);
  return self->pending->len;
}

void
iwb_http_view_set_secret_names (IwbHttpView        *self,
                                const char * const *names)
{
  g_return_if_fail (IWB_IS_HTTP_VIEW (self));

  g_strfreev (self->secret_names);
  self->secret_names = g_strdupv ((char **) names);
}

/* Whenever the split changes width: the list gets 58 % of it (a fixed
 * position would starve one side in a narrow or a wide place); dragging
 * the handle still works until the next resize. */
static gboolean
keep_split (GtkWidget     *paned,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  IwbHttpView *self = user_data;
  int width = gtk_widget_get_width (paned);

  if (width != self->split_width && width > 200
      && gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)) == GTK_ORIENTATION_HORIZONTAL)
    {
      self->split_width = width;
      gtk_paned_set_position (GTK_PANED (paned), width * 58 / 100);
    }
  return G_SOURCE_CONTINUE;
}

void
iwb_http_view_set_vertical (IwbHttpView *self,
                            gboolean     vertical)
{
  g_return_if_fail (IWB_IS_HTTP_VIEW (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->paned),
                                  vertical ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  if (vertical)
    gtk_paned_set_position (GTK_PANED (self->paned), 200);
}

/* --- object ---------------------------------------------------------------- */

static void
iwb_http_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  IwbHttpView *self = IWB_HTTP_VIEW (object);

  switch (prop_id)
    {
    case PROP_N_EXCHANGES:
      g_value_set_uint (value, iwb_http_view_get_n_exchanges (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_http_view_dispose (GObject *object)
{
  IwbHttpView *self = IWB_HTTP_VIEW (object);

  iwb_frame_work_cancel (&self->flush);
  g_clear_pointer (&self->stack, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), IWB_TYPE_HTTP_VIEW);
  G_OBJECT_CLASS (iwb_http_view_parent_class)->dispose (object);
}

static void
iwb_http_view_finalize (GObject *object)
{
  IwbHttpView *self = IWB_HTTP_VIEW (object);

  g_clear_object (&self->exchanges);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->waterfalls, g_hash_table_unref);
  g_clear_pointer (&self->secret_names, g_strfreev);
  for (guint i = 0; i < 2; i++)
    g_clear_pointer (&self->bodies[i].note_text, g_free);
  g_clear_pointer (&self->status_text, g_free);
  g_clear_pointer (&self->error_text, g_free);
  G_OBJECT_CLASS (iwb_http_view_parent_class)->finalize (object);
}

static void
iwb_http_view_class_init (IwbHttpViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = iwb_http_view_dispose;
  object_class->finalize = iwb_http_view_finalize;
  object_class->get_property = iwb_http_view_get_property;

  properties[PROP_N_EXCHANGES] =
    g_param_spec_uint ("n-exchanges", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lhub/IntegrationWorkbench/iwb-http-view.ui");
  gtk_widget_class_bind_template_child (widget_class, IwbHttpView, stack);
  gtk_widget_class_bind_template_child (widget_class, IwbHttpView, paned);
  gtk_widget_class_bind_template_child (widget_class, IwbHttpView, count_label);
  gtk_widget_class_bind_template_child (widget_class, IwbHttpView, list_view);
  gtk_widget_class_bind_template_child (widget_class, IwbHttpView, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, IwbHttpView, detail_title);
  gtk_widget_class_bind_template_child (widget_class, IwbHttpView, detail_status);
  gtk_widget_class_bind_template_child (widget_class, IwbHttpView, detail_error);
  gtk_widget_class_bind_template_child (widget_class, IwbHttpView, request_headers);
  gtk_widget_class_bind_template_child (widget_class, IwbHttpView, response_headers);
  gtk_widget_class_bind_template_child (widget_class, IwbHttpView, request_body_bin);
  gtk_widget_class_bind_template_child (widget_class, IwbHttpView, response_body_bin);
  gtk_widget_class_install_action (widget_class, "http.copy-curl", NULL, copy_curl_action);
  gtk_widget_class_install_action (widget_class, "http.export-har", NULL, export_har_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "httpview");
}

static void
iwb_http_view_init (IwbHttpView *self)
{
  self->exchanges = g_list_store_new (IWB_TYPE_HTTP_EXCHANGE);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  iwb_frame_work_init (&self->flush, GTK_WIDGET (self), flush_pending, self);
  self->waterfalls = g_hash_table_new (g_direct_hash, g_direct_equal);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->exchanges)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (selection_changed), self);
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->list_view), GTK_SELECTION_MODEL (self->selection));

  /* Translators: the HTTP method column (GET, POST…) */
  add_column (self, C_("http column", "Method"), COLUMN_METHOD, FALSE, 66);
  /* wide enough for "Certificate", "Not recorded"… in bold, not "Certifi…" */
  add_column (self, C_("http column", "Status"), COLUMN_STATUS, FALSE, 124);
  add_column (self, C_("http column", "Host"), COLUMN_HOST, FALSE, 116);
  add_column (self, C_("http column", "Path"), COLUMN_PATH, TRUE, -1);
  add_column (self, C_("http column", "Time"), COLUMN_DURATION, FALSE, 66);
  add_column (self, C_("http column", "Timeline"), COLUMN_TIMELINE, FALSE, 96);
  add_column (self, C_("http column", "Size"), COLUMN_SIZE, FALSE, 78);

  gtk_widget_add_tick_callback (self->paned, keep_split, self, NULL);
  _iwb_http_view_detail_init (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "http.copy-curl", FALSE);
  update_count (self);
}

GtkWidget *
iwb_http_view_new (void)
{
  return g_object_new (IWB_TYPE_HTTP_VIEW, NULL);
}
