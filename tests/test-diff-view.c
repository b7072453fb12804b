/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbDiffView under xvfb: changes grouped by action with kind badges and
 * old → new values, the side-by-side JSON with the changed lines
 * highlighted, "Copy as JSON Patch" (read back from the clipboard and
 * applied), activation jumping to the side-by-side page, the empty state.
 */
#include "config.h"

#include <string.h>

#include <gtksourceview/gtksource.h>

#include "iwb-core.h"
#include "iwb-diff-view.h"
#include "test-ui-util.h"

static JsonNode *
load_fixture (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("IWB_SOURCE_ROOT"), "tests", "diff-fixtures",
                                            name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (ADW_IS_ACTION_ROW (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static GtkWidget *
find_row (GPtrArray  *rows,
          const char *title)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      return rows->pdata[i];
  return NULL;
}

/* The kind badge: the row's first GtkLabel carrying one of the classes. */
static const char *
badge_class (GtkWidget *widget)
{
  static const char * const classes[] = { "success", "error", "warning", "accent" };

  if (GTK_IS_LABEL (widget))
    for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
      if (gtk_widget_has_css_class (widget, classes[i]))
        return classes[i];
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *found = badge_class (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The tag names on the line of @buffer that contains @needle (first match). */
static char *
line_tags (GtkTextBuffer *buffer,
           const char    *needle)
{
  GtkTextIter start, match_start, match_end;
  GString *names = g_string_new (NULL);
  GSList *tags;

  gtk_text_buffer_get_start_iter (buffer, &start);
  if (!gtk_text_iter_forward_search (&start, needle, 0, &match_start, &match_end, NULL))
    g_error ("“%s” is not in the buffer", needle);
  gtk_text_iter_set_line_offset (&match_start, 0);
  tags = gtk_text_iter_get_tags (&match_start);
  for (GSList *l = tags; l != NULL; l = l->next)
    {
      g_autofree char *name = NULL;

      g_object_get (l->data, "name", &name, NULL);
      if (name != NULL && g_str_has_prefix (name, "iwb-diff-"))
        g_string_append_printf (names, "%s%s", names->len ? " " : "", name);
    }
  g_slist_free (tags);
  return g_string_free (names, FALSE);
}

typedef struct
{
  char     *text;
  gboolean  done;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  read->done = TRUE;
}

static gboolean
clipboard_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static gboolean
page_is_side_by_side (gpointer data)
{
  AdwViewStack *stack = data;
  return g_strcmp0 (adw_view_stack_get_visible_child_name (stack), "side-by-side") == 0;
}

static AdwViewStack *
find_stack (GtkWidget *widget)
{
  if (ADW_IS_VIEW_STACK (widget))
    return ADW_VIEW_STACK (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwViewStack *found = find_stack (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_descriptor_changes (void)
{
  g_autoptr(JsonNode) base = load_fixture ("base.json");
  g_autoptr(JsonNode) effective = load_fixture ("effective.json");
  GtkWidget *window = gtk_window_new ();
  IwbDiffView *view = IWB_DIFF_VIEW (iwb_diff_view_new ());
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) group_rows = g_ptr_array_new ();
  g_autoptr(JsonNode) patch = NULL;
  g_autoptr(JsonNode) applied = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextBuffer *base_buffer, *effective_buffer;
  ClipboardRead read = { NULL, FALSE };
  GtkWidget *row;
  char *tags;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  g_object_ref (view);

  iwb_diff_view_set_documents (view, base, effective, "Dynamic overrides");
  g_assert_cmpstr (iwb_diff_view_get_title (view), ==, "Dynamic overrides");
  g_assert_cmpuint (iwb_diff_view_get_n_changes (view), ==, 9);
  g_assert_cmpstr (iwb_diff_view_get_summary (view), ==,
                   "9 changes: 5 added, 1 removed, 2 changed, 1 moved");

  /* Grouped by action: name as title, entrypoint as description. */
  groups = iwb_diff_view_dup_groups (view);
  g_assert_cmpuint (groups->len, ==, 2);
  g_assert_cmpstr (adw_preferences_group_get_title (groups->pdata[0]), ==, "Create ticket");
  g_assert_cmpstr (adw_preferences_group_get_description (groups->pdata[0]), ==, "main.create_ticket");
  g_assert_cmpstr (adw_preferences_group_get_title (groups->pdata[1]), ==, "Search tickets");
  collect_rows (groups->pdata[1], group_rows);
  g_assert_cmpuint (group_rows->len, ==, 1);

  collect_rows (GTK_WIDGET (view), rows);
  g_assert_cmpuint (rows->len, ==, 9);

  row = find_row (rows, "instantiation.steps[0].inputs[id=PROJECT].default");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "null → \"OPS\"");
  g_assert_cmpstr (badge_class (row), ==, "warning");

  row = find_row (rows, "instantiation.steps[0].inputs[id=ASSIGNEE]");
  g_assert_nonnull (row);
  g_assert_cmpstr (badge_class (row), ==, "success");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "\"id\":\"ASSIGNEE\""));

  row = find_row (rows, "instantiation.steps[0].inputs[id=query]");
  g_assert_nonnull (row);
  g_assert_cmpstr (badge_class (row), ==, "error");

  row = find_row (rows, "instantiation.steps[0].inputs[id=PRIORITY]");
  g_assert_nonnull (row);
  g_assert_cmpstr (badge_class (row), ==, "accent");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Position 2 → 4");

  row = find_row (rows, "description");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "\"Creates a ticket\" → \"Creates a ticket in one of 3 projects\"");

  /* Side by side: the changed lines carry their tags, the others none. */
  base_buffer = iwb_diff_view_get_base_buffer (view);
  effective_buffer = iwb_diff_view_get_effective_buffer (view);
  tags = line_tags (base_buffer, "\"Creates a ticket\"");
  g_assert_cmpstr (tags, ==, "iwb-diff-changed");
  g_free (tags);
  tags = line_tags (effective_buffer, "\"Creates a ticket in one of 3 projects\"");
  g_assert_cmpstr (tags, ==, "iwb-diff-changed");
  g_free (tags);
  tags = line_tags (effective_buffer, "\"ÜBER\"");
  g_assert_cmpstr (tags, ==, "iwb-diff-added");
  g_free (tags);
  tags = line_tags (effective_buffer, "\"id\": \"ASSIGNEE\"");
  g_assert_cmpstr (tags, ==, "iwb-diff-added");
  g_free (tags);
  tags = line_tags (base_buffer, "\"id\": \"query\"");
  g_assert_cmpstr (tags, ==, "iwb-diff-removed");
  g_free (tags);
  tags = line_tags (base_buffer, "\"id\": \"PRIORITY\"");
  g_assert_cmpstr (tags, ==, "iwb-diff-moved");
  g_free (tags);
  tags = line_tags (effective_buffer, "\"name\": \"Ticket Tracker\"");
  g_assert_cmpstr (tags, ==, "");
  g_free (tags);
  tags = line_tags (effective_buffer, "\"id\": \"title\"");
  g_assert_cmpstr (tags, ==, "");
  g_free (tags);

  /* Copy as JSON Patch: what lands on the clipboard turns base into effective. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "diff.copy-patch", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (view)), NULL,
                                 clipboard_read_cb, &read);
  WAIT_FOR (clipboard_done (&read), WAIT_SECONDS);
  g_assert_nonnull (read.text);
  patch = json_from_string (read.text, &error);
  g_assert_no_error (error);
  applied = iwb_json_patch_apply (base, patch, &error);
  g_assert_no_error (error);
  g_assert_true (iwb_json_equal (applied, effective));
  g_free (read.text);

  /* Activating a change shows it side by side. */
  row = find_row (rows, "description");
  g_signal_emit_by_name (row, "activated");
  WAIT_FOR (page_is_side_by_side (find_stack (GTK_WIDGET (view))), WAIT_SECONDS);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (view);
}

static void
test_no_differences (void)
{
  g_autoptr(JsonNode) base = load_fixture ("base.json");
  GtkWidget *window = gtk_window_new ();
  IwbDiffView *view = IWB_DIFF_VIEW (iwb_diff_view_new ());
  g_autoptr(GPtrArray) groups = NULL;
  g_autofree char *patch = NULL;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  g_object_ref (view);

  iwb_diff_view_set_side_labels (view, "Before", "After");
  iwb_diff_view_set_documents (view, base, base, "Reload");
  g_assert_cmpuint (iwb_diff_view_get_n_changes (view), ==, 0);
  g_assert_cmpstr (iwb_diff_view_get_summary (view), ==, "No differences");
  groups = iwb_diff_view_dup_groups (view);
  g_assert_cmpuint (groups->len, ==, 0);
  patch = iwb_diff_view_dup_patch_text (view);
  g_assert_cmpstr (g_strstrip (patch), ==, "[]");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (view);
}

/* A large diff lists the first 200 changes and counts the rest. */
static void
test_many_changes (void)
{
  GtkWidget *window = gtk_window_new ();
  IwbDiffView *view = IWB_DIFF_VIEW (iwb_diff_view_new ());
  g_autoptr(JsonNode) base = NULL;
  g_autoptr(JsonNode) effective = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) last_rows = g_ptr_array_new ();
  JsonArray *a = json_array_new (), *b = json_array_new ();
  JsonObject *ra = json_object_new (), *rb = json_object_new ();
  g_autofree char *tags = NULL;

  for (guint i = 0; i < 300; i++)
    {
      JsonObject *ia = json_object_new (), *ib = json_object_new ();
      g_autofree char *id = g_strdup_printf ("IN%03u", i);

      json_object_set_string_member (ia, "id", id);
      json_object_set_int_member (ia, "v", i);
      json_object_set_string_member (ib, "id", id);
      json_object_set_int_member (ib, "v", i + 1);
      json_array_add_object_element (a, ia);
      json_array_add_object_element (b, ib);
    }
  json_object_set_array_member (ra, "inputs", a);
  json_object_set_array_member (rb, "inputs", b);
  base = json_node_init_object (json_node_alloc (), ra);
  effective = json_node_init_object (json_node_alloc (), rb);
  json_object_unref (ra);
  json_object_unref (rb);

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  g_object_ref (view);
  iwb_diff_view_set_documents (view, base, effective, NULL);

  g_assert_cmpuint (iwb_diff_view_get_n_changes (view), ==, 300);
  g_assert_cmpstr (iwb_diff_view_get_summary (view), ==,
                   "300 changes: 0 added, 0 removed, 300 changed, 0 moved");
  collect_rows (GTK_WIDGET (view), rows);
  g_assert_cmpuint (rows->len, ==, 201);
  groups = iwb_diff_view_dup_groups (view);
  collect_rows (groups->pdata[groups->len - 1], last_rows);
  g_assert_cmpuint (last_rows->len, ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (last_rows->pdata[0]), ==, "100 more changes");
  /* The last change is not listed but still highlighted. */
  tags = line_tags (iwb_diff_view_get_effective_buffer (view), "\"v\": 300");
  g_assert_cmpstr (tags, ==, "iwb-diff-changed");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (view);
}

/* The group of the changes outside any action says what is compared:
 * “Integration” for two descriptors only; other documents get the side
 * labels, or the name the caller gives them. */
static void
test_rest_group_title (void)
{
  static const struct { const char *a; const char *b; const char *name; const char *labels[2];
                        const char *expected; } cases[] = {
    { "{\"name\": \"A\", \"actions\": []}", "{\"name\": \"B\", \"actions\": []}", NULL,
      { NULL, NULL }, "Integration" },
    { "[{\"text\": \">hello\"}]", "[{\"text\": \">HELLO\"}]", NULL, { NULL, NULL },
      "Base → Effective" },
    { "[{\"text\": \">hello\"}]", "[{\"text\": \">HELLO\"}]", NULL, { "Run 1", "Run 2" },
      "Run 1 → Run 2" },
    { "{\"count\": 1}", "{\"count\": 2}", "Results of run 1 and run 2", { "Run 1", "Run 2" },
      "Results of run 1 and run 2" },
    { "{\"actions\": 3}", "{\"actions\": 4}", NULL, { "Before", "After" }, "Before → After" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) a = json_from_string (cases[i].a, NULL);
      g_autoptr(JsonNode) b = json_from_string (cases[i].b, NULL);
      IwbDiffView *view = IWB_DIFF_VIEW (g_object_ref_sink (iwb_diff_view_new ()));
      g_autoptr(GPtrArray) groups = NULL;

      if (cases[i].labels[0] != NULL)
        iwb_diff_view_set_side_labels (view, cases[i].labels[0], cases[i].labels[1]);
      iwb_diff_view_set_document_name (view, cases[i].name);
      iwb_diff_view_set_documents (view, a, b, NULL);
      groups = iwb_diff_view_dup_groups (view);
      g_assert_cmpuint (groups->len, ==, 1);
      g_assert_cmpstr (adw_preferences_group_get_title (groups->pdata[0]), ==, cases[i].expected);
      g_clear_pointer (&groups, g_ptr_array_unref);
      g_assert_finalize_object (view);
    }
}

static void
add_tests (void)
{
  g_test_add_func ("/diff-view/rest-group-title", test_rest_group_title);
  g_test_add_func ("/diff-view/descriptor-changes", test_descriptor_changes);
  g_test_add_func ("/diff-view/no-differences", test_no_differences);
  g_test_add_func ("/diff-view/many-changes", test_many_changes);
}

int
main (int   argc,
      char *argv[])
{
  return iwb_test_ui_main (argc, argv, NULL, add_tests);
}
