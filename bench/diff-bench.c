/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Descriptor diff benchmark (issue 5): two platform descriptors with N inputs
 * each and a few hundred changes and moves; times iwb_json_diff() (and parse +
 * diff, and the JSON Patch) against a naive baseline in the same run:
 * `diff -u` of the two pretty-printed files. Prints a table with the ratio;
 * --markdown prints it as a Markdown table for docs/benchmarks.md.
 *
 *   build-dir/bench/diff-bench [--markdown] [--repeat N]
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "iwb-core.h"

typedef struct
{
  const char *name;
  guint       n_actions;
  guint       inputs_per_action;
} Scenario;

static JsonObject *
make_input (guint action,
            guint i)
{
  JsonObject *in = json_object_new ();
  g_autofree char *id = g_strdup_printf ("INPUT_%u_%u", action, i);
  g_autofree char *label = g_strdup_printf ("Input %u of action %u", i, action);
  g_autofree char *desc = g_strdup_printf ("What input %u does: a longer description text", i);
  gboolean select = i % 5 == 0;

  json_object_set_string_member (in, "id", id);
  json_object_set_string_member (in, "label", label);
  json_object_set_string_member (in, "data_type", i % 7 == 0 ? "column" : "string");
  json_object_set_string_member (in, "input_type", select ? "select" : i % 7 == 0 ? "columnSelect" : "text");
  json_object_set_boolean_member (in, "optional", i % 3 == 0);
  json_object_set_string_member (in, "description", desc);
  json_object_set_null_member (in, "default");
  if (select)
    {
      JsonArray *opts = json_array_new ();
      for (guint k = 0; k < 4; k++)
        {
          g_autofree char *o = g_strdup_printf ("option-%u", k);
          json_array_add_string_element (opts, o);
        }
      json_object_set_array_member (in, "options", opts);
    }
  else
    json_object_set_null_member (in, "options");
  json_object_set_string_member (in, "source", i % 7 == 0 ? "column" : "param");
  return in;
}

static JsonNode *
make_descriptor (const Scenario *sc)
{
  JsonObject *root = json_object_new ();
  JsonObject *conn = json_object_new ();
  JsonArray *actions = json_array_new ();
  JsonNode *node;

  json_object_set_string_member (root, "name", "Benchmark integration");
  json_object_set_string_member (root, "description", "Generated");
  json_object_set_null_member (root, "logoUrl");
  json_object_set_array_member (conn, "inputs", json_array_new ());
  json_object_set_object_member (root, "connection", conn);

  for (guint a = 0; a < sc->n_actions; a++)
    {
      JsonObject *action = json_object_new ();
      JsonObject *inst = json_object_new ();
      JsonArray *steps = json_array_new ();
      JsonObject *step = json_object_new ();
      JsonArray *inputs = json_array_new ();
      g_autofree char *name = g_strdup_printf ("Action %u", a);
      g_autofree char *ep = g_strdup_printf ("main.action_%u", a);

      for (guint i = 0; i < sc->inputs_per_action; i++)
        json_array_add_object_element (inputs, make_input (a, i));
      json_object_set_array_member (step, "inputs", inputs);
      json_array_add_object_element (steps, step);
      json_object_set_array_member (inst, "steps", steps);
      json_object_set_string_member (action, "name", name);
      json_object_set_string_member (action, "entrypoint", ep);
      json_object_set_string_member (action, "description", "An action");
      json_object_set_object_member (action, "instantiation", inst);
      json_array_add_object_element (actions, action);
    }
  json_object_set_array_member (root, "actions", actions);

  node = json_node_init_object (json_node_alloc (), root);
  json_object_unref (root);
  return node;
}

static JsonArray *
inputs_of (JsonNode *desc,
           guint     a)
{
  JsonObject *action = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (desc), "actions"), a);
  JsonObject *step = json_array_get_object_element (
    json_object_get_array_member (json_object_get_object_member (action, "instantiation"), "steps"), 0);
  return json_object_get_array_member (step, "inputs");
}

/* Rebuilds an array with item @from moved to @to. */
static void
move_item (JsonArray *arr,
           guint      from,
           guint      to)
{
  guint n = json_array_get_length (arr);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  gpointer moved;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, json_node_ref (json_array_get_element (arr, i)));
  moved = g_ptr_array_steal_index (items, from);
  g_ptr_array_insert (items, to, moved);
  while (json_array_get_length (arr) > 0)
    json_array_remove_element (arr, json_array_get_length (arr) - 1);
  for (guint i = 0; i < n; i++)
    json_array_add_element (arr, json_node_ref (items->pdata[i]));
}

/* B = A with @n_changes value changes, @n_moves moves, @n_add added and
 * @n_remove removed inputs, spread over the actions (fixed seed). */
static JsonNode *
mutate (JsonNode       *a,
        const Scenario *sc,
        guint           n_changes,
        guint           n_moves,
        guint           n_add,
        guint           n_remove)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  JsonNode *b = iwb_json_deep_copy (a);

  for (guint k = 0; k < n_changes; k++)
    {
      guint act = g_rand_int_range (rand, 0, sc->n_actions);
      JsonArray *inputs = inputs_of (b, act);
      JsonObject *in = json_array_get_object_element (inputs, g_rand_int_range (rand, 0, json_array_get_length (inputs)));
      g_autofree char *text = g_strdup_printf ("Changed description %u", k);

      switch (k % 4)
        {
        case 0:
          json_object_set_string_member (in, "description", text);
          break;
        case 1:
          json_object_set_boolean_member (in, "optional", !json_object_get_boolean_member (in, "optional"));
          break;
        case 2:
          {
            JsonArray *opts = json_array_new ();
            for (guint o = 0; o < 6; o++)
              {
                g_autofree char *opt = g_strdup_printf ("live-project-%u", (k + o) % 9);
                json_array_add_string_element (opts, opt);
              }
            json_object_set_array_member (in, "options", opts);
            json_object_set_string_member (in, "input_type", "select");
          }
          break;
        default:
          json_object_set_string_member (in, "default", text);
          break;
        }
    }

  for (guint k = 0; k < n_moves; k++)
    {
      guint act = g_rand_int_range (rand, 0, sc->n_actions);
      JsonArray *inputs = inputs_of (b, act);
      guint n = json_array_get_length (inputs);

      move_item (inputs, g_rand_int_range (rand, 0, n), g_rand_int_range (rand, 0, n));
    }

  for (guint k = 0; k < n_remove; k++)
    {
      guint act = g_rand_int_range (rand, 0, sc->n_actions);
      JsonArray *inputs = inputs_of (b, act);

      json_array_remove_element (inputs, g_rand_int_range (rand, 0, json_array_get_length (inputs)));
    }

  for (guint k = 0; k < n_add; k++)
    {
      guint act = g_rand_int_range (rand, 0, sc->n_actions);
      JsonArray *inputs = inputs_of (b, act);
      JsonObject *in = make_input (act, 1000000 + k);

      json_array_add_object_element (inputs, in);
      move_item (inputs, json_array_get_length (inputs) - 1,
                 g_rand_int_range (rand, 0, json_array_get_length (inputs)));
    }
  return b;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v,
        guint   n)
{
  qsort (v, n, sizeof (double), compare_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* User + system CPU time of this process or of its waited-for children. */
static double
cpu_ms (int who)
{
  struct rusage ru;

  getrusage (who, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
}

static char *
write_pretty (JsonNode   *node,
              const char *dir,
              const char *name)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, node);
  if (!json_generator_to_file (gen, path, &error))
    g_error ("cannot write %s: %s", path, error->message);
  return path;
}

typedef struct
{
  const char *name;
  guint       inputs;
  guint       changes;
  double      diff_ms;
  double      parse_diff_ms;
  double      patch_ms;
  double      diff_u_ms;
  double      diff_cpu_ms;
  double      diff_u_cpu_ms;
  guint       n_changes;
  guint       n_moves;
} Row;

static void
run_scenario (const Scenario *sc,
              guint           repeat,
              Row            *row)
{
  g_autoptr(JsonNode) a = make_descriptor (sc);
  guint total = sc->n_actions * sc->inputs_per_action;
  g_autoptr(JsonNode) b = mutate (a, sc, 300, 200, 50, 50);
  g_autofree double *t_diff = g_new (double, repeat);
  g_autofree double *t_parse = g_new (double, repeat);
  g_autofree double *t_patch = g_new (double, repeat);
  g_autofree double *t_diffu = g_new (double, repeat);
  g_autofree double *c_diff = g_new (double, repeat);
  g_autofree double *c_diffu = g_new (double, repeat);
  g_autofree char *dir = g_dir_make_tmp ("iwb-diff-bench-XXXXXX", NULL);
  g_autofree char *pa = write_pretty (a, dir, "a.json");
  g_autofree char *pb = write_pretty (b, dir, "b.json");
  g_autoptr(GPtrArray) check = iwb_json_diff (a, b);
  g_autoptr(JsonNode) patch = iwb_json_diff_to_patch (check);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) applied = iwb_json_patch_apply (a, patch, &error);

  /* The diff is right before it is fast. */
  if (applied == NULL || !iwb_json_equal (applied, b))
    g_error ("the patch does not turn A into B: %s", error ? error->message : "different");

  row->name = sc->name;
  row->inputs = total;
  row->n_changes = check->len;
  row->n_moves = 0;
  for (guint i = 0; i < check->len; i++)
    if (iwb_json_change_get_kind (check->pdata[i]) == IWB_JSON_CHANGE_MOVED)
      row->n_moves++;

  /* Each measurement in its own loop: a fork (diff -u) makes the parent's
   * next writes to every heap page fault (copy-on-write), which would be
   * charged to whatever runs next. */
  for (guint r = 0; r < repeat; r++)
    {
      gint64 t0, t1;
      double c0 = cpu_ms (RUSAGE_SELF);

      t0 = g_get_monotonic_time ();
      {
        g_autoptr(GPtrArray) changes = iwb_json_diff (a, b);
        t1 = g_get_monotonic_time ();
        t_diff[r] = (t1 - t0) / 1000.0;
        c_diff[r] = cpu_ms (RUSAGE_SELF) - c0;

        t0 = g_get_monotonic_time ();
        {
          g_autoptr(JsonNode) p = iwb_json_diff_to_patch (changes);
          t_patch[r] = (g_get_monotonic_time () - t0) / 1000.0;
        }
      }
    }

  for (guint r = 0; r < repeat; r++)
    {
      gint64 t0 = g_get_monotonic_time ();

      {
        g_autoptr(JsonParser) p1 = json_parser_new_immutable ();
        g_autoptr(JsonParser) p2 = json_parser_new_immutable ();
        g_autoptr(GPtrArray) changes = NULL;

        json_parser_load_from_file (p1, pa, NULL);
        json_parser_load_from_file (p2, pb, NULL);
        changes = iwb_json_diff (json_parser_get_root (p1), json_parser_get_root (p2));
      }
      t_parse[r] = (g_get_monotonic_time () - t0) / 1000.0;
    }

  for (guint r = 0; r < repeat; r++)
    {
      const char *argv[] = { "diff", "-u", pa, pb, NULL };
      int status = 0;
      gint64 t0 = g_get_monotonic_time ();
      double c0 = cpu_ms (RUSAGE_CHILDREN);

      if (!g_spawn_sync (NULL, (char **) argv, NULL,
                         G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                         NULL, NULL, &status, &error))
        g_error ("cannot run diff -u: %s", error->message);
      t_diffu[r] = (g_get_monotonic_time () - t0) / 1000.0;
      c_diffu[r] = cpu_ms (RUSAGE_CHILDREN) - c0;
    }

  row->diff_ms = median (t_diff, repeat);
  row->parse_diff_ms = median (t_parse, repeat);
  row->patch_ms = median (t_patch, repeat);
  row->diff_u_ms = median (t_diffu, repeat);
  row->diff_cpu_ms = median (c_diff, repeat);
  row->diff_u_cpu_ms = median (c_diffu, repeat);

  g_unlink (pa);
  g_unlink (pb);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  static const Scenario scenarios[] = {
    { "1 action x 10,000 inputs", 1, 10000 },
    { "100 actions x 100 inputs", 100, 100 },
    { "1 action x 5,000 inputs", 1, 5000 },
    { "1 action x 20,000 inputs", 1, 20000 },
  };
  gboolean markdown = FALSE;
  int repeat = 11;
  int profile = 0;
  const GOptionEntry entries[] = {
    { "markdown", 0, 0, G_OPTION_ARG_NONE, &markdown, "Print a Markdown table", NULL },
    { "repeat", 'n', 0, G_OPTION_ARG_INT, &repeat, "Runs per measurement (median; default 11)", "N" },
    { "profile", 0, 0, G_OPTION_ARG_INT, &profile,
      "Only run iwb_json_diff N times on the first scenario (for perf record)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  Row rows[G_N_ELEMENTS (scenarios)];

  g_option_context_set_summary (context,
    "Times iwb_json_diff on two generated descriptors (a few hundred changes and moves) "
    "against `diff -u` of the same documents pretty-printed.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "diff-bench: %s\n", error->message);
      return 64;
    }
  repeat = MAX (repeat, 1);

  if (profile > 0)
    {
      g_autoptr(JsonNode) a = make_descriptor (&scenarios[0]);
      g_autoptr(JsonNode) b = mutate (a, &scenarios[0], 300, 200, 50, 50);
      gint64 t0 = g_get_monotonic_time ();
      clock_t c0 = clock ();

      for (int r = 0; r < profile; r++)
        g_ptr_array_unref (iwb_json_diff (a, b));
      printf ("%.2f ms per diff (wall), %.2f ms (CPU)\n",
              (g_get_monotonic_time () - t0) / 1000.0 / profile,
              (clock () - c0) * 1000.0 / CLOCKS_PER_SEC / profile);
      return 0;
    }

  for (guint s = 0; s < G_N_ELEMENTS (scenarios); s++)
    run_scenario (&scenarios[s], repeat, &rows[s]);

  if (markdown)
    {
      printf ("| descriptors | inputs each | changes found (moves) | iwb_json_diff wall (CPU) | `diff -u` baseline wall (CPU) | ratio wall (CPU) | parse both + diff | to JSON Patch |\n");
      printf ("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
      for (guint s = 0; s < G_N_ELEMENTS (rows); s++)
        printf ("| %s | %u | %u (%u) | %.1f ms (%.1f ms) | %.1f ms (%.1f ms) | %.1fx (%.1fx) | %.1f ms | %.1f ms |\n",
                rows[s].name, rows[s].inputs, rows[s].n_changes, rows[s].n_moves,
                rows[s].diff_ms, rows[s].diff_cpu_ms, rows[s].diff_u_ms, rows[s].diff_u_cpu_ms,
                rows[s].diff_u_ms / rows[s].diff_ms, rows[s].diff_u_cpu_ms / rows[s].diff_cpu_ms,
                rows[s].parse_diff_ms, rows[s].patch_ms);
    }
  else
    {
      printf ("%-26s %7s %14s %9s %9s %11s %11s %7s %7s %9s %8s\n", "descriptors", "inputs",
              "changes(moves)", "diff ms", "diff CPU", "diff -u ms", "diff -u CPU", "ratio", "(CPU)",
              "parse+dif", "patch");
      for (guint s = 0; s < G_N_ELEMENTS (rows); s++)
        {
          g_autofree char *ch = g_strdup_printf ("%u (%u)", rows[s].n_changes, rows[s].n_moves);
          printf ("%-26s %7u %14s %9.1f %9.1f %11.1f %11.1f %6.1fx %6.1fx %9.1f %8.1f\n",
                  rows[s].name, rows[s].inputs, ch, rows[s].diff_ms, rows[s].diff_cpu_ms,
                  rows[s].diff_u_ms, rows[s].diff_u_cpu_ms,
                  rows[s].diff_u_ms / rows[s].diff_ms, rows[s].diff_u_cpu_ms / rows[s].diff_cpu_ms,
                  rows[s].parse_diff_ms, rows[s].patch_ms);
        }
      printf ("\nMedians of %d runs, in ms. ratio = diff -u time / iwb_json_diff time (> 1: the "
              "structural diff is faster), on wall-clock and on CPU time (CPU is steadier on a "
              "busy machine). Target: iwb_json_diff well under 100 ms at 10,000 inputs.\n", repeat);
    }
  return 0;
}
