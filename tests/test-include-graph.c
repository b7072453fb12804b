/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The include graph of src/core and src/gui has no loop, and the layers
 * only look down: core never includes GUI headers; in src/gui, widgets <
 * views < pages < app (a file includes headers of its own folder or a lower
 * one). Nodes are objects: iwb-window.c, iwb-window.h and
 * iwb-window-private.h are one node "iwb-window"; iwb-window-actions.c is
 * its own node (it includes iwb-window-private.h, nothing includes it).
 *
 * The sources are read from IWB_SOURCE_ROOT; a test's own fixture trees
 * (written under G_TEST_BUILDDIR) check that a loop is found and named.
 */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

typedef struct
{
  GHashTable *edges;   /* node -> GHashTable set of nodes (the includes) */
  GHashTable *layer;   /* node -> layer (GINT_TO_POINTER (1 + n)) */
  GHashTable *headers; /* header basename -> node */
  GPtrArray  *files;   /* path of every scanned file */
} Graph;

static void
graph_free (Graph *graph)
{
  g_hash_table_unref (graph->edges);
  g_hash_table_unref (graph->layer);
  g_hash_table_unref (graph->headers);
  g_ptr_array_unref (graph->files);
  g_free (graph);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Graph, graph_free)

static char *
node_of (const char *basename)
{
  const char *dot = strrchr (basename, '.');
  char *node = g_strndup (basename, dot ? (gsize) (dot - basename) : strlen (basename));

  if (g_str_has_suffix (node, "-private"))
    node[strlen (node) - strlen ("-private")] = '\0';
  return node;
}

/* 0 for core; 1 widgets, 2 views, 3 pages, 4 app for src/gui. */
static int
layer_of (const char *path)
{
  static const char *gui_layers[] = { "/widgets/", "/views/", "/pages/", "/app/" };

  if (strstr (path, "/gui/") == NULL)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (gui_layers); i++)
    if (strstr (path, gui_layers[i]) != NULL)
      return (int) i + 1;
  return 4;
}

static void
collect (const char *folder,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect (path, files);
      else if (g_str_has_prefix (name, "iwb-") && (g_str_has_suffix (name, ".c") || g_str_has_suffix (name, ".h")))
        g_ptr_array_add (files, g_steal_pointer (&path));
    }
}

static Graph *
graph_load (const char *root)
{
  Graph *graph = g_new0 (Graph, 1);
  const char *tops[] = { "src/core", "src/gui" };

  graph->edges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
  graph->layer = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  graph->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  graph->files = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (tops); i++)
    {
      g_autofree char *top = g_build_filename (root, tops[i], NULL);

      collect (top, graph->files);
    }
  for (guint i = 0; i < graph->files->len; i++)
    {
      const char *path = g_ptr_array_index (graph->files, i);
      g_autofree char *base = g_path_get_basename (path);
      char *node = node_of (base);

      if (g_str_has_suffix (base, ".h"))
        g_hash_table_replace (graph->headers, g_strdup (base), g_strdup (node));
      g_hash_table_replace (graph->layer, node, GINT_TO_POINTER (1 + layer_of (path)));
      if (!g_hash_table_contains (graph->edges, node))
        g_hash_table_insert (graph->edges, g_strdup (node),
                             g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL));
    }
  for (guint i = 0; i < graph->files->len; i++)
    {
      const char *path = g_ptr_array_index (graph->files, i);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *node = node_of (base);
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;
      GHashTable *targets = g_hash_table_lookup (graph->edges, node);
      g_autoptr(GError) error = NULL;

      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);
      lines = g_strsplit (text, "\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        {
          const char *p = lines[l];
          const char *end;
          g_autofree char *header = NULL;
          const char *target;

          while (*p == ' ' || *p == '\t')
            p++;
          if (*p != '#')
            continue;
          p++;
          while (*p == ' ' || *p == '\t')
            p++;
          if (!g_str_has_prefix (p, "include"))
            continue;
          p = strchr (p, '"');
          if (p == NULL || (end = strchr (p + 1, '"')) == NULL)
            continue;
          header = g_strndup (p + 1, end - p - 1);
          target = g_hash_table_lookup (graph->headers, header);
          if (target != NULL && !g_str_equal (target, node))
            g_hash_table_add (targets, g_strdup_printf ("%s\x1f%s:%u", target, base, l + 1));
        }
    }
  return graph;
}

/* The target node of an edge "node\x1ffile:line" (owned). */
static char *
edge_target (const char *edge)
{
  return g_strndup (edge, strchr (edge, '\x1f') - edge);
}

/* Depth-first search with colours over the nodes of one kind (GUI or
 * core: a loop across both needs an upward include, which
 * graph_upward_includes() reports); appends every loop it closes to @loops. */
static void
find_loops (Graph      *graph,
            const char *node,
            gboolean    gui,
            GHashTable *colour,
            GPtrArray  *stack,
            GString    *loops)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_replace (colour, (gpointer) node, GINT_TO_POINTER (1));
  g_ptr_array_add (stack, (gpointer) node);
  g_hash_table_iter_init (&iter, g_hash_table_lookup (graph->edges, node));
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autofree char *target = edge_target (key);
      const char *stored = NULL;
      int c;

      g_hash_table_lookup_extended (graph->edges, target, (gpointer *) &stored, NULL);
      if (stored == NULL || (GPOINTER_TO_INT (g_hash_table_lookup (graph->layer, stored)) > 1) != gui)
        continue;
      c = GPOINTER_TO_INT (g_hash_table_lookup (colour, stored));
      if (c == 1)
        {
          /* A loop: from @stored on the stack to here, and back. */
          gboolean in = FALSE;

          for (guint i = 0; i < stack->len; i++)
            {
              if (g_str_equal (g_ptr_array_index (stack, i), stored))
                in = TRUE;
              if (in)
                g_string_append_printf (loops, "%s -> ", (char *) g_ptr_array_index (stack, i));
            }
          g_string_append_printf (loops, "%s (via %s)\n", stored, strchr (key, '\x1f') + 1);
        }
      else if (c == 0)
        find_loops (graph, stored, gui, colour, stack, loops);
    }
  g_ptr_array_remove_index (stack, stack->len - 1);
  g_hash_table_replace (colour, (gpointer) node, GINT_TO_POINTER (2));
}

/* Every loop among the GUI's (or the core's) nodes, one a line ("" when
 * there is none). */
static char *
graph_loops (Graph    *graph,
             gboolean  gui)
{
  g_autoptr(GHashTable) colour = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  GString *loops = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, graph->layer);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gboolean is_gui = GPOINTER_TO_INT (value) > 1;

      if (is_gui != gui || g_hash_table_lookup (colour, key) != NULL)
        continue;
      find_loops (graph, key, gui, colour, stack, loops);
    }
  return g_string_free (loops, FALSE);
}

/* Includes that look up: core -> GUI, widgets -> views, ... */
static char *
graph_upward_includes (Graph *graph)
{
  GString *found = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, graph->edges);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      int from = GPOINTER_TO_INT (g_hash_table_lookup (graph->layer, key));
      GHashTableIter targets;
      gpointer edge;

      g_hash_table_iter_init (&targets, value);
      while (g_hash_table_iter_next (&targets, &edge, NULL))
        {
          g_autofree char *target = edge_target (edge);
          int to = GPOINTER_TO_INT (g_hash_table_lookup (graph->layer, target));

          if (to > from)
            g_string_append_printf (found, "%s -> %s (%s)\n", (char *) key, target, strchr (edge, '\x1f') + 1);
        }
    }
  return g_string_free (found, FALSE);
}

static Graph *
source_graph (void)
{
  const char *root = g_getenv ("IWB_SOURCE_ROOT");
  Graph *graph;

  g_assert_nonnull (root);
  graph = graph_load (root);
  /* The scan saw the tree (a wrong root would pass every check). */
  g_assert_cmpuint (graph->files->len, >, 40);
  g_assert_true (g_hash_table_contains (graph->edges, "iwb-window"));
  g_assert_true (g_hash_table_contains (graph->edges, "iwb-run"));
  return graph;
}

static void
test_gui_has_no_loop (void)
{
  g_autoptr(Graph) graph = source_graph ();
  g_autofree char *loops = graph_loops (graph, TRUE);

  if (loops[0] != '\0')
    g_error ("Include loops among src/gui files (break them with iwb-gui-types.h "
             "forward declarations, properties and actions):\n%s", loops);
}

/* Loops another area is breaking at the time of writing (issue 10 item 4:
 * iwb-json ends the iwb-json-diff <-> iwb-json-patch loop). Reported as
 * TODO, not passed: any other loop fails. Remove an entry once it is gone. */
static const char *known_core_loops[] = {
  "iwb-json-patch -> iwb-json-diff -> iwb-json-patch",
  "iwb-json-diff -> iwb-json-patch -> iwb-json-diff",
};

static void
test_core_has_no_loop (void)
{
  g_autoptr(Graph) graph = source_graph ();
  g_autofree char *loops = graph_loops (graph, FALSE);
  g_auto(GStrv) lines = g_strsplit (loops, "\n", -1);
  g_autoptr(GString) unknown = g_string_new (NULL);
  g_autoptr(GString) known = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      gboolean is_known = FALSE;

      if (lines[i][0] == '\0')
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (known_core_loops); k++)
        if (g_str_has_prefix (lines[i], known_core_loops[k]))
          is_known = TRUE;
      g_string_append_printf (is_known ? known : unknown, "%s\n", lines[i]);
    }
  if (unknown->len > 0)
    g_error ("Include loops among src/core files:\n%s", unknown->str);
  if (known->len > 0)
    g_test_incomplete (known->str);
}

static void
test_layers_look_down (void)
{
  g_autoptr(Graph) graph = source_graph ();
  g_autofree char *upward = graph_upward_includes (graph);

  if (upward[0] != '\0')
    g_error ("Includes that look up a layer (core < widgets < views < pages < app):\n%s", upward);
}

static void
write_file (const char *root,
            const char *relative,
            const char *text)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* The checks find what they look for: a loop through a private header and
 * an upward include, in a small tree of our own. */
static void
test_finds_loops (void)
{
  g_autofree char *root = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR")
                                            : g_get_tmp_dir (), "include-graph-tree", NULL);
  g_autoptr(Graph) graph = NULL;
  g_autofree char *loops = NULL;
  g_autofree char *core_loops = NULL;
  g_autofree char *upward = NULL;

  write_file (root, "src/gui/app/iwb-shell.h", "#pragma once\n#include \"iwb-panel.h\"\n");
  write_file (root, "src/gui/app/iwb-shell-private.h", "#include \"iwb-shell.h\"\n");
  write_file (root, "src/gui/app/iwb-shell.c", "#include \"iwb-shell-private.h\"\n");
  write_file (root, "src/gui/pages/iwb-panel.h", "#pragma once\n");
  write_file (root, "src/gui/pages/iwb-panel.c", "#include \"iwb-panel.h\"\n  #  include \"iwb-shell-private.h\"\n");
  write_file (root, "src/core/iwb-base.h", "#pragma once\n#include <glib.h>\n");
  write_file (root, "src/core/iwb-base.c", "#include \"iwb-base.h\"\n");

  graph = graph_load (root);
  loops = graph_loops (graph, TRUE);
  g_assert_nonnull (strstr (loops, "iwb-panel"));
  g_assert_nonnull (strstr (loops, "iwb-shell"));
  g_assert_nonnull (strstr (loops, ".c:"));
  core_loops = graph_loops (graph, FALSE);
  g_assert_cmpstr (core_loops, ==, "");
  upward = graph_upward_includes (graph);
  g_assert_nonnull (strstr (upward, "iwb-panel -> iwb-shell (iwb-panel.c:2)"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/include-graph/finds-loops", test_finds_loops);
  g_test_add_func ("/include-graph/gui-has-no-loop", test_gui_has_no_loop);
  g_test_add_func ("/include-graph/core-has-no-loop", test_core_has_no_loop);
  g_test_add_func ("/include-graph/layers-look-down", test_layers_look_down);
  return g_test_run ();
}
