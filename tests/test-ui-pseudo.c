/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window in the pseudo locale (po/pseudo-locale, built by po/meson.build:
 * every message in "⟦…⟧" with accented letters): open the examples, show
 * each page, and walk the widget tree (labels, buttons, titles, subtitles,
 * descriptions, tooltips, placeholders, status pages). Every English word
 * must lie inside ⟦…⟧ unless it is data: the integration's own names,
 * descriptions and ids (taken from its descriptor), paths, URLs, ids.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "iwb-window-private.h"
#include "test-iwb-util.h"
#include "test-ui-util.h"

static IwbApplication *app;

/* Whole texts of the toolkit's own widgets (GTK's and libadwaita's
 * catalogues, which have no pseudo locale): AdwPasswordEntryRow's button. */
static const char * const toolkit_texts[] = { "Show Text", "Hide Text", NULL };

static void
add_words (GHashTable *words,
           const char *text)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && !g_ascii_isalpha (*p))
        p++;
      start = p;
      while (g_ascii_isalpha (*p))
        p++;
      if (p - start >= 2)
        g_hash_table_add (words, g_strndup (start, p - start));
    }
}

static void
add_json_words (GHashTable *words,
                JsonNode   *node)
{
  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &key, &value))
        {
          add_words (words, key);
          add_json_words (words, value);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        add_json_words (words, json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    add_words (words, json_node_get_string (node));
}

/* A whitespace-separated token that is data, not prose: paths, URLs, ids,
 * option names, values, numbers. */
static gboolean
is_data_token (const char *token)
{
  if (token[0] == '-' || token[0] == '$')
    return TRUE;
  for (const char *p = token; *p != '\0'; p++)
    if (strchr ("/\\_=@{}<>|0123456789", *p) != NULL)
      return TRUE;
  /* main.post_message, file.csv; but not a sentence's final dot */
  {
    const char *dot = strchr (token, '.');

    if (dot != NULL && g_ascii_isalpha (dot[1]))
      return TRUE;
  }
  return FALSE;
}

/* The English words of @text outside ⟦…⟧ that are not data, or NULL. */
static char *
untranslated_words (const char *text,
                    GHashTable *allowed)
{
  g_autoptr(GString) outside = g_string_new (NULL);
  g_autoptr(GString) bad = g_string_new (NULL);
  g_auto(GStrv) tokens = NULL;
  int depth = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x27E6)          /* ⟦ */
        depth++;
      else if (c == 0x27E7)     /* ⟧ */
        depth = MAX (0, depth - 1);
      else if (depth == 0)
        g_string_append_unichar (outside, c);
      else
        g_string_append_c (outside, ' ');
    }
  g_strdelimit (outside->str, "\n\t", ' ');
  tokens = g_strsplit (outside->str, " ", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      g_autoptr(GHashTable) words = NULL;
      GHashTableIter iter;
      const char *w;

      if (tokens[i][0] == '\0' || is_data_token (tokens[i]))
        continue;
      words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      add_words (words, tokens[i]);
      g_hash_table_iter_init (&iter, words);
      while (g_hash_table_iter_next (&iter, (gpointer *) &w, NULL))
        if (!g_hash_table_contains (allowed, w))
          g_string_append_printf (bad, "%s%s", bad->len ? ", " : "", w);
    }
  return bad->len > 0 ? g_strdup (bad->str) : NULL;
}

static void
check_text (GString    *report,
            GtkWidget  *widget,
            const char *what,
            const char *text,
            GHashTable *allowed)
{
  g_autofree char *bad = NULL;

  if (text == NULL || *text == '\0' || g_strv_contains (toolkit_texts, text))
    return;
  bad = untranslated_words (text, allowed);
  if (bad != NULL)
    g_string_append_printf (report, "  %s %s: “%s”\n      English outside ⟦…⟧: %s\n",
                            G_OBJECT_TYPE_NAME (widget), what, text, bad);
}

static void
walk (GtkWidget  *widget,
      GHashTable *allowed,
      GString    *report,
      guint      *n_texts)
{
  g_autofree char *tooltip = NULL;

  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      check_text (report, widget, "label", gtk_label_get_text (GTK_LABEL (widget)), allowed);
      (*n_texts)++;
    }
  if (GTK_IS_BUTTON (widget))
    check_text (report, widget, "label", gtk_button_get_label (GTK_BUTTON (widget)), allowed);
  if (ADW_IS_PREFERENCES_ROW (widget))
    check_text (report, widget, "title", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), allowed);
  if (ADW_IS_ACTION_ROW (widget))
    check_text (report, widget, "subtitle", adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)), allowed);
  if (ADW_IS_EXPANDER_ROW (widget))
    check_text (report, widget, "subtitle", adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (widget)), allowed);
  if (ADW_IS_PREFERENCES_GROUP (widget))
    {
      check_text (report, widget, "title", adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)), allowed);
      check_text (report, widget, "description", adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (widget)), allowed);
    }
  if (ADW_IS_STATUS_PAGE (widget))
    {
      check_text (report, widget, "title", adw_status_page_get_title (ADW_STATUS_PAGE (widget)), allowed);
      check_text (report, widget, "description", adw_status_page_get_description (ADW_STATUS_PAGE (widget)), allowed);
    }
  if (ADW_IS_WINDOW_TITLE (widget))
    {
      check_text (report, widget, "title", adw_window_title_get_title (ADW_WINDOW_TITLE (widget)), allowed);
      check_text (report, widget, "subtitle", adw_window_title_get_subtitle (ADW_WINDOW_TITLE (widget)), allowed);
    }
  if (GTK_IS_ENTRY (widget))
    check_text (report, widget, "placeholder", gtk_entry_get_placeholder_text (GTK_ENTRY (widget)), allowed);
  if (GTK_IS_TEXT (widget))
    check_text (report, widget, "placeholder", gtk_text_get_placeholder_text (GTK_TEXT (widget)), allowed);
  if (GTK_IS_SEARCH_ENTRY (widget))
    {
      g_autofree char *placeholder = NULL;

      g_object_get (widget, "placeholder-text", &placeholder, NULL);
      check_text (report, widget, "placeholder", placeholder, allowed);
    }
  tooltip = g_strdup (gtk_widget_get_tooltip_text (widget));
  check_text (report, widget, "tooltip", tooltip, allowed);
  if (GTK_IS_WINDOW (widget))
    check_text (report, widget, "title", gtk_window_get_title (GTK_WINDOW (widget)), allowed);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk (child, allowed, report, n_texts);
}

static GHashTable *
data_words (IwbWindow *window)
{
  GHashTable *words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *path = g_file_get_path (iwb_window_get_folder (window));

  add_json_words (words, iwb_window_get_descriptor (window));
  add_words (words, path);
  /* The product's name is not translated. */
  add_words (words, "Integration Workbench lhub_integ");
  return words;
}

static void
check_window (IwbWindow  *window,
              const char *where,
              GHashTable *allowed,
              GString    *report)
{
  guint n_texts = 0;
  gsize before = report->len;

  ui_test_flush ();
  walk (GTK_WIDGET (window), allowed, report, &n_texts);
  if (report->len > before)
    g_string_insert (report, before, g_strdup_printf ("%s:\n", where));
  /* The walk saw the page: a real check, not an empty tree. */
  g_assert_cmpuint (n_texts, >, 3);
}

static void
check_example (const char *name)
{
  IwbWindow *window = iwb_window_new (app);
  g_autoptr(GFile) folder = ui_test_folder ("examples", name, NULL);
  g_autoptr(GHashTable) allowed = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  JsonObject *root;
  JsonArray *actions;

  /* One recorded validation, so the History page has a row (its time and
   * tooltip are formatted for the locale). A refused port: no service. */
  {
    g_auto(IwbCliResult) r = { 0 };
    g_autofree char *path = g_file_get_path (folder);

    iwb_cli_run (&r, NULL, NULL, "validate", path, "--timeout", "30", NULL);
    g_assert_cmpint (r.status, >=, 0);
  }

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
  gtk_window_present (GTK_WINDOW (window));
  iwb_window_open_folder (window, folder);
  WAIT_FOR (!ui_test_window_is_state (window, "loading"), WAIT_SECONDS);
  g_assert_cmpstr (iwb_window_get_state (window), ==, "integration");
  allowed = data_words (window);

  iwb_window_show_page (window, "connection");
  check_window (window, "connection page", allowed, report);

  root = json_node_get_object (iwb_window_get_descriptor (window));
  actions = json_object_get_array_member (root, "actions");
  for (guint i = 0; i < json_array_get_length (actions); i++)
    {
      const char *ep = json_object_get_string_member (json_array_get_object_element (actions, i),
                                                      "entrypoint");
      g_autofree char *where = g_strdup_printf ("action page %s", ep);

      iwb_window_show_page (window, ep);
      g_assert_cmpstr (iwb_window_get_visible_page (window), ==, ep);
      check_window (window, where, allowed, report);
    }

  /* The History page (empty here: its status page, search, filter). */
  iwb_window_show_page (window, "history");
  g_assert_cmpstr (iwb_window_get_visible_page (window), ==, "history");
  check_window (window, "history page", allowed, report);

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_flush ();
  if (report->len > 0)
    g_error ("examples/%s in the pseudo locale shows untranslated text "
             "(mark the string with _() or translatable=\"yes\"):\n%s", name, report->str);
}

static void
test_start_screen (void)
{
  IwbWindow *window = iwb_window_new (app);
  g_autoptr(GHashTable) allowed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) report = g_string_new (NULL);

  add_words (allowed, "Integration Workbench lhub_integ");
  /* The recent folders listed are data (the user's folder names). */
  {
    GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());

    for (GList *l = items; l != NULL; l = l->next)
      {
        g_autoptr(GFile) file = g_file_new_for_uri (gtk_recent_info_get_uri (l->data));
        g_autofree char *path = g_file_get_path (file);

        if (path != NULL)
          add_words (allowed, path);
      }
    g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
  }
  gtk_window_present (GTK_WINDOW (window));
  check_window (window, "start screen", allowed, report);
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_flush ();
  if (report->len > 0)
    g_error ("the start screen in the pseudo locale shows untranslated text:\n%s", report->str);
}

static void
test_chat_notify (void)
{
  check_example ("chat-notify");
}

static void
test_ticket_tracker (void)
{
  check_example ("ticket-tracker");
}

static void
test_checker (void)
{
  g_autoptr(GHashTable) allowed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  add_words (allowed, "Chat Notify");
  /* The checker itself: English outside the brackets is found, data is not. */
  a = untranslated_words ("⟦Ćóññéçţíóñ⟧ Connection", allowed);
  g_assert_cmpstr (a, ==, "Connection");
  g_assert_null (untranslated_words ("⟦Óþéñ “%s”⟧ Chat Notify /tmp/x main.post_message --set", allowed));
  b = untranslated_words ("⟦á ⟦ñéšţéđ⟧ ţéẋţ⟧ ok", allowed);
  g_assert_cmpstr (b, ==, "ok");
}

static void
add_tests (void)
{
  g_test_add_func ("/ui/pseudo/checker", test_checker);
  g_test_add_func ("/ui/pseudo/start-screen", test_start_screen);
  g_test_add_func ("/ui/pseudo/chat-notify", test_chat_notify);
  g_test_add_func ("/ui/pseudo/ticket-tracker", test_ticket_tracker);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *localedir = NULL;

  /* The pseudo locale: LANGUAGE=xx over C.UTF-8, the build tree's catalogue. */
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_setenv ("LANG", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "xx", TRUE);
  localedir = g_build_filename (g_getenv ("IWB_BUILD_ROOT"), "po", "pseudo-locale", NULL);
  g_assert_true (g_file_test (localedir, G_FILE_TEST_IS_DIR));
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* The catalogue is in use: a known message comes back transformed. */
  g_assert_true (g_str_has_prefix (_("Integration Workbench"), "⟦"));

  return iwb_test_ui_main (argc, argv, &app, add_tests);
}
