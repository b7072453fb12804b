/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Hot reload in the window, on a temporary copy of an integration: a good
 * edit on disk reloads it in the background (values kept, a toast with the
 * diff), a syntax error mid-edit keeps the last good forms usable and shows
 * the error with file:line in a banner, the next good save removes it; Ctrl+R
 * does the same on demand. A reload shows "Reloading…" in the header; an
 * edit saved during the first load is queued; one saved during a run waits
 * for the run's end ("Apply Reload", then a toast offers it).
 */
#include "config.h"

#include <glib/gstdio.h>

#include "iwb-diff-view.h"
#include "iwb-json-diff.h"
#include "iwb-window-private.h"
#include "test-ui-util.h"

static IwbApplication *app;

#define GOOD_V1 \
  "from lhub_integ import action, connection_validator\n" \
  "from lhub_integ.params import ActionParam, ConnectionParam\n" \
  "\n" \
  "API_URL = ConnectionParam(\"API_URL\", description=\"URL of the service\")\n" \
  "CHANNEL = ActionParam(\"CHANNEL\", description=\"Where to post\", action=\"post\")\n" \
  "\n" \
  "\n" \
  "@action(\"Post\")\n" \
  "def post(text):\n" \
  "    return {\"channel\": CHANNEL.read(), \"text\": text}\n"

/* CHANNEL described differently, a new LIMIT param. */
#define GOOD_V2 \
  "from lhub_integ import action, connection_validator\n" \
  "from lhub_integ.params import ActionParam, ConnectionParam\n" \
  "\n" \
  "API_URL = ConnectionParam(\"API_URL\", description=\"URL of the service\")\n" \
  "CHANNEL = ActionParam(\"CHANNEL\", description=\"Channel to post to\", action=\"post\")\n" \
  "LIMIT = ActionParam(\"LIMIT\", description=\"At most this many\", action=\"post\", optional=True)\n" \
  "\n" \
  "\n" \
  "@action(\"Post\")\n" \
  "def post(text):\n" \
  "    return {\"channel\": CHANNEL.read(), \"text\": text}\n"

/* Saved mid-edit: a syntax error on line 9. */
#define BROKEN \
  "from lhub_integ import action, connection_validator\n" \
  "from lhub_integ.params import ActionParam, ConnectionParam\n" \
  "\n" \
  "API_URL = ConnectionParam(\"API_URL\", description=\"URL of the service\")\n" \
  "CHANNEL = ActionParam(\"CHANNEL\", description=\"Channel to post to\", action=\"post\")\n" \
  "\n" \
  "\n" \
  "@action(\"Post\")\n" \
  "def post(text:\n" \
  "    return {\"channel\": CHANNEL.read(), \"text\": text}\n"

typedef struct
{
  char      *dir;
  char      *main_py;
  IwbWindow *window;
} Fixture;

static void
write_main (Fixture    *f,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  /* Like an editor's save: a temporary file renamed over the old one. */
  g_file_set_contents (f->main_py, text, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GFile) folder = NULL;

  f->dir = g_dir_make_tmp ("iwb-ui-reload-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->main_py = g_build_filename (f->dir, "main.py", NULL);
  write_main (f, GOOD_V1);
  folder = g_file_new_for_path (f->dir);

  f->window = iwb_window_new (app);
  gtk_window_present (GTK_WINDOW (f->window));
  iwb_window_open_folder (f->window, folder);
  WAIT_FOR (g_strcmp0 (iwb_window_get_state (f->window), "loading") != 0, WAIT_SECONDS);
  g_assert_cmpstr (iwb_window_get_state (f->window), ==, "integration");
  g_assert_nonnull (_iwb_window_get_watcher (f->window));
  g_assert_true (iwb_folder_watcher_is_started (_iwb_window_get_watcher (f->window)));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  ui_test_close_window (f->window);
  g_remove (f->main_py);
  g_rmdir (f->dir);
  g_free (f->main_py);
  g_free (f->dir);
}

static IwbParamForm *
post_params (IwbWindow *window)
{
  IwbActionPage *page = iwb_window_get_action_page (window, "main.post");

  g_assert_nonnull (page);
  return iwb_action_page_get_params_form (page);
}

static IwbParamForm *
connection_form (IwbWindow *window)
{
  return iwb_connection_page_get_form (iwb_window_get_connection_page (window));
}

static gboolean
has_marker (GtkWidget *widget)
{
  if (gtk_widget_has_css_class (widget, "changed-marker"))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (has_marker (child))
      return TRUE;
  return FALSE;
}

static gboolean
banner_shown (IwbWindow *window)
{
  return gtk_widget_get_visible (window->reload_banner)
         && gtk_revealer_get_reveal_child (GTK_REVEALER (window->reload_banner));
}

static void
test_hot_reload (Fixture       *f,
                 gconstpointer  data)
{
  IwbWindow *window = f->window;
  IwbDiffView *view;
  GPtrArray *changes;
  gboolean saw_loading_page = FALSE;

  iwb_field_value_set_text (iwb_param_form_get_field (connection_form (window), "API_URL"), "http://typed.example");
  iwb_field_value_set_text (iwb_param_form_get_field (post_params (window), "CHANNEL"), "#general");
  iwb_window_show_page (window, "main.post");

  /* A good edit: reloaded in the background, the diff offered. */
  g_clear_object (&window->last_toast);
  write_main (f, GOOD_V2);
  /* The forms never give way to the loading page meanwhile. */
  WAIT_FOR ((saw_loading_page |= g_strcmp0 (iwb_window_get_state (window), "integration") != 0,
             window->last_toast != NULL), WAIT_SECONDS);
  g_assert_false (saw_loading_page);
  g_assert_cmpstr (adw_toast_get_title (window->last_toast), ==, "Integration reloaded — 2 changes");
  g_assert_cmpstr (adw_toast_get_button_label (window->last_toast), ==, "Show Changes");
  g_assert_cmpstr (g_variant_get_string (adw_toast_get_action_target_value (window->last_toast), NULL), ==, "reload");
  /* The new input is there, the values are kept, the page too. */
  g_assert_nonnull (iwb_param_form_get_field (post_params (window), "LIMIT"));
  g_assert_cmpstr (iwb_field_value_get_description (iwb_param_form_get_field (post_params (window), "CHANNEL")), ==,
                   "Channel to post to");
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (post_params (window), "CHANNEL")), ==, "#general");
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (connection_form (window), "API_URL")), ==,
                   "http://typed.example");
  g_assert_cmpstr (iwb_window_get_visible_page (window), ==, "main.post");
  g_assert_false (banner_shown (window));

  /* Show Changes: before / after. */
  /* (the menu's "latest" is the reload: no overrides are in force) */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-changes", "s", "latest"));
  g_assert_nonnull (window->diff_window);
  view = IWB_DIFF_VIEW (window->diff_view);
  g_assert_cmpstr (iwb_diff_view_get_title (view), ==, "Reload");
  changes = iwb_diff_view_get_changes (view);
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_cmpstr (iwb_json_change_get_path (g_ptr_array_index (changes, 0)), ==,
                   "actions[entrypoint=main.post].instantiation.steps[0].inputs[id=CHANNEL].description");
  g_assert_cmpint (iwb_json_change_get_kind (g_ptr_array_index (changes, 1)), ==, IWB_JSON_CHANGE_ADDED);
  g_assert_nonnull (strstr (iwb_json_change_get_path (g_ptr_array_index (changes, 1)), "inputs"));

  /* A syntax error mid-edit: the last good forms stay, a banner says where. */
  write_main (f, BROKEN);
  WAIT_FOR (_iwb_window_get_reload_error (window) != NULL, WAIT_SECONDS);
  g_assert_true (banner_shown (window));
  g_assert_nonnull (strstr (_iwb_window_get_reload_error (window), "main.py:9"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (window->reload_banner_details)), "main.py:9"));
  g_assert_cmpstr (iwb_window_get_state (window), ==, "integration");
  g_assert_nonnull (iwb_window_get_integration (window));
  /* still usable: typing, and the LIMIT input of the last good version */
  iwb_field_value_set_text (iwb_param_form_get_field (post_params (window), "LIMIT"), "5");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (iwb_param_form_get_row (post_params (window), "LIMIT"))), ==, "5");

  /* The next good save: banner gone, values kept. */
  g_clear_object (&window->last_toast);
  write_main (f, GOOD_V2);
  WAIT_FOR (window->last_toast != NULL, WAIT_SECONDS);
  g_assert_null (_iwb_window_get_reload_error (window));
  g_assert_false (banner_shown (window));
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (post_params (window), "LIMIT")), ==, "5");
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (post_params (window), "CHANNEL")), ==, "#general");
  /* nothing changed since the last good descriptor */
  g_assert_cmpstr (adw_toast_get_title (window->last_toast), ==, "Integration reloaded — the descriptor did not change");
  /* the diff window that showed a reload follows the latest one */
  g_assert_cmpuint (iwb_diff_view_get_n_changes (IWB_DIFF_VIEW (window->diff_view)), ==, 0);
}

/* Ctrl+R on a loaded integration: the same background reload. */
static void
test_manual_reload (Fixture       *f,
                    gconstpointer  data)
{
  IwbWindow *window = f->window;

  iwb_field_value_set_text (iwb_param_form_get_field (post_params (window), "CHANNEL"), "#ops");
  /* Stop watching so that only the action reloads. */
  iwb_folder_watcher_stop (_iwb_window_get_watcher (window));
  write_main (f, GOOD_V2);

  g_clear_object (&window->last_toast);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  g_assert_cmpstr (iwb_window_get_state (window), ==, "integration");
  g_assert_nonnull (window->load_cancellable);
  WAIT_FOR (window->load_cancellable == NULL, WAIT_SECONDS);
  g_assert_nonnull (window->last_toast);
  g_assert_cmpstr (adw_toast_get_title (window->last_toast), ==, "Integration reloaded — 2 changes");
  g_assert_nonnull (iwb_param_form_get_field (post_params (window), "LIMIT"));
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (post_params (window), "CHANNEL")), ==, "#ops");

  /* A broken file on Ctrl+R: banner, forms kept; Retry in the banner. */
  write_main (f, BROKEN);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  WAIT_FOR (window->load_cancellable == NULL, WAIT_SECONDS);
  g_assert_true (banner_shown (window));
  g_assert_nonnull (iwb_window_get_action_page (window, "main.post"));
  write_main (f, GOOD_V1);
  g_clear_object (&window->last_toast);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  WAIT_FOR (window->load_cancellable == NULL, WAIT_SECONDS);
  g_assert_false (banner_shown (window));
  g_assert_cmpstr (adw_toast_get_title (window->last_toast), ==, "Integration reloaded — 2 changes");
  g_assert_null (iwb_param_form_get_field (post_params (window), "LIMIT"));
}

/* Overrides in force survive a reload that leaves them applicable. */
#define WITH_VALIDATOR(extra) \
  "import json\n" \
  "from lhub_integ import action, connection_validator\n" \
  "from lhub_integ.common import input_helpers\n" \
  "from lhub_integ.params import ActionParam\n" \
  "\n" \
  "CHANNEL = ActionParam(\"CHANNEL\", description=\"Where to post\", action=\"post\")\n" \
  extra \
  "\n" \
  "@connection_validator\n" \
  "def validate_connections():\n" \
  "    d = json.loads(input_helpers.get_stripped_env_string('__integration_descriptor'))\n" \
  "    d['actions'][0]['instantiation']['steps'][0]['inputs'][0]['description'] = 'Dynamic'\n" \
  "    print('[result] ' + json.dumps({'actionOverrides': d['actions']}))\n" \
  "\n" \
  "@action('Post')\n" \
  "def post(text):\n" \
  "    return {'channel': CHANNEL.read(), 'text': text}\n"

static void
test_reload_keeps_overrides (Fixture       *f,
                             gconstpointer  data)
{
  IwbWindow *window = f->window;
  IwbConnectionPage *connection;
  IwbParamForm *params;

  write_main (f, WITH_VALIDATOR (""));
  g_clear_object (&window->last_toast);
  WAIT_FOR (window->last_toast != NULL && window->load_cancellable == NULL, WAIT_SECONDS);
  connection = iwb_window_get_connection_page (window);
  gtk_widget_activate_action (GTK_WIDGET (connection), "page.validate", NULL);
  WAIT_FOR (!iwb_connection_page_get_busy (connection), WAIT_SECONDS);
  g_assert_nonnull (window->action_overrides);
  params = post_params (window);
  g_assert_cmpstr (iwb_field_value_get_description (iwb_param_form_get_field (params, "CHANNEL")), ==, "Dynamic");

  /* Only code changed: the overrides stay in force. */
  g_clear_object (&window->last_toast);
  write_main (f, WITH_VALIDATOR ("# an edit that changes no param\n"));
  WAIT_FOR (window->last_toast != NULL && window->load_cancellable == NULL, WAIT_SECONDS);
  g_assert_cmpstr (adw_toast_get_title (window->last_toast), ==, "Integration reloaded — the descriptor did not change");
  g_assert_nonnull (window->action_overrides);
  params = post_params (window);
  g_assert_cmpstr (iwb_field_value_get_description (iwb_param_form_get_field (params, "CHANNEL")), ==, "Dynamic");
  g_assert_true (has_marker (iwb_param_form_get_row (params, "CHANNEL")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-changes", "s", "overrides"));
  g_assert_nonnull (window->diff_window);

  /* Another param: overrides made from the old descriptor would hide it,
   * so they are dropped (a toast says so) and the new form shows. */
  g_clear_object (&window->last_toast);
  write_main (f, WITH_VALIDATOR ("LIMIT = ActionParam(\"LIMIT\", action=\"post\", optional=True)\n"));
  WAIT_FOR (window->last_toast != NULL && window->load_cancellable == NULL, WAIT_SECONDS);
  g_assert_cmpstr (adw_toast_get_title (window->last_toast), ==, "Integration reloaded — 1 change");
  g_assert_null (window->action_overrides);
  g_assert_true (iwb_window_get_descriptor (window) == iwb_window_get_base_descriptor (window));
  g_assert_null (window->diff_window); /* it showed overrides that are gone */
  params = post_params (window);
  g_assert_nonnull (iwb_param_form_get_field (params, "LIMIT"));
  g_assert_cmpstr (iwb_field_value_get_description (iwb_param_form_get_field (params, "CHANNEL")), ==, "Where to post");
  g_assert_false (has_marker (GTK_WIDGET (params)));
  /* the connection page (and its result) stayed */
  g_assert_true (iwb_window_get_connection_page (window) == connection);
  g_assert_cmpstr (iwb_connection_page_get_result (connection), ==, "valid");
  /* ...without the note about overrides that are gone */
  g_assert_null (iwb_connection_page_get_result_note (connection));
}

/* Ctrl+R shows "Reloading…" in the header while the reload runs, and
 * nothing once it is done. */
static void
test_reloading_state (Fixture       *f,
                      gconstpointer  data)
{
  IwbWindow *window = f->window;

  g_assert_false (_iwb_window_get_reloading (window));
  g_assert_false (gtk_widget_get_visible (window->reload_status));
  iwb_folder_watcher_stop (_iwb_window_get_watcher (window));
  write_main (f, GOOD_V2);
  g_clear_object (&window->last_toast);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  /* At once, before the loader answers: the header says so. */
  g_assert_true (_iwb_window_get_reloading (window));
  g_assert_true (gtk_widget_get_visible (window->reload_status));
  g_assert_true (gtk_widget_is_visible (window->reload_status));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (window->reload_spinner)));
  WAIT_FOR (window->last_toast != NULL, WAIT_SECONDS);
  g_assert_false (_iwb_window_get_reloading (window));
  g_assert_false (gtk_widget_get_visible (window->reload_status));
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (window->reload_spinner)));
}

/* The first load of V1 waits at import until the test lets it go (a file
 * named "go"), so an edit is saved while that load is certainly running. */
#define GATED_V1 \
  "import os, time\n" \
  "from lhub_integ import action\n" \
  "from lhub_integ.params import ActionParam\n" \
  "\n" \
  "open('loading.flag', 'w').close()\n" \
  "for _ in range(1200):\n" \
  "    if os.path.exists('go'):\n" \
  "        break\n" \
  "    time.sleep(0.05)\n" \
  "\n" \
  "CHANNEL = ActionParam(\"CHANNEL\", description=\"Where to post\", action=\"post\")\n" \
  "\n" \
  "@action(\"Post\")\n" \
  "def post(text):\n" \
  "    return {\"channel\": CHANNEL.read(), \"text\": text}\n"

static char *
fixture_path (Fixture    *f,
              const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static void
touch (Fixture    *f,
       const char *name)
{
  g_autofree char *path = fixture_path (f, name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "", 0, &error);
  g_assert_no_error (error);
}

/* An edit saved while the first load runs is not lost: once that load is
 * in, the edited version follows in the background. */
static void
test_edit_during_first_load (void)
{
  Fixture fixture = { 0 };
  Fixture *f = &fixture;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *flag = NULL;
  g_autofree char *go = NULL;
  IwbWindow *window;

  f->dir = g_dir_make_tmp ("iwb-ui-reload-XXXXXX", NULL);
  f->main_py = g_build_filename (f->dir, "main.py", NULL);
  flag = fixture_path (f, "loading.flag");
  go = fixture_path (f, "go");
  write_main (f, GATED_V1);
  folder = g_file_new_for_path (f->dir);
  f->window = window = iwb_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  iwb_window_open_folder (window, folder);

  /* The loader runs V1's import now... */
  WAIT_FOR (g_file_test (flag, G_FILE_TEST_EXISTS), WAIT_SECONDS);
  g_assert_cmpstr (iwb_window_get_state (window), ==, "loading");
  /* ...when the edit is saved (without the gate, with a LIMIT param). */
  write_main (f, GOOD_V2);
  /* The watcher saw it (debounced) while the load still runs. */
  WAIT_FOR (window->reload_pending, WAIT_SECONDS);
  g_assert_cmpstr (iwb_window_get_state (window), ==, "loading");
  touch (f, "go");

  /* V1 shows first, then the edit follows on its own. */
  WAIT_FOR (g_strcmp0 (iwb_window_get_state (window), "integration") == 0, WAIT_SECONDS);
  WAIT_FOR (iwb_param_form_get_field (post_params (window), "LIMIT") != NULL, WAIT_SECONDS);
  g_assert_false (window->reload_pending);
  WAIT_FOR (window->load_cancellable == NULL, WAIT_SECONDS);
  g_assert_cmpstr (iwb_field_value_get_description (iwb_param_form_get_field (post_params (window), "CHANNEL")), ==,
                   "Channel to post to");

  g_remove (flag);
  g_remove (go);
  fixture_tear_down (f, NULL);
}

/* Adds a slow action to GOOD_V1-like code: it answers once "go" exists. */
#define SLOW(extra) \
  "import os, time\n" \
  "from lhub_integ import action\n" \
  "from lhub_integ.params import ActionParam\n" \
  "\n" \
  "CHANNEL = ActionParam(\"CHANNEL\", description=\"Where to post\", action=\"post\")\n" \
  extra \
  "\n" \
  "@action(\"Post\")\n" \
  "def post(text):\n" \
  "    return {\"channel\": CHANNEL.read(), \"text\": text}\n" \
  "\n" \
  "@action(\"Wait\")\n" \
  "def wait(text):\n" \
  "    open('running.flag', 'w').close()\n" \
  "    for _ in range(1200):\n" \
  "        if os.path.exists('go'):\n" \
  "            break\n" \
  "        time.sleep(0.05)\n" \
  "    return {\"done\": text}\n"

/* An edit saved during a run does not end the run: the run finishes with
 * the code and the page it started with, the new version waits ("Apply
 * Reload" in the header) and is offered when the run ends. */
static void
test_run_finishes_first (Fixture       *f,
                         gconstpointer  data)
{
  IwbWindow *window = f->window;
  g_autofree char *running_flag = fixture_path (f, "running.flag");
  g_autofree char *go = fixture_path (f, "go");
  IwbActionPage *page;
  IwbRunView *view;
  IwbRun *run;
  g_autoptr(IwbRunEvent) result = NULL;

  g_clear_object (&window->last_toast);
  write_main (f, SLOW (""));
  WAIT_FOR (window->last_toast != NULL && window->load_cancellable == NULL
            && iwb_window_get_action_page (window, "main.wait") != NULL, WAIT_SECONDS);
  page = iwb_window_get_action_page (window, "main.wait");
  view = iwb_action_page_get_run_view (page);
  iwb_rows_editor_set_value (iwb_action_page_get_rows_editor (page), 0, "text", "hello");
  iwb_window_show_page (window, "main.wait");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.run", NULL));
  g_assert_true (iwb_action_page_get_running (page));
  run = iwb_run_view_get_run (view);
  WAIT_FOR (g_file_test (running_flag, G_FILE_TEST_EXISTS), WAIT_SECONDS);

  /* A descriptor change mid-run: reloaded, but held back. */
  g_clear_object (&window->last_toast);
  write_main (f, SLOW ("LIMIT = ActionParam(\"LIMIT\", action=\"post\", optional=True)\n"));
  WAIT_FOR (_iwb_window_get_reload_held (window), WAIT_SECONDS);
  g_assert_false (_iwb_window_get_reloading (window));
  g_assert_true (gtk_widget_get_visible (window->reload_apply));
  g_assert_false (gtk_widget_is_sensitive (window->reload_apply)); /* not while it runs */
  g_assert_true (iwb_action_page_get_running (page));
  g_assert_true (iwb_window_get_action_page (window, "main.wait") == page);
  g_assert_null (iwb_param_form_get_field (post_params (window), "LIMIT"));
  g_assert_null (window->last_toast);

  /* The run ends on its own, with its result. */
  touch (f, "go");
  WAIT_FOR (!iwb_action_page_get_running (page) && iwb_run_view_get_finished (view)
            && iwb_run_view_get_n_pending (view) == 0, WAIT_SECONDS);
  g_assert_true (iwb_run_view_get_run (view) == run);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_SUCCEEDED);
  g_assert_cmpuint (g_list_model_get_n_items (iwb_run_view_get_results (view)), ==, 1);
  result = g_list_model_get_item (iwb_run_view_get_results (view), 0);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (iwb_run_event_get_payload (result)), "done"),
                   ==, "hello");

  /* Then the new version is offered. */
  g_assert_nonnull (window->last_toast);
  g_assert_cmpstr (adw_toast_get_title (window->last_toast), ==, "The integration changed on disk during the run");
  g_assert_cmpstr (adw_toast_get_action_name (window->last_toast), ==, "win.apply-reload");
  g_assert_true (gtk_widget_is_sensitive (window->reload_apply));
  g_clear_object (&window->last_toast);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.apply-reload", NULL));
  g_assert_false (_iwb_window_get_reload_held (window));
  g_assert_false (gtk_widget_get_visible (window->reload_apply));
  g_assert_nonnull (iwb_param_form_get_field (post_params (window), "LIMIT"));
  g_assert_nonnull (window->last_toast);
  g_assert_cmpstr (adw_toast_get_title (window->last_toast), ==, "Integration reloaded — 1 change");

  g_remove (running_flag);
  g_remove (go);
}

static void
add_tests (void)
{
  g_test_add ("/ui/reload/hot-reload", Fixture, NULL, fixture_set_up, test_hot_reload, fixture_tear_down);
  g_test_add ("/ui/reload/manual", Fixture, NULL, fixture_set_up, test_manual_reload, fixture_tear_down);
  g_test_add ("/ui/reload/keeps-overrides", Fixture, NULL, fixture_set_up, test_reload_keeps_overrides, fixture_tear_down);
  g_test_add ("/ui/reload/reloading-state", Fixture, NULL, fixture_set_up, test_reloading_state, fixture_tear_down);
  g_test_add_func ("/ui/reload/edit-during-first-load", test_edit_during_first_load);
  g_test_add ("/ui/reload/run-finishes-first", Fixture, NULL, fixture_set_up, test_run_finishes_first, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  return iwb_test_ui_main (argc, argv, &app, add_tests);
}
