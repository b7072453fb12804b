/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRunView across runs: the next run replaces the last one's rows (the
 * tables let go of them a slice at a time, iwb-run-view-work.c) — the
 * run's lists empty at once, the table's columns and rows end up those of
 * the new run, wherever the last one was scrolled, and a run that starts
 * while the table still lets go of the one before is shown right.
 */
#include "config.h"

#include <string.h>

#include "iwb-core.h"
#include "iwb-run-view.h"
#include "test-ui-util.h"

typedef struct
{
  IwbSession *session;
  GtkWidget  *window;
  IwbRunView *view;
} Fixture;

static void
loaded (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  IwbIntegration **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = iwb_loader_load_finish (IWB_LOADER (source), result, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GFile) folder = ui_test_folder ("tests", "ui-fixtures", "workbench", NULL);
  g_autoptr(IwbLoader) loader = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  g_autoptr(JsonNode) descriptor = NULL;

  f->session = iwb_session_new ();
  iwb_session_set_folder (f->session, folder);
  loader = iwb_session_create_loader (f->session);
  iwb_loader_load_async (loader, folder, NULL, loaded, &integration);
  WAIT_FOR (integration != NULL, WAIT_SECONDS);
  descriptor = iwb_descriptor_build (integration);
  iwb_session_set_integration (f->session, integration, descriptor, descriptor);
  iwb_session_set_value (f->session, IWB_SESSION_SCOPE_CONNECTION, "API_KEY", "open-sesame",
                         IWB_SESSION_VALUE_TYPED | IWB_SESSION_VALUE_SECRET);
  iwb_session_set_value (f->session, IWB_SESSION_SCOPE_CONNECTION, "REGION", "eu", IWB_SESSION_VALUE_TYPED);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 600);
  f->view = iwb_run_view_new ();
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
  iwb_run_view_set_visible_tab (f->view, "results");
  ui_test_flush ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  ui_test_close_window (f->window);
  g_clear_object (&f->session);
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  iwb_run_start_finish (IWB_RUN (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Starts @action in the view with one input row of @key = @value; the
 * caller waits on @done. */
static IwbRun *
start (Fixture    *f,
       const char *action,
       const char *key,
       const char *value,
       gboolean   *done)
{
  g_autoptr(GError) error = NULL;
  IwbRun *run = iwb_session_create_run (f->session, IWB_RUN_EXECUTE, action, &error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *row = json_object_new ();

  g_assert_no_error (error);
  json_object_set_string_member (row, key, value);
  g_ptr_array_add (rows, row);
  iwb_run_set_rows (run, rows);
  *done = FALSE;
  iwb_run_view_attach (f->view, run, rows);
  iwb_session_start_run (f->session, run, NULL, run_done, done);
  return run;
}

static void
wait_shown (Fixture  *f,
            gboolean *done)
{
  WAIT_FOR (*done && iwb_run_view_get_finished (f->view) && iwb_run_view_get_n_pending (f->view) == 0,
            WAIT_SECONDS);
}

/* What the table shows: its model's items. */
static guint
n_rows_shown (Fixture *f)
{
  GtkColumnView *table = iwb_run_view_get_results_view (f->view);

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (table)));
}

static char *
columns_text (Fixture *f)
{
  g_auto(GStrv) columns = iwb_run_view_dup_result_columns (f->view);

  return g_strjoinv (",", columns);
}

static const char *
shown_text (Fixture *f,
            guint    position)
{
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (iwb_run_view_get_results_view (f->view)));
  g_autoptr(IwbRunEvent) event = g_list_model_get_item (model, position);

  return iwb_json_get_string_or (json_node_get_object (iwb_run_event_get_payload (event)), "text", NULL);
}

/* The "i" of a row the table shows. */
static gint64
row_i (Fixture *f,
       guint    position)
{
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (iwb_run_view_get_results_view (f->view)));
  g_autoptr(IwbRunEvent) event = g_list_model_get_item (model, position);

  return json_object_get_int_member (json_node_get_object (iwb_run_event_get_payload (event)), "i");
}

/* Scrolls the table to the middle of its rows and lets it draw there. */
static void
scroll_to_middle (Fixture *f)
{
  GtkWidget *scrolled = gtk_widget_get_parent (GTK_WIDGET (iwb_run_view_get_results_view (f->view)));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

  for (int i = 0; i < 20; i++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) / 2);
      ui_test_flush ();
    }
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);
}

static void
test_next_run_replaces (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *many_columns = NULL;
  g_autofree char *echo_columns = NULL;
  g_autoptr(IwbRun) first = NULL;
  g_autoptr(IwbRun) second = NULL;
  gboolean done;
  guint kept;

  first = start (f, "main.many", "count", "3000", &done);
  wait_shown (f, &done);
  g_assert_cmpuint (g_list_model_get_n_items (iwb_run_view_get_results (f->view)), ==, 3000);
  g_assert_cmpuint (n_rows_shown (f), ==, 3000);
  many_columns = columns_text (f);
  g_assert_cmpstr (many_columns, ==, "Input Row,i,square");
  scroll_to_middle (f);

  /* The next run: its list is empty at once, the last one's columns are
   * not reported as its own. */
  second = start (f, "main.echo", "text", "next", &done);
  g_assert_cmpuint (g_list_model_get_n_items (iwb_run_view_get_results (f->view)), ==, 0);
  /* The table kept only the rows it has widgets for, around the middle,
   * to let go of them in slices. */
  kept = n_rows_shown (f);
  g_assert_cmpuint (kept, >, 0);
  g_assert_cmpuint (kept, <, 1000);
  g_assert_cmpint (row_i (f, kept - 1), >, 1000);
  if (iwb_run_view_get_n_pending (f->view) > 0)
    {
      g_autofree char *during = columns_text (f);

      g_assert_cmpstr (during, ==, "Input Row");
    }
  wait_shown (f, &done);
  g_assert_cmpuint (g_list_model_get_n_items (iwb_run_view_get_results (f->view)), ==, 1);
  g_assert_cmpuint (n_rows_shown (f), ==, 1);
  g_assert_cmpstr (shown_text (f, 0), ==, ">next");
  echo_columns = columns_text (f);
  g_assert_cmpstr (echo_columns, ==, "Input Row,text,nested");
}

/* A run that starts while the table still lets go of the one before, and
 * another right after it: the view ends with the last run's rows only. */
static void
test_run_during_release (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(IwbRun) first = NULL;
  g_autoptr(IwbRun) second = NULL;
  g_autoptr(IwbRun) third = NULL;
  gboolean done, done2;

  first = start (f, "main.many", "count", "2000", &done);
  wait_shown (f, &done);
  scroll_to_middle (f);

  second = start (f, "main.many", "count", "500", &done2);
  third = start (f, "main.echo", "text", "last", &done);
  WAIT_FOR (done2, WAIT_SECONDS);
  wait_shown (f, &done);
  g_assert_cmpuint (g_list_model_get_n_items (iwb_run_view_get_results (f->view)), ==, 1);
  g_assert_cmpuint (n_rows_shown (f), ==, 1);
  g_assert_cmpstr (shown_text (f, 0), ==, ">last");
  ui_test_flush ();
  g_assert_cmpuint (n_rows_shown (f), ==, 1);
}

/* The texts of the labels under @widget, joined by newlines. */
static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

/* A result that holds a secret value the run was given (the API key,
 * here in its JSON-escaped and its raw form) is shown masked in the table
 * and the JSON tab; what the run returned is left as it is. */
static void
test_result_secret_masked (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(IwbRun) run = NULL;
  g_autoptr(GString) labels = g_string_new (NULL);
  g_autofree char *json = NULL;
  gboolean done;

  run = start (f, "main.echo", "text", " open-sesame \"open-sesame\"", &done);
  wait_shown (f, &done);
  g_assert_cmpuint (n_rows_shown (f), ==, 1);
  g_assert_cmpstr (shown_text (f, 0), ==, "> open-sesame \"open-sesame\"");
  ui_test_flush ();
  collect_labels (GTK_WIDGET (iwb_run_view_get_results_view (f->view)), labels);
  g_assert_nonnull (strstr (labels->str, "[secret]"));
  g_assert_null (strstr (labels->str, "open-sesame"));
  json = iwb_run_view_dup_json_text (f->view);
  g_assert_nonnull (strstr (json, "[secret]"));
  g_assert_null (strstr (json, "open-sesame"));
}

static void
add_tests (void)
{
  g_test_add ("/ui/run-view/result-secret-masked", Fixture, NULL, fixture_set_up, test_result_secret_masked,
              fixture_tear_down);
  g_test_add ("/ui/run-view/next-run-replaces", Fixture, NULL, fixture_set_up, test_next_run_replaces,
              fixture_tear_down);
  g_test_add ("/ui/run-view/run-during-release", Fixture, NULL, fixture_set_up, test_run_during_release,
              fixture_tear_down);
}

int
main (int    argc,
      char **argv)
{
  return iwb_test_ui_main (argc, argv, NULL, add_tests);
}
