/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The History page, for real: a copy of the workbench fixture, main.echo
 * run twice from the window with an edit of main.py in between (real
 * python3 children, the real SQLite history). The page lists both newest
 * first; an entry shows read-only in a run view; Compare finds the changed
 * row; a baseline makes the next run say "Same as baseline"; search and
 * status filter; Run Again refills the form and the rows.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "iwb-diff-view.h"
#include "iwb-history-page-private.h"
#include "iwb-json.h"
#include "iwb-window-private.h"
#include "test-iwb-util.h"
#include "test-ui-util.h"

static IwbApplication *app;

static void
copy_fixture (const char *to)
{
  g_autofree char *from = ui_test_source_path ("tests", "ui-fixtures", "workbench", NULL);
  const char *argv[] = { "cp", "-r", from, to, NULL };
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, NULL));
  g_assert_cmpint (status, ==, 0);
}

static void
edit_file (const char *path,
           const char *from,
           const char *to)
{
  g_autofree char *text = NULL;
  g_autoptr(GString) s = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  s = g_string_new (text);
  g_assert_nonnull (strstr (s->str, from));
  g_string_replace (s, from, to, 1);
  g_assert_true (g_file_set_contents (path, s->str, -1, NULL));
}

typedef struct
{
  gint64 id;
} Recorded;

static void
on_recorded (IwbSession *session,
             IwbRun     *run,
             gint64      id,
             const char *message,
             Recorded   *r)
{
  g_assert_null (message);
  r->id = id;
}

/* Runs main.echo from its page over one row "@text"; the run's history id. */
static gint64
run_echo (IwbWindow  *window,
          const char *text)
{
  IwbActionPage *page = iwb_window_get_action_page (window, "main.echo");
  IwbRunView *view = iwb_action_page_get_run_view (page);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *row = json_object_new ();
  Recorded r = { 0 };
  gulong handler = g_signal_connect (iwb_window_get_session (window), "run-recorded",
                                     G_CALLBACK (on_recorded), &r);

  json_object_set_string_member (row, "text", text);
  g_ptr_array_add (rows, row);
  iwb_rows_editor_set_rows (iwb_action_page_get_rows_editor (page), rows, NULL);
  iwb_window_show_page (window, "main.echo");
  iwb_action_page_run (page);
  /* Finished, recorded, and every result in the view's list. */
  WAIT_FOR (!iwb_action_page_get_running (page) && iwb_run_view_get_finished (view) && r.id > 0
            && iwb_run_view_get_n_pending (view) == 0, WAIT_SECONDS);
  g_signal_handler_disconnect (iwb_window_get_session (window), handler);
  return r.id;
}

static const char *
result_text (IwbRunView *view,
             guint       i)
{
  g_autoptr(IwbRunEvent) event = g_list_model_get_item (iwb_run_view_get_results (view), i);

  return iwb_json_get_string_or (json_node_get_object (iwb_run_event_get_payload (event)), "text", NULL);
}

static void
wait_listed (IwbHistoryPage *page)
{
  ui_test_flush ();
  WAIT_FOR (!iwb_history_page_get_busy (page) && iwb_history_page_get_total (page) >= 0, WAIT_SECONDS);
}

/* The texts (or tooltips) of the labels styled @css_class under @widget, in order. */
static void
collect_labels (GtkWidget  *widget,
                const char *css_class,
                gboolean    tooltips,
                GPtrArray  *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class))
    g_ptr_array_add (out, g_strdup (tooltips ? gtk_widget_get_tooltip_text (widget)
                                             : gtk_label_get_text (GTK_LABEL (widget))));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, css_class, tooltips, out);
}

/* The widget of @widget's tree whose tooltip starts with @prefix, or NULL. */
static GtkWidget *
find_tooltip (GtkWidget  *widget,
              const char *prefix)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (tooltip != NULL && g_str_has_prefix (tooltip, prefix))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_tooltip (child, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The label of @widget's tree showing @text, or NULL. */
static GtkWidget *
find_label_text (GtkWidget  *widget,
                 const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_text (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_history_page (void)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("iwb-ui-history-XXXXXX", NULL);
  g_autofree char *folder_path = g_build_filename (tmpdir, "workbench", NULL);
  g_autofree char *main_py = g_build_filename (folder_path, "main.py", NULL);
  g_autoptr(GFile) folder = NULL;
  IwbWindow *window = iwb_window_new (app);
  IwbHistoryPage *history;
  IwbRunView *view;
  IwbActionPage *page;
  GListModel *entries;
  g_autoptr(IwbHistoryEntry) newest = NULL;
  g_autoptr(IwbHistoryEntry) oldest = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const IwbHistoryComparison *cmp;
  gint64 id1, id2, id3;

  copy_fixture (folder_path);
  folder = g_file_new_for_path (folder_path);
  gtk_window_present (GTK_WINDOW (window));
  iwb_window_open_folder (window, folder);
  WAIT_FOR (g_strcmp0 (iwb_window_get_state (window), "integration") == 0 &&
            iwb_session_get_history (iwb_window_get_session (window)) != NULL, WAIT_SECONDS);
  iwb_field_value_set_text (iwb_param_form_get_field (iwb_connection_page_get_form (iwb_window_get_connection_page (window)),
                                                      "API_KEY"), "open-sesame");

  /* two runs, the integration edited in between */
  id1 = run_echo (window, "hello");
  edit_file (main_py, "PREFIX.read() + text,", "PREFIX.read() + text.upper(),");
  iwb_window_reload (window);
  WAIT_FOR (g_strcmp0 (iwb_window_get_state (window), "integration") == 0 &&
            !_iwb_window_get_reloading (window), WAIT_SECONDS);
  id2 = run_echo (window, "hello");
  g_assert_cmpint (id2, >, id1);
  page = iwb_window_get_action_page (window, "main.echo");
  g_assert_cmpstr (result_text (iwb_action_page_get_run_view (page), 0), ==, ">HELLO");

  /* the History page: both, newest first */
  iwb_window_show_page (window, "history");
  history = IWB_HISTORY_PAGE (window->history_page);
  wait_listed (history);
  entries = iwb_history_page_get_entries (history);
  g_assert_cmpint (iwb_history_page_get_total (history), ==, 2);
  newest = g_list_model_get_item (entries, 0);
  oldest = g_list_model_get_item (entries, 1);
  g_assert_cmpint (iwb_history_entry_get_id (newest), ==, id2);
  g_assert_cmpint (iwb_history_entry_get_id (oldest), ==, id1);
  g_assert_cmpstr (iwb_history_entry_get_action (newest), ==, "main.echo");

  /* the list names the action as its page does (“Echo”), the entrypoint
   * in the title's tooltip */
  {
    g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) tips = g_ptr_array_new_with_free_func (g_free);

    ui_test_flush ();
    WAIT_FOR ((g_ptr_array_set_size (titles, 0),
               collect_labels (history->list_view, "heading", FALSE, titles), titles->len == 2),
              WAIT_SECONDS);
    collect_labels (history->list_view, "heading", TRUE, tips);
    for (guint i = 0; i < titles->len; i++)
      {
        g_assert_cmpstr (titles->pdata[i], ==, "Echo");
        g_assert_cmpstr (tips->pdata[i], ==, "main.echo");
      }
  }

  /* opening the older one shows its results, read-only (no run behind) */
  iwb_history_page_select (history, 1);
  WAIT_FOR (iwb_history_page_get_shown (history) != NULL &&
            iwb_history_entry_get_id (iwb_history_page_get_shown (history)) == id1, WAIT_SECONDS);
  view = iwb_history_page_get_run_view (history);
  WAIT_FOR (iwb_run_view_get_n_pending (view) == 0, WAIT_SECONDS);
  g_assert_null (iwb_run_view_get_run (view));
  g_assert_true (iwb_run_view_get_finished (view));
  g_assert_cmpuint (g_list_model_get_n_items (iwb_run_view_get_results (view)), ==, 1);
  g_assert_cmpstr (result_text (view, 0), ==, ">hello");

  /* Compare: the one row changed */
  iwb_history_page_compare (history, id2);
  WAIT_FOR (iwb_history_page_get_comparison (history) != NULL, WAIT_SECONDS);
  cmp = iwb_history_page_get_comparison (history);
  g_assert_cmpint (cmp->old_id, ==, id1);
  g_assert_cmpint (cmp->new_id, ==, id2);
  g_assert_cmpuint (cmp->rows_changed, ==, 1);
  g_assert_cmpuint (cmp->rows_added + cmp->rows_removed, ==, 0);
  /* the compare window says what it compares: the two runs' results, not
   * an “Integration” (that is for descriptors) */
  {
    GtkWidget *box = adw_window_get_content (ADW_WINDOW (history->diff_window));
    IwbDiffView *diff = IWB_DIFF_VIEW (gtk_widget_get_last_child (box));
    g_autoptr(GPtrArray) groups = iwb_diff_view_dup_groups (diff);
    g_autofree char *expected = g_strdup_printf ("Results of run %lld and run %lld",
                                                 (long long) id1, (long long) id2);

    g_assert_cmpuint (groups->len, ==, 1);
    g_assert_cmpstr (adw_preferences_group_get_title (groups->pdata[0]), ==, expected);
    /* its Copy as JSON Patch says what turns into what (runs, not
     * descriptors), and the summary heading is never cut */
    {
      GtkWidget *copy = find_tooltip (GTK_WIDGET (diff), "Copy the changes");
      g_autofree char *sides = g_strdup_printf ("turns “Run %lld” into “Run %lld”", (long long) id1,
                                                (long long) id2);
      GtkWidget *heading = find_label_text (GTK_WIDGET (diff), iwb_diff_view_get_title (diff));

      g_assert_nonnull (copy);
      g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (copy), sides));
      g_assert_nonnull (heading);
      g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (heading)), ==, PANGO_ELLIPSIZE_NONE);
    }
    /* a titled window (task switcher) that Escape closes */
    g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (history->diff_window)), ==, "Compare Runs");
    g_assert_true (ui_test_press_shortcut (history->diff_window, GDK_KEY_Escape, 0));
    WAIT_FOR (history->diff_window == NULL, WAIT_SECONDS);
  }

  /* search and filter (SQL) */
  iwb_history_page_set_search (history, "no such thing");
  wait_listed (history);
  g_assert_cmpint (iwb_history_page_get_total (history), ==, 0);
  iwb_history_page_set_search (history, "echo");
  wait_listed (history);
  g_assert_cmpint (iwb_history_page_get_total (history), ==, 2);
  iwb_history_page_set_search (history, NULL);
  iwb_history_page_set_status (history, "failed");
  wait_listed (history);
  g_assert_cmpint (iwb_history_page_get_total (history), ==, 0);
  iwb_history_page_set_status (history, "succeeded");
  wait_listed (history);
  g_assert_cmpint (iwb_history_page_get_total (history), ==, 2);
  iwb_history_page_set_status (history, NULL);
  wait_listed (history);

  /* the newest as the baseline: a third run says it is the same */
  iwb_history_page_select (history, 0);
  WAIT_FOR (iwb_history_page_get_shown (history) != NULL &&
            iwb_history_entry_get_id (iwb_history_page_get_shown (history)) == id2, WAIT_SECONDS);
  iwb_history_page_set_baseline (history);
  wait_listed (history);
  {
    g_autoptr(IwbHistoryEntry) pinned = g_list_model_get_item (entries, 0);

    g_assert_cmpint (iwb_history_entry_get_id (pinned), ==, id2);
    g_assert_true (iwb_history_entry_get_is_baseline (pinned));
  }
  id3 = run_echo (window, "hello");
  WAIT_FOR (iwb_run_view_get_baseline_note (iwb_action_page_get_run_view (page)) != NULL, WAIT_SECONDS);
  g_assert_cmpstr (iwb_run_view_get_baseline_note (iwb_action_page_get_run_view (page)), ==, "Same as baseline");
  g_assert_cmpint (id3, >, id2);

  /* Run Again of the first run: its prefix and its row back in the form */
  iwb_field_value_set_text (iwb_param_form_get_field (iwb_action_page_get_params_form (page), "PREFIX"), "changed");
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_ptr_array_add (rows, json_object_new ());
  iwb_rows_editor_set_rows (iwb_action_page_get_rows_editor (page), rows, NULL);
  g_clear_pointer (&rows, g_ptr_array_unref);
  iwb_window_show_page (window, "history");
  wait_listed (history);
  iwb_history_page_select (history, 2);
  WAIT_FOR (iwb_history_page_get_shown (history) != NULL &&
            iwb_history_entry_get_id (iwb_history_page_get_shown (history)) == id1, WAIT_SECONDS);
  iwb_history_page_run_again (history);
  g_assert_cmpstr (iwb_window_get_visible_page (window), ==, "main.echo");
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (iwb_action_page_get_params_form (page), "PREFIX")),
                   ==, ">");
  rows = iwb_rows_editor_dup_rows (iwb_action_page_get_rows_editor (page));
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (iwb_json_get_string_or (rows->pdata[0], "text", NULL), ==, "hello");

  /* the setting turns recording off and on */
  g_assert_nonnull (window->settings);
  g_settings_set_boolean (window->settings, "history-record-runs", FALSE);
  g_assert_false (iwb_session_get_history_enabled (iwb_window_get_session (window)));
  g_settings_set_boolean (window->settings, "history-record-runs", TRUE);
  g_assert_true (iwb_session_get_history_enabled (iwb_window_get_session (window)));

  /* The History page fits beside the sidebar in a window 1,100 pixels wide
   * (the README's pictures): its run view's five tabs and the HTTP detail's
   * tabs once made it 896 pixels alone, and such a window folded to the
   * sidebar. An unfolded leaflet needs the sum of its pages' minimums. */
  {
    g_autoptr(GListModel) leaflet_pages = G_LIST_MODEL (adw_leaflet_get_pages (window->leaflet));
    int sum = 0;

    iwb_window_show_page (window, "history");
    for (guint i = 0; i < g_list_model_get_n_items (leaflet_pages); i++)
      {
        g_autoptr(AdwLeafletPage) leaflet_page = g_list_model_get_item (leaflet_pages, i);
        int min = 0;

        gtk_widget_measure (adw_leaflet_page_get_child (leaflet_page), GTK_ORIENTATION_HORIZONTAL, -1,
                            &min, NULL, NULL, NULL);
        sum += min;
      }
    g_assert_cmpint (sum, <=, 1100);
  }

  /* tests/screenshots.sh: the History page with the compared run open,
   * kept on screen until the screenshot tool ends the process */
  if (g_getenv ("IWB_TEST_HOLD_FOR_SCREENSHOT") != NULL)
    {
      GList *toplevels = gtk_window_list_toplevels ();

      for (GList *l = toplevels; l != NULL; l = l->next)
        if (l->data != (gpointer) window)
          gtk_window_destroy (l->data);
      g_list_free (toplevels);
      gtk_window_maximize (GTK_WINDOW (window));
      iwb_window_show_page (window, "history");
      wait_listed (history);
      iwb_history_page_select (history, 1);
      for (;;)
        g_main_context_iteration (NULL, TRUE);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_flush ();
  iwb_test_remove_tree (tmpdir);
}

static void
add_tests (void)
{
  g_test_add_func ("/ui/history/page", test_history_page);
}

int
main (int    argc,
      char **argv)
{
  return iwb_test_ui_main (argc, argv, &app, add_tests);
}
