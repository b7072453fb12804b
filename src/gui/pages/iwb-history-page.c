/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbHistoryPage: the run history of the opened integration (see
 * iwb-history-page.h). Every read is a GTask thread of IwbHistory (SQL
 * search, filter and paging): 10,000 runs open as fast as 100.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-descriptor.h"
#include "iwb-gui-util.h"
#include "iwb-diff-view.h"
#include "iwb-history-page-private.h"

#define PAGE_SIZE 100
/* A page's entries go to the list a screenful first (the list makes a row
 * of widgets for each, about a millisecond apiece on a slow machine), the
 * rest a few at a time between frames. */
#define FIRST_ENTRIES 12
#define MORE_ENTRIES  8

G_DEFINE_FINAL_TYPE (IwbHistoryPage, iwb_history_page, GTK_TYPE_WIDGET)

enum {
  LOADED,
  SHOWN,
  COMPARED,
  RUN_AGAIN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_iwb_history_page_emit_compared (IwbHistoryPage *self)
{
  g_signal_emit (self, signals[COMPARED], 0);
}

static const char * const status_ids[] = {
  NULL, "succeeded", "reported-errors", "failed", "timed-out", "cancelled",
};

/* --- rows ------------------------------------------------------------------- */

const char *
_iwb_history_page_status_icon (const char *status)
{
  if (g_strcmp0 (status, "succeeded") == 0)
    return "emblem-ok-symbolic";
  if (g_strcmp0 (status, "reported-errors") == 0)
    return "dialog-warning-symbolic";
  if (g_strcmp0 (status, "timed-out") == 0)
    return "alarm-symbolic";
  if (g_strcmp0 (status, "cancelled") == 0)
    return "process-stop-symbolic";
  return "dialog-error-symbolic";
}

const char *
_iwb_history_page_status_words (const char *status)
{
  if (g_strcmp0 (status, "succeeded") == 0)
    return _("Succeeded");
  if (g_strcmp0 (status, "reported-errors") == 0)
    return _("Finished with errors");
  if (g_strcmp0 (status, "timed-out") == 0)
    return _("Timed out");
  if (g_strcmp0 (status, "cancelled") == 0)
    return _("Cancelled");
  return _("Failed");
}

/* What the list and the header call a recorded run: the action's name as
 * its page shows it (from the session's descriptor; the entrypoint when the
 * integration no longer has that action), "Connection" for a connection
 * validation. @entrypoint_out (nullable) gets the entrypoint, for a
 * tooltip, when the title is the name. */
static char *
entry_title (IwbHistoryPage   *self,
             IwbHistoryEntry  *entry,
             char            **entrypoint_out)
{
  const char *entrypoint = iwb_history_entry_get_action (entry);
  JsonObject *action = NULL;
  const char *name = NULL;

  if (entrypoint_out != NULL)
    *entrypoint_out = NULL;
  if (entrypoint == NULL)
    return g_strdup (_("Connection"));
  if (self->session != NULL)
    action = iwb_descriptor_find_action (iwb_session_get_descriptor (self->session), entrypoint);
  name = iwb_descriptor_action_get_name (action);
  if (name == NULL || name[0] == '\0')
    name = entrypoint;
  else if (entrypoint_out != NULL && g_strcmp0 (name, entrypoint) != 0)
    *entrypoint_out = g_strdup (entrypoint);
  if (iwb_history_entry_get_kind (entry) == IWB_HISTORY_KIND_VALIDATION)
    /* Translators: %s is an action's name */
    return g_strdup_printf (_("%s (validation)"), name);
  return g_strdup (name);
}

/* "5 minutes ago"-style, and the absolute time for the tooltip. */
char *
_iwb_history_page_relative_time (gint64  started_ms,
               char  **absolute)
{
  g_autoptr(GDateTime) then = g_date_time_new_from_unix_local (started_ms / 1000);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gint64 seconds = g_date_time_difference (now, then) / G_TIME_SPAN_SECOND;

  if (absolute != NULL)
    /* Translators: the date and time a run started, a g_date_time_format()
     * format (strftime-like; %x is the locale's date, %X its time). */
    *absolute = g_date_time_format (then, _("%x %X"));
  if (seconds < 60)
    return g_strdup (_("Just now"));
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago",
                                         (gulong) (seconds / 60)), (int) (seconds / 60));
  if (seconds < 86400)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago",
                                         (gulong) (seconds / 3600)), (int) (seconds / 3600));
  if (seconds < 7 * 86400)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago",
                                         (gulong) (seconds / 86400)), (int) (seconds / 86400));
  /* Translators: the date of a run older than a week, a
   * g_date_time_format() format (%x: the locale's date). */
  return g_date_time_format (then, _("%x"));
}

static char *
entry_details (IwbHistoryEntry *entry)
{
  g_autofree char *duration = iwb_format_duration (iwb_history_entry_get_duration_ms (entry) * 1000);
  guint64 n_in = iwb_history_entry_get_n_inputs (entry);
  guint64 n_out = iwb_history_entry_get_n_results (entry);
  guint64 n_err = iwb_history_entry_get_n_row_errors (entry);
  g_autofree char *in = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu row in",
                                                      "%llu rows in", (gulong) MIN (n_in, G_MAXULONG)), (unsigned long long) n_in);
  g_autofree char *out = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu result",
                                                       "%llu results", (gulong) MIN (n_out, G_MAXULONG)), (unsigned long long) n_out);
  g_autofree char *err = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu row error",
                                                       "%llu row errors", (gulong) MIN (n_err, G_MAXULONG)), (unsigned long long) n_err);

  if (iwb_history_entry_get_kind (entry) == IWB_HISTORY_KIND_VALIDATION)
    return g_steal_pointer (&duration);
  return g_strjoin (" · ", duration, in, out, err, NULL);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *pin = gtk_image_new_from_icon_name ("view-pin-symbolic");
  GtkWidget *when = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (title), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_set_tooltip_text (pin, _("Baseline of this action"));
  gtk_widget_add_css_class (when, "caption");
  gtk_widget_add_css_class (when, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (top), title);
  gtk_box_append (GTK_BOX (top), pin);
  gtk_box_append (GTK_BOX (top), when);
  gtk_box_append (GTK_BOX (labels), top);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), labels);
  g_object_set_data (G_OBJECT (box), "icon", icon);
  g_object_set_data (G_OBJECT (box), "title", title);
  g_object_set_data (G_OBJECT (box), "pin", pin);
  g_object_set_data (G_OBJECT (box), "when", when);
  g_object_set_data (G_OBJECT (box), "subtitle", subtitle);
  gtk_list_item_set_child (item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  IwbHistoryPage *self = user_data;
  IwbHistoryEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *icon = g_object_get_data (G_OBJECT (box), "icon");
  const char *status = iwb_history_entry_get_status (entry);
  const char *profile = iwb_history_entry_get_profile (entry);
  g_autofree char *entrypoint = NULL;
  g_autofree char *title = entry_title (self, entry, &entrypoint);
  g_autofree char *absolute = NULL;
  g_autofree char *when = _iwb_history_page_relative_time (iwb_history_entry_get_started (entry), &absolute);
  g_autofree char *details = entry_details (entry);
  g_autofree char *subtitle = profile && profile[0] ? g_strdup_printf ("%s · %s", profile, details)
                                                    : g_strdup (details);

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), _iwb_history_page_status_icon (status));
  gtk_widget_set_tooltip_text (icon, _iwb_history_page_status_words (status));
  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "warning");
  gtk_widget_remove_css_class (icon, "error");
  gtk_widget_add_css_class (icon, g_strcmp0 (status, "succeeded") == 0 ? "success"
                                  : g_strcmp0 (status, "reported-errors") == 0 ? "warning" : "error");
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "title"), title);
  gtk_widget_set_tooltip_text (g_object_get_data (G_OBJECT (box), "title"), entrypoint);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (box), "pin"), iwb_history_entry_get_is_baseline (entry));
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "when"), when);
  gtk_widget_set_tooltip_text (g_object_get_data (G_OBJECT (box), "when"), absolute);
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "subtitle"), subtitle);
  gtk_widget_set_tooltip_text (g_object_get_data (G_OBJECT (box), "subtitle"), subtitle);
}

/* --- listing ------------------------------------------------------------------ */

static void
update_count (IwbHistoryPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  g_autofree char *text = NULL;

  if (self->total < 0)
    text = g_strdup ("");
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld run", "%lld runs",
                                         (gulong) self->total), (long long) self->total);
  gtk_label_set_text (GTK_LABEL (self->count_label), text);
  gtk_stack_set_visible_child_name (GTK_STACK (self->list_stack), n > 0 ? "list" : "empty");
  if (n == 0)
    adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page),
                                     (self->search && self->search[0]) || self->status
                                     ? _("No run matches the search and the filter.")
                                     : _("Every validation and run of this integration is kept here, "
                                         "to look at again, compare and run again."));
}

static void
append_rest (IwbHistoryPage *self,
             guint           max)
{
  guint n = MIN (self->rest->len, max);

  if (n == 0)
    return;
  g_list_store_splice (self->entries, g_list_model_get_n_items (G_LIST_MODEL (self->entries)), 0,
                       self->rest->pdata, n);
  g_ptr_array_remove_range (self->rest, 0, n);
}

/* The whole page is in the list. */
static void
listed (IwbHistoryPage *self)
{
  self->loading = FALSE;
  update_count (self);
  g_signal_emit (self, signals[LOADED], 0);
}

static gboolean
append_more (gpointer user_data)
{
  IwbHistoryPage *self = user_data;

  append_rest (self, MORE_ENTRIES);
  if (self->rest->len > 0)
    return G_SOURCE_CONTINUE;
  self->rest_source = 0;
  listed (self);
  return G_SOURCE_REMOVE;
}

static void
page_listed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(IwbHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 total = 0;
  g_autoptr(GPtrArray) entries = iwb_history_list_page_finish (IWB_HISTORY (source), result, &total, &error);

  if (entries == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->loading = FALSE;
      iwb_widget_show_toast (GTK_WIDGET (self), error->message);
      g_signal_emit (self, signals[LOADED], 0);
      return;
    }
  if (self->rest == NULL)
    return; /* disposed */
  self->total = total;
  g_ptr_array_extend (self->rest, entries, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
  append_rest (self, FIRST_ENTRIES);
  update_count (self);
  if (self->rest->len > 0)
    self->rest_source = g_timeout_add_full (G_PRIORITY_DEFAULT, 8, append_more, self, NULL);
  else
    listed (self);
}

static void
load_more (IwbHistoryPage *self)
{
  IwbHistory *history = iwb_session_get_history (self->session);
  g_autofree char *integration = iwb_session_dup_integration_key (self->session);
  IwbHistoryQuery query = { 0 };

  if (history == NULL || integration == NULL || self->loading)
    return;
  if (self->total >= 0 && (gint64) g_list_model_get_n_items (G_LIST_MODEL (self->entries)) >= self->total)
    return;
  self->loading = TRUE;
  query.integration = integration;
  query.status = self->status;
  query.text = self->search && self->search[0] ? self->search : NULL;
  query.limit = PAGE_SIZE;
  query.offset = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  iwb_history_list_page_async (history, &query, self->list_cancellable, page_listed, g_object_ref (self));
}

void
iwb_history_page_refresh (IwbHistoryPage *self)
{
  g_return_if_fail (IWB_IS_HISTORY_PAGE (self));

  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->rest_source, g_source_remove);
  g_ptr_array_set_size (self->rest, 0);
  self->loading = FALSE;
  self->stale = FALSE;
  self->total = -1;
  g_list_store_remove_all (self->entries);
  update_count (self);
  load_more (self);
}

static void
edge_reached (GtkScrolledWindow *scrolled,
              GtkPositionType    pos,
              IwbHistoryPage    *self)
{
  if (pos == GTK_POS_BOTTOM)
    load_more (self);
}

static void
search_changed (GtkSearchEntry *entry,
                IwbHistoryPage *self)
{
  g_free (self->search);
  self->search = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  iwb_history_page_refresh (self);
}

static void
status_changed (GtkDropDown    *dropdown,
                GParamSpec     *pspec,
                IwbHistoryPage *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  g_free (self->status);
  self->status = g_strdup (i < G_N_ELEMENTS (status_ids) ? status_ids[i] : NULL);
  iwb_history_page_refresh (self);
}

void
iwb_history_page_set_search (IwbHistoryPage *self,
                             const char     *text)
{
  g_return_if_fail (IWB_IS_HISTORY_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  /* the entry's "search-changed" comes after a delay: now */
  search_changed (GTK_SEARCH_ENTRY (self->search_entry), self);
}

void
iwb_history_page_set_status (IwbHistoryPage *self,
                             const char     *status)
{
  g_return_if_fail (IWB_IS_HISTORY_PAGE (self));
  for (guint i = 0; i < G_N_ELEMENTS (status_ids); i++)
    if (g_strcmp0 (status_ids[i], status) == 0)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->status_dropdown), i);
}

/* --- the shown entry ------------------------------------------------------- */

static void
show_detail_header (IwbHistoryPage *self)
{
  IwbHistoryEntry *entry = self->shown->entry;
  g_autofree char *entrypoint = NULL;
  g_autofree char *title = entry_title (self, entry, &entrypoint);
  g_autofree char *absolute = NULL;
  g_autofree char *when = _iwb_history_page_relative_time (iwb_history_entry_get_started (entry), &absolute);
  const char *profile = iwb_history_entry_get_profile (entry);
  g_autofree char *subtitle = NULL;

  if (profile && profile[0])
    /* Translators: a recorded run: its time, then its connection profile */
    subtitle = g_strdup_printf (_("Recorded %s · profile “%s”"), absolute, profile);
  else
    /* Translators: %s is the time of a recorded run */
    subtitle = g_strdup_printf (_("Recorded %s"), absolute);
  gtk_label_set_text (GTK_LABEL (self->detail_title), title);
  gtk_widget_set_tooltip_text (self->detail_title, entrypoint);
  gtk_label_set_text (GTK_LABEL (self->detail_subtitle), subtitle);
  gtk_widget_set_sensitive (self->baseline_button, !iwb_history_entry_get_is_baseline (entry));
  gtk_button_set_label (GTK_BUTTON (self->baseline_button),
                        iwb_history_entry_get_is_baseline (entry) ? _("Baseline") : _("Set as Baseline"));
  gtk_widget_set_sensitive (self->compare_button, iwb_history_entry_get_kind (entry) == IWB_HISTORY_KIND_RUN);
}

static void
replayed (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(IwbHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  IwbHistoryReplay *replay = iwb_history_replay_finish (IWB_HISTORY (source), result, &error);

  if (replay == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->reading = FALSE;
  if (replay == NULL)
    {
      iwb_widget_show_toast (GTK_WIDGET (self), error->message);
      return;
    }
  g_clear_pointer (&self->shown, iwb_history_replay_free);
  self->shown = replay;
  iwb_run_view_show_replay (iwb_history_page_get_run_view (self), replay);
  show_detail_header (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->detail_stack), "run");
  g_signal_emit (self, signals[SHOWN], 0);
}

static void
selection_changed (IwbHistoryPage *self)
{
  IwbHistoryEntry *entry = gtk_single_selection_get_selected_item (self->selection);
  IwbHistory *history = iwb_session_get_history (self->session);

  if (entry == NULL || history == NULL)
    return;
  g_cancellable_cancel (self->show_cancellable);
  g_clear_object (&self->show_cancellable);
  self->show_cancellable = g_cancellable_new ();
  self->reading = TRUE;
  iwb_history_replay_async (history, iwb_history_entry_get_id (entry), self->show_cancellable,
                            replayed, g_object_ref (self));
}

void
iwb_history_page_select (IwbHistoryPage *self,
                         guint           position)
{
  g_return_if_fail (IWB_IS_HISTORY_PAGE (self));
  if (gtk_single_selection_get_selected (self->selection) == position)
    selection_changed (self);
  else
    gtk_single_selection_set_selected (self->selection, position);
}

/* --- buttons ----------------------------------------------------------------- */

void
iwb_history_page_run_again (IwbHistoryPage *self)
{
  g_return_if_fail (IWB_IS_HISTORY_PAGE (self));
  if (self->shown != NULL)
    g_signal_emit (self, signals[RUN_AGAIN], 0, self->shown->entry, self->shown->inputs);
}

static void
pin_thread (GTask        *task,
            gpointer      source,
            gpointer      data,
            GCancellable *cancellable)
{
  GError *error = NULL;

  /* the history's writer thread does it; this one waits for it, the
   * window's loop does not (a big run may be committing) */
  if (iwb_history_set_baseline (source, *(gint64 *) data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
pinned (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(IwbHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->pinning = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      iwb_widget_show_toast (GTK_WIDGET (self), error->message);
      gtk_widget_set_sensitive (self->baseline_button, TRUE);
      return;
    }
  iwb_widget_show_toast (GTK_WIDGET (self), _("Later runs of this action are compared with this one"));
  gtk_button_set_label (GTK_BUTTON (self->baseline_button), _("Baseline"));
  iwb_history_page_refresh (self);
}

void
iwb_history_page_set_baseline (IwbHistoryPage *self)
{
  IwbHistory *history = iwb_session_get_history (self->session);
  g_autoptr(GTask) task = NULL;
  gint64 id;

  g_return_if_fail (IWB_IS_HISTORY_PAGE (self));
  if (self->shown == NULL || history == NULL || self->pinning)
    return;
  id = iwb_history_entry_get_id (self->shown->entry);
  self->pinning = TRUE;
  gtk_widget_set_sensitive (self->baseline_button, FALSE);
  task = g_task_new (history, NULL, pinned, g_object_ref (self));
  g_task_set_task_data (task, g_memdup2 (&id, sizeof id), g_free);
  g_task_run_in_thread (task, pin_thread);
}

/* --- object ------------------------------------------------------------------ */

IwbHistoryEntry *
iwb_history_page_get_shown (IwbHistoryPage *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_PAGE (self), NULL);
  return self->shown ? self->shown->entry : NULL;
}

static void
ensure_run_view (IwbHistoryPage *self)
{
  if (self->run_view != NULL)
    return;
  self->run_view = GTK_WIDGET (iwb_run_view_new ());
  gtk_widget_set_vexpand (self->run_view, TRUE);
  gtk_box_append (GTK_BOX (self->detail_box), self->run_view);
}

IwbRunView *
iwb_history_page_get_run_view (IwbHistoryPage *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_PAGE (self), NULL);
  ensure_run_view (self);
  return IWB_RUN_VIEW (self->run_view);
}

GListModel *
iwb_history_page_get_entries (IwbHistoryPage *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_PAGE (self), NULL);
  return G_LIST_MODEL (self->entries);
}

gint64
iwb_history_page_get_total (IwbHistoryPage *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_PAGE (self), -1);
  return self->total;
}

gboolean
iwb_history_page_get_busy (IwbHistoryPage *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_PAGE (self), FALSE);
  return self->loading || self->reading || self->pinning;
}

static void
on_run_recorded (IwbHistoryPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    iwb_history_page_refresh (self);
  else
    self->stale = TRUE;
}

/* Shown again: lists again when runs were recorded meanwhile, or when
 * nothing was listed yet (the history opened after the page was made). */
static void
on_map (IwbHistoryPage *self)
{
  if (self->stale || (self->total < 0 && !self->loading))
    iwb_history_page_refresh (self);
}

static void
iwb_history_page_dispose (GObject *object)
{
  IwbHistoryPage *self = IWB_HISTORY_PAGE (object);

  if (self->list_cancellable)
    g_cancellable_cancel (self->list_cancellable);
  if (self->show_cancellable)
    g_cancellable_cancel (self->show_cancellable);
  g_clear_object (&self->list_cancellable);
  g_clear_object (&self->show_cancellable);
  g_clear_handle_id (&self->rest_source, g_source_remove);
  g_clear_pointer (&self->rest, g_ptr_array_unref);
  if (self->diff_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->diff_window));
  g_clear_pointer (&self->paned, gtk_widget_unparent);
  g_clear_object (&self->selection);
  g_clear_object (&self->entries);
  g_clear_object (&self->session);
  g_clear_pointer (&self->shown, iwb_history_replay_free);
  g_clear_pointer (&self->comparison, iwb_history_comparison_free);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->status, g_free);
  G_OBJECT_CLASS (iwb_history_page_parent_class)->dispose (object);
}

static void
iwb_history_page_class_init (IwbHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = iwb_history_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "historypage");
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SHOWN] = g_signal_new ("shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[COMPARED] = g_signal_new ("compared", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (IwbHistoryEntry *entry, GPtrArray *inputs): the window fills the forms */
  signals[RUN_AGAIN] = g_signal_new ("run-again", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                     IWB_TYPE_HISTORY_ENTRY, G_TYPE_PTR_ARRAY);
}

static void
iwb_history_page_init (IwbHistoryPage *self)
{
  self->total = -1;
  self->entries = g_list_store_new (IWB_TYPE_HISTORY_ENTRY);
  self->rest = g_ptr_array_new_with_free_func (g_object_unref);
}

static GtkWidget *
build_list_side (IwbHistoryPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *filters = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  const char *statuses[] = { _("All Statuses"), _("Succeeded"), _("Finished with Errors"), _("Failed"),
                             _("Timed Out"), _("Cancelled"), NULL };

  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 12);
  gtk_widget_set_margin_bottom (bar, 6);
  self->search_entry = gtk_search_entry_new ();
  g_object_set (self->search_entry, "placeholder-text", _("Search action, profile, values"), NULL);
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (search_changed), self);
  gtk_box_append (GTK_BOX (bar), self->search_entry);
  self->status_dropdown = gtk_drop_down_new_from_strings (statuses);
  gtk_widget_set_tooltip_text (self->status_dropdown, _("Show only the runs of one status"));
  g_signal_connect (self->status_dropdown, "notify::selected", G_CALLBACK (status_changed), self);
  gtk_box_append (GTK_BOX (filters), self->status_dropdown);
  self->count_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->count_label, "dim-label");
  gtk_widget_add_css_class (self->count_label, "caption");
  gtk_widget_set_hexpand (self->count_label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->count_label), 1.0f);
  gtk_box_append (GTK_BOX (filters), self->count_label);
  gtk_box_append (GTK_BOX (bar), filters);
  gtk_box_append (GTK_BOX (box), bar);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->entries)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed), self);
  self->list_view = gtk_list_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection)), factory);
  gtk_widget_add_css_class (self->list_view, "navigation-sidebar");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->list_view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  g_signal_connect (scrolled, "edge-reached", G_CALLBACK (edge_reached), self);

  self->list_stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->list_stack, TRUE);
  self->empty_page = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty_page), "document-open-recent-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), _("No Runs Yet"));
  gtk_widget_add_css_class (self->empty_page, "compact");
  gtk_stack_add_named (GTK_STACK (self->list_stack), self->empty_page, "empty");
  gtk_stack_add_named (GTK_STACK (self->list_stack), scrolled, "list");
  gtk_box_append (GTK_BOX (box), self->list_stack);
  gtk_widget_set_size_request (box, 300, -1);
  return box;
}

static GtkWidget *
build_detail_side (IwbHistoryPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *run_again = gtk_button_new_with_mnemonic (_("_Run Again"));
  GtkWidget *placeholder = adw_status_page_new ();

  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_end (header, 12);
  gtk_widget_set_margin_top (header, 12);
  gtk_widget_set_margin_bottom (header, 6);
  self->detail_title = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->detail_title, "title-4");
  gtk_label_set_xalign (GTK_LABEL (self->detail_title), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (self->detail_title), PANGO_ELLIPSIZE_END);
  self->detail_subtitle = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->detail_subtitle, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (self->detail_subtitle), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (self->detail_subtitle), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (titles), self->detail_title);
  gtk_box_append (GTK_BOX (titles), self->detail_subtitle);
  gtk_widget_set_hexpand (titles, TRUE);
  gtk_box_append (GTK_BOX (header), titles);
  self->compare_button = gtk_button_new_with_mnemonic (_("_Compare…"));
  gtk_widget_set_tooltip_text (self->compare_button, _("Compare the results with another run of this action"));
  g_signal_connect_swapped (self->compare_button, "clicked", G_CALLBACK (_iwb_history_page_compare_clicked), self);
  self->baseline_button = gtk_button_new_with_mnemonic (_("Set as _Baseline"));
  gtk_widget_set_tooltip_text (self->baseline_button, _("Compare every later run of this action with this one"));
  g_signal_connect_swapped (self->baseline_button, "clicked", G_CALLBACK (iwb_history_page_set_baseline), self);
  gtk_widget_set_tooltip_text (run_again, _("Fill the action's form with this run's values and rows"));
  gtk_widget_add_css_class (run_again, "suggested-action");
  g_signal_connect_swapped (run_again, "clicked", G_CALLBACK (iwb_history_page_run_again), self);
  for (GtkWidget *b = self->baseline_button; b != NULL; b = b == self->baseline_button ? self->compare_button
                                                        : b == self->compare_button ? run_again : NULL)
    {
      gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (buttons), b);
    }
  gtk_box_append (GTK_BOX (header), buttons);
  gtk_box_append (GTK_BOX (box), header);
  /* the run view comes with the first entry shown: opening the page
   * stays as cheap as listing (bench/history-list.c) */
  self->detail_box = box;

  self->detail_stack = gtk_stack_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (placeholder), "view-list-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (placeholder), _("Choose a Run"));
  adw_status_page_set_description (ADW_STATUS_PAGE (placeholder),
                                   _("Its results, row errors and log show here as they were."));
  gtk_stack_add_named (GTK_STACK (self->detail_stack), placeholder, "empty");
  gtk_stack_add_named (GTK_STACK (self->detail_stack), box, "run");
  return self->detail_stack;
}

IwbHistoryPage *
iwb_history_page_new (IwbSession *session)
{
  IwbHistoryPage *self = g_object_new (IWB_TYPE_HISTORY_PAGE, NULL);

  self->session = g_object_ref (session);
  self->paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_start_child (GTK_PANED (self->paned), build_list_side (self));
  gtk_paned_set_end_child (GTK_PANED (self->paned), build_detail_side (self));
  gtk_paned_set_shrink_start_child (GTK_PANED (self->paned), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (self->paned), FALSE);
  gtk_paned_set_position (GTK_PANED (self->paned), 340);
  gtk_widget_set_parent (self->paned, GTK_WIDGET (self));
  g_signal_connect_object (session, "run-recorded", G_CALLBACK (on_run_recorded), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  update_count (self);
  /* at once: the first page is often in before the page is on screen */
  load_more (self);
  return self;
}
