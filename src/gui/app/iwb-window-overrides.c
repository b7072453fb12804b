/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's side of dynamic overrides (descriptor-and-overrides.md).
 *
 * After a connection validation that returned "actionOverrides", the
 * validator's action descriptors are applied to the BASE descriptor; the
 * action pages are rebuilt from the effective descriptor (the values typed
 * so far are kept by the window), every input the validator touched gets a
 * small "changed" marker whose tooltip tells what it was before, and a toast
 * offers the diff. win.revert-overrides goes back to the base descriptor.
 * Malformed overrides leave the base descriptor in force and say why in the
 * validation result.
 *
 * The diff window (an IwbDiffView in its own window) is shared with hot
 * reload (iwb-window-reload.c): win.show-changes("overrides" | "reload").
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-descriptor.h"
#include "iwb-diff-view.h"
#include "iwb-gui-util.h"
#include "iwb-json-diff.h"
#include "iwb-json-patch.h"
#include "iwb-overrides.h"
#include "iwb-window-private.h"

/* A validation's stdout as iwb_overrides_find_in_lines() reads it, kept on
 * its IwbRun: the unparsable "[result]" lines as printed, every other line
 * as "" so that line numbers stay right. */
#define UNPARSED_RESULTS_KEY "iwb-window-unparsed-results"
#define UNPARSED_LINES_MAX   20000
#define TOOLTIP_MAX_LINES    8
#define MARKER_KEY           "iwb-window-changed-marker"
#define VALUE_MAX_CHARS      100

/* --- collecting what the run could not parse --------------------------------- */

static void
collect_unparsed_result (IwbRun      *run,
                         IwbRunEvent *event,
                         gpointer     user_data)
{
  GPtrArray *lines;
  const char *text = NULL;

  /* Valid [result] lines become result/overrides/errors events; the ones
   * that are not JSON arrive as stdout log lines (after a warning). */
  switch (iwb_run_event_get_kind (event))
    {
    case IWB_RUN_EVENT_LOG:
      if (g_strcmp0 (iwb_run_event_get_stream (event), "stdout") != 0)
        return;
      text = iwb_run_event_get_text (event);
      break;
    case IWB_RUN_EVENT_RESULT:
    case IWB_RUN_EVENT_OVERRIDES:
    case IWB_RUN_EVENT_VALIDATION_ERRORS:
      break;
    default:
      return;
    }
  lines = g_object_get_data (G_OBJECT (run), UNPARSED_RESULTS_KEY);
  if (lines == NULL)
    {
      lines = g_ptr_array_new_with_free_func (g_free);
      g_object_set_data_full (G_OBJECT (run), UNPARSED_RESULTS_KEY, lines,
                              (GDestroyNotify) g_ptr_array_unref);
    }
  if (lines->len < UNPARSED_LINES_MAX)
    g_ptr_array_add (lines, g_strdup (text != NULL && g_str_has_prefix (text, "[result]") ? text : ""));
}

void
_iwb_window_overrides_watch_run (IwbWindow *self,
                                 IwbRun    *run)
{
  g_signal_connect (run, "event", G_CALLBACK (collect_unparsed_result), NULL);
}

/* --- "changed" markers ----------------------------------------------------------- */

static char *
short_value (JsonNode *node)
{
  g_autofree char *text = NULL;

  if (node == NULL)
    return g_strdup (_("nothing"));
  text = iwb_json_to_compact_text (node);
  if (g_utf8_strlen (text, -1) > VALUE_MAX_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, VALUE_MAX_CHARS);

      g_free (text);
      text = g_strconcat (cut, "…", NULL);
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup_printf ("“%s”", text);
  return g_steal_pointer (&text);
}

/* The part of @path after the input, e.g. "description" or "options[1]";
 * "" when the change is the input itself. */
static const char *
path_inside_input (const char *path,
                   const char *input_id)
{
  g_autofree char *needle = g_strdup_printf ("[id=%s]", input_id);
  const char *at = strstr (path, needle);

  if (at == NULL)
    return path;
  at += strlen (needle);
  if (*at == '.')
    at++;
  return at;
}

static char *
change_line (IwbJsonChange *change,
             const char    *input_id)
{
  const char *what = path_inside_input (iwb_json_change_get_path (change), input_id);
  g_autofree char *old_text = short_value (iwb_json_change_get_old_value (change));
  g_autofree char *new_text = short_value (iwb_json_change_get_new_value (change));

  switch (iwb_json_change_get_kind (change))
    {
    case IWB_JSON_CHANGE_ADDED:
      if (what[0] == '\0')
        return g_strdup (_("New input, added by the connection validator"));
      /* Translators: %s is a descriptor key such as "options[0]", then a value */
      return g_strdup_printf (_("%s added: %s"), what, new_text);
    case IWB_JSON_CHANGE_REMOVED:
      /* Translators: %s is a descriptor key, then its old value */
      return g_strdup_printf (_("%s removed (was %s)"), what[0] ? what : _("input"), old_text);
    case IWB_JSON_CHANGE_MOVED:
      /* Translators: positions in the form, counted from 1 */
      return g_strdup_printf (_("Moved from position %d to %d"),
                              iwb_json_change_get_from_index (change) + 1,
                              iwb_json_change_get_to_index (change) + 1);
    case IWB_JSON_CHANGE_CHANGED:
    default:
      /* Translators: a descriptor key such as "description", its old value, its new value */
      return g_strdup_printf (_("%s was %s (now %s)"), what[0] ? what : _("input"), old_text, new_text);
    }
}

static gboolean
input_added (GPtrArray  *changes,
             const char *input_id)
{
  for (guint i = 0; i < changes->len; i++)
    {
      IwbJsonChange *change = g_ptr_array_index (changes, i);

      if (iwb_json_change_get_kind (change) == IWB_JSON_CHANGE_ADDED
          && path_inside_input (iwb_json_change_get_path (change), input_id)[0] == '\0')
        return TRUE;
    }
  return FALSE;
}

char *
_iwb_window_dup_marker_tooltip (GPtrArray  *changes,
                                const char *input_id)
{
  GString *text = g_string_new (_("Changed by the connection validator’s overrides:"));

  for (guint i = 0; i < changes->len && i < TOOLTIP_MAX_LINES; i++)
    {
      g_autofree char *line = change_line (g_ptr_array_index (changes, i), input_id);

      g_string_append_printf (text, "\n• %s", line);
    }
  if (changes->len > TOOLTIP_MAX_LINES)
    {
      guint more = changes->len - TOOLTIP_MAX_LINES;

      g_string_append_c (text, '\n');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "… and %u more change",
                                                 "… and %u more changes", more), more);
    }
  return g_string_free (text, FALSE);
}

static guint
mark_form (IwbWindow    *self,
           IwbParamForm *form,
           const char   *entrypoint)
{
  GListModel *fields = iwb_param_form_get_fields (form);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(IwbFieldValue) field = g_list_model_get_item (fields, i);
      const char *id = iwb_field_value_get_id (field);
      g_autofree char *key = g_strdup_printf ("%s\x1f%s", entrypoint, id);
      GPtrArray *changes = g_hash_table_lookup (self->changed_inputs, key);
      g_autofree char *tooltip = NULL;
      GtkWidget *marker;
      GtkWidget *old_marker;

      /* A page kept from the last build still has its markers. */
      old_marker = g_object_get_data (G_OBJECT (field), MARKER_KEY);
      if (old_marker != NULL && GTK_IS_BOX (gtk_widget_get_parent (old_marker)))
        gtk_box_remove (GTK_BOX (gtk_widget_get_parent (old_marker)), old_marker);
      g_object_set_data (G_OBJECT (field), MARKER_KEY, NULL);
      if (changes == NULL || changes->len == 0)
        continue;
      marker = gtk_label_new (input_added (changes, id) ? _("new") : _("changed"));
      gtk_widget_add_css_class (marker, "changed-marker");
      gtk_widget_add_css_class (marker, "caption");
      gtk_widget_set_valign (marker, GTK_ALIGN_CENTER);
      tooltip = _iwb_window_dup_marker_tooltip (changes, id);
      gtk_widget_set_tooltip_text (marker, tooltip);
      if (iwb_param_form_add_row_suffix (form, id, marker))
        {
          g_object_set_data (G_OBJECT (field), MARKER_KEY, marker);
          n++;
        }
    }
  return n;
}

static JsonNode *
find_action (JsonNode   *descriptor,
             const char *entrypoint)
{
  JsonArray *actions;

  if (descriptor == NULL || !JSON_NODE_HOLDS_OBJECT (descriptor))
    return NULL;
  actions = iwb_descriptor_get_actions (descriptor, NULL);
  for (guint i = 0; actions != NULL && i < json_array_get_length (actions); i++)
    {
      JsonNode *node = json_array_get_element (actions, i);

      if (JSON_NODE_HOLDS_OBJECT (node)
          && g_strcmp0 (iwb_descriptor_action_get_entrypoint (json_node_get_object (node)),
                        entrypoint) == 0)
        return node;
    }
  return NULL;
}

/* The sidebar rows (rebuilt with the pages) of the actions the overrides
 * changed get the same marker. */
static void
mark_sidebar (IwbWindow *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      const char *name = g_object_get_data (G_OBJECT (row), "page");
      JsonNode *base_action;
      JsonNode *action;
      GtkWidget *box;
      GtkWidget *marker;

      if (name == NULL || g_str_equal (name, "connection") || !GTK_IS_LIST_BOX_ROW (row))
        continue;
      base_action = find_action (iwb_session_get_base_descriptor (self->session), name);
      action = find_action (iwb_session_get_descriptor (self->session), name);
      if (action == NULL || (base_action != NULL && iwb_json_equal (base_action, action)))
        continue;
      box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
      if (!GTK_IS_BOX (box))
        continue;
      marker = gtk_label_new (_("changed"));
      gtk_widget_add_css_class (marker, "changed-marker");
      gtk_widget_add_css_class (marker, "caption");
      gtk_widget_set_valign (marker, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (marker, _("The connection validator’s overrides changed this action"));
      gtk_box_append (GTK_BOX (box), marker);
    }
}

/* Called by build_pages() once the pages exist. */
void
_iwb_window_overrides_pages_built (IwbWindow *self)
{
  g_clear_pointer (&self->changed_inputs, g_hash_table_unref);
  if (self->action_overrides != NULL && iwb_session_get_base_descriptor (self->session) != NULL
      && iwb_session_get_descriptor (self->session) != NULL && iwb_session_get_descriptor (self->session) != iwb_session_get_base_descriptor (self->session))
    self->changed_inputs = iwb_overrides_changed_inputs (iwb_session_get_base_descriptor (self->session), iwb_session_get_descriptor (self->session));
  else
    self->changed_inputs = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->action_pages->len; i++)
    {
      IwbActionPage *page = g_ptr_array_index (self->action_pages, i);
      const char *entrypoint = iwb_action_page_get_entrypoint (page);

      mark_form (self, iwb_action_page_get_params_form (page), entrypoint);
      mark_form (self, iwb_action_page_get_args_form (page), entrypoint);
    }
  if (self->action_overrides != NULL && iwb_session_get_descriptor (self->session) != iwb_session_get_base_descriptor (self->session))
    mark_sidebar (self);
}

/* --- keeping the connection page across rebuilds --------------------------------- */

gboolean
_iwb_window_keep_connection_page (IwbWindow *self,
                                  JsonArray *inputs)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  gboolean keep;

  if (inputs != NULL)
    json_node_set_array (node, inputs);
  else
    json_node_take_array (node, json_array_new ());
  keep = self->connection_page != NULL && self->connection_inputs != NULL
         && iwb_json_equal (self->connection_inputs, node);
  g_clear_pointer (&self->connection_inputs, json_node_unref);
  self->connection_inputs = iwb_json_deep_copy (node);
  return keep;
}

#define ACTION_KEY "iwb-window-action"

void
_iwb_window_remember_action (IwbActionPage *page,
                             JsonNode      *action)
{
  /* A deep copy: json_node_copy() shares the objects, which a caller may
   * still edit to make the next descriptor. */
  g_object_set_data_full (G_OBJECT (page), ACTION_KEY, iwb_json_deep_copy (action),
                          (GDestroyNotify) json_node_unref);
}

void
_iwb_window_take_unchanged_action_pages (IwbWindow  *self,
                                         JsonArray  *actions,
                                         GHashTable *kept)
{
  guint i = 0;

  while (i < self->action_pages->len)
    {
      IwbActionPage *page = g_ptr_array_index (self->action_pages, i);
      JsonNode *old_action = g_object_get_data (G_OBJECT (page), ACTION_KEY);
      const char *entrypoint = iwb_action_page_get_entrypoint (page);
      gboolean same = FALSE;

      for (guint j = 0; old_action != NULL && actions != NULL && j < json_array_get_length (actions); j++)
        {
          JsonNode *node = json_array_get_element (actions, j);

          if (JSON_NODE_HOLDS_OBJECT (node)
              && g_strcmp0 (iwb_descriptor_action_get_entrypoint (json_node_get_object (node)),
                            entrypoint) == 0)
            {
              same = iwb_json_equal (old_action, node);
              break;
            }
        }
      if (same && !g_hash_table_contains (kept, entrypoint))
        {
          g_hash_table_insert (kept, g_strdup (entrypoint), g_object_ref (page));
          g_ptr_array_remove_index (self->action_pages, i);
        }
      else
        i++;
    }
}

void
_iwb_window_drop_pages (IwbWindow  *self,
                        GHashTable *kept)
{
  GHashTableIter iter;
  gpointer page;

  g_hash_table_iter_init (&iter, kept);
  while (g_hash_table_iter_next (&iter, NULL, &page))
    gtk_stack_remove (self->pages_stack, page);
  g_hash_table_remove_all (kept);
}

/* --- the diff window ------------------------------------------------------------- */

static void
diff_window_destroyed (GtkWidget *window,
                       IwbWindow *self)
{
  if (self->diff_window == window)
    {
      self->diff_window = NULL;
      self->diff_view = NULL;
    }
}

static GtkWidget *
ensure_diff_window (IwbWindow *self)
{
  GtkWidget *box;
  GtkWidget *header;

  if (self->diff_window != NULL)
    return self->diff_window;

  self->diff_window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (self->diff_window), _("Descriptor Changes"));
  gtk_window_set_transient_for (GTK_WINDOW (self->diff_window), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self->diff_window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self->diff_window), 820, 560);
  gtk_widget_add_css_class (self->diff_window, "descriptor-changes");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Descriptor Changes"), NULL));
  gtk_box_append (GTK_BOX (box), header);
  self->diff_view = iwb_diff_view_new ();
  gtk_widget_set_vexpand (self->diff_view, TRUE);
  gtk_box_append (GTK_BOX (box), self->diff_view);
  adw_window_set_content (ADW_WINDOW (self->diff_window), box);
  iwb_window_close_on_escape (GTK_WINDOW (self->diff_window));
  g_signal_connect (self->diff_window, "destroy", G_CALLBACK (diff_window_destroyed), self);
  return self->diff_window;
}

GtkWidget *
_iwb_window_show_changes (IwbWindow  *self,
                          const char *which)
{
  JsonNode *before;
  JsonNode *after;
  const char *title;
  const char *subtitle;
  gboolean reload;

  /* "latest" (the menu): the overrides in force, else the last reload. */
  if (g_strcmp0 (which, "latest") == 0)
    which = self->action_overrides != NULL ? "overrides" : "reload";
  reload = g_strcmp0 (which, "reload") == 0;

  if (reload)
    {
      before = self->reload_before;
      after = self->reload_after;
      title = _("Reload");
      subtitle = _("What the last reload changed in the descriptor");
    }
  else
    {
      before = iwb_session_get_base_descriptor (self->session);
      after = self->action_overrides != NULL ? iwb_session_get_descriptor (self->session) : NULL;
      title = _("Dynamic overrides");
      subtitle = _("The base descriptor and the effective one the action forms follow");
    }
  if (before == NULL || after == NULL)
    {
      iwb_window_add_toast (self, adw_toast_new (reload ? _("Nothing was reloaded yet")
                                                 : _("No overrides are in force: validate the connection first")));
      return NULL;
    }

  ensure_diff_window (self);
  iwb_diff_view_set_side_labels (IWB_DIFF_VIEW (self->diff_view),
                                 reload ? _("Before") : _("Base"),
                                 reload ? _("After") : _("Effective"));
  iwb_diff_view_set_documents (IWB_DIFF_VIEW (self->diff_view), before, after, title);
  adw_window_title_set_subtitle (ADW_WINDOW_TITLE (adw_header_bar_get_title_widget (
                                   ADW_HEADER_BAR (gtk_widget_get_first_child (
                                     adw_window_get_content (ADW_WINDOW (self->diff_window)))))),
                                 subtitle);
  g_object_set_data_full (G_OBJECT (self->diff_window), "showing", g_strdup (reload ? "reload" : "overrides"), g_free);
  gtk_window_present (GTK_WINDOW (self->diff_window));
  return self->diff_window;
}

/* --- toasts ------------------------------------------------------------------ */

void
_iwb_window_add_changes_toast (IwbWindow  *self,
                               const char *title,
                               const char *which)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 10);
  if (which != NULL)
    {
      adw_toast_set_button_label (toast, _("Show Changes"));
      adw_toast_set_action_name (toast, "win.show-changes");
      adw_toast_set_action_target_value (toast, g_variant_new_string (which));
    }
  g_set_object (&self->last_toast, toast);
  iwb_window_add_toast (self, toast);
}

/* --- applying overrides ---------------------------------------------------------- */

static void
connection_note (IwbWindow  *self,
                 const char *note,
                 gboolean    problem)
{
  if (self->connection_page != NULL)
    iwb_connection_page_set_result_note (self->connection_page, note, problem);
}

void
_iwb_window_overrides_clear (IwbWindow *self)
{
  /* What the validation result and the diff window said about them is not
   * true any more. */
  if (self->action_overrides != NULL)
    {
      connection_note (self, NULL, FALSE);
      if (self->diff_window != NULL
          && g_strcmp0 (g_object_get_data (G_OBJECT (self->diff_window), "showing"), "overrides") == 0)
        gtk_window_destroy (GTK_WINDOW (self->diff_window));
    }
  g_clear_pointer (&self->action_overrides, json_node_unref);
  g_clear_pointer (&self->changed_inputs, g_hash_table_unref);
}

static char *
overrides_summary (guint n_inputs,
                   guint n_actions)
{
  g_autofree char *inputs = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u input", "%u inputs", n_inputs),
                                             n_inputs);
  g_autofree char *actions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u action", "%u actions", n_actions),
                                              n_actions);

  /* Translators: "Overrides changed 3 inputs in 1 action": the first %s is
   * "N input(s)", the second "M action(s)" */
  return g_strdup_printf (_("Overrides changed %s in %s"), inputs, actions);
}

static char *
warnings_text (GPtrArray *warnings)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; warnings != NULL && i < warnings->len; i++)
    g_string_append_printf (text, "\n• %s", (const char *) g_ptr_array_index (warnings, i));
  return g_string_free (text, FALSE);
}

static void
on_validated (IwbWindow *self,
              IwbRun    *run)
{
  GPtrArray *unparsed = g_object_get_data (G_OBJECT (run), UNPARSED_RESULTS_KEY);
  JsonNode *overrides = iwb_run_get_overrides (run);
  IwbRunStatus status = iwb_run_get_status (run);
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) effective = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *warning_lines = NULL;
  g_autofree char *note = NULL;
  guint n_inputs = 0, n_actions = 0;
  gboolean show = self->request.show_overrides;
  gboolean same;

  self->request.show_overrides = FALSE;
  if (status == IWB_RUN_STATUS_CANCELLED || iwb_session_get_base_descriptor (self->session) == NULL)
    return;

  /* A [result] line that meant to carry actionOverrides but is not JSON. */
  if (unparsed != NULL && unparsed->len > 0)
    {
      g_autoptr(GPtrArray) lines = g_ptr_array_new ();
      g_autoptr(JsonNode) found = NULL;

      for (guint i = 0; i < unparsed->len; i++)
        g_ptr_array_add (lines, g_ptr_array_index (unparsed, i));
      g_ptr_array_add (lines, NULL);
      if (!iwb_overrides_find_in_lines ((const char * const *) lines->pdata, &found, &error) && error != NULL)
        {
          /* Translators: %s says what is wrong with the validator's output */
          note = g_strdup_printf (_("The validator’s dynamic overrides could not be read: %s"),
                                  error->message);
          connection_note (self, note, TRUE);
          return;
        }
    }
  if (overrides == NULL)
    return;
  if (status != IWB_RUN_STATUS_SUCCEEDED)
    {
      connection_note (self, _("The validator returned dynamic overrides, but the validation did "
                               "not succeed: they were not applied, the action forms are unchanged."),
                       TRUE);
      return;
    }

  effective = iwb_overrides_apply (iwb_session_get_base_descriptor (self->session), overrides, &warnings, &error);
  warning_lines = warnings_text (warnings);
  if (effective == NULL)
    {
      /* Translators: %s says what is wrong with the overrides */
      note = g_strdup_printf (_("The validator’s dynamic overrides could not be applied: %s"),
                              error->message);
      connection_note (self, note, TRUE);
      return;
    }

  iwb_overrides_count_changes (iwb_session_get_base_descriptor (self->session), effective, &n_inputs, &n_actions);
  if (n_actions == 0 && iwb_json_equal (iwb_session_get_base_descriptor (self->session), effective))
    {
      note = g_strconcat (_("The validator returned dynamic overrides that change nothing in the descriptor."),
                          warning_lines, NULL);
      if (self->action_overrides != NULL)
        {
          _iwb_window_overrides_clear (self);
          iwb_window_set_descriptor (self, iwb_session_get_base_descriptor (self->session));
        }
      connection_note (self, note, warnings != NULL && warnings->len > 0);
      _iwb_window_actions_update (self);
      return;
    }

  /* The same overrides again: the forms and their markers are already right. */
  same = self->action_overrides != NULL && iwb_session_get_descriptor (self->session) != NULL
         && iwb_json_equal (iwb_session_get_descriptor (self->session), effective);
  g_clear_pointer (&self->action_overrides, json_node_unref);
  self->action_overrides = json_node_copy (overrides);
  if (!same)
    iwb_window_set_descriptor (self, effective);

  summary = overrides_summary (n_inputs, n_actions);
  if (warnings != NULL && warnings->len > 0)
    note = g_strdup_printf ("%s.%s%s", summary,
                            _("\nSome overrides were not applied:"), warning_lines);
  else
    note = g_strdup_printf (_("%s. The action forms follow the effective descriptor; "
                              "“Revert to Base Descriptor” in the main menu undoes it."), summary);
  connection_note (self, note, warnings != NULL && warnings->len > 0);
  _iwb_window_add_changes_toast (self, summary, "overrides");
  _iwb_window_actions_update (self);
  /* An open diff of the overrides shows the new ones. */
  if (!show && self->diff_window != NULL
      && g_strcmp0 (g_object_get_data (G_OBJECT (self->diff_window), "showing"), "overrides") == 0)
    _iwb_window_show_changes (self, "overrides");
  if (show)
    {
      /* --show-overrides: the first rebuilt form beside the diff. */
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, self->changed_inputs);
      if (g_hash_table_iter_next (&iter, &key, NULL))
        {
          g_autofree char *entrypoint = g_strndup (key, strcspn (key, "\x1f"));

          iwb_window_show_page (self, entrypoint);
        }
      _iwb_window_show_changes (self, "overrides");
    }
}

void
_iwb_window_overrides_connect_page (IwbWindow         *self,
                                    IwbConnectionPage *page)
{
  g_signal_connect_object (page, "validated", G_CALLBACK (on_validated), self, G_CONNECT_SWAPPED);
}

void
_iwb_window_overrides_forget (IwbWindow *self)
{
  _iwb_window_overrides_clear (self);
  g_clear_pointer (&self->connection_inputs, json_node_unref);
  g_clear_pointer (&self->reload_before, json_node_unref);
  g_clear_pointer (&self->reload_after, json_node_unref);
  if (self->diff_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->diff_window));
}

/* --- actions ------------------------------------------------------------------ */

void
_iwb_window_revert_overrides (IwbWindow *self)
{
  if (self->action_overrides == NULL || iwb_session_get_base_descriptor (self->session) == NULL)
    return;
  _iwb_window_overrides_clear (self);
  iwb_window_set_descriptor (self, iwb_session_get_base_descriptor (self->session));
  _iwb_window_add_changes_toast (self, _("Back to the base descriptor: the validator’s overrides are no longer applied"),
                                 NULL);
  _iwb_window_actions_update (self);
}

static void
revert_overrides_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  _iwb_window_revert_overrides (IWB_WINDOW (widget));
}

static void
show_changes_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  _iwb_window_show_changes (IWB_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

void
_iwb_window_overrides_actions_update (IwbWindow *self)
{
  gboolean loaded = iwb_session_get_integration (self->session) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.revert-overrides",
                                 loaded && self->action_overrides != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-changes",
                                 loaded && (self->action_overrides != NULL || self->reload_after != NULL));
}

void
_iwb_window_class_add_overrides_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.revert-overrides", NULL, revert_overrides_action);
  gtk_widget_class_install_action (widget_class, "win.show-changes", "s", show_changes_action);
}
