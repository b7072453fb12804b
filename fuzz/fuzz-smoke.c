/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A plain driver for the fuzz targets, for compilers without libFuzzer: it
 * replays a seed corpus, then runs a fixed number of inputs made from the
 * seeds by a small deterministic mutator (a fixed PRNG seed: the same
 * inputs on every run and every machine). It is the fuzzers' smoke test in
 * the normal suite; long runs use libFuzzer (build-aux/fuzz.sh).
 *
 *   fuzz-smoke-TARGET [--iterations N] [--seed S] [--max-len BYTES]
 *                     [--save-last FILE] CORPUS_DIR_OR_FILE...
 *
 * Files named crash-* in a corpus folder are known, open crash reproducers
 * (docs/fuzzing.md): they are listed, not replayed, so that the suite stays
 * green until their owner fixes them; a file given by name is always run.
 *
 * Before each input runs, it is written to --save-last FILE (the page cache
 * keeps it whatever way the process dies: abort, sanitizer report, timeout),
 * so a failure leaves its input behind; the file is removed after a clean
 * run. Prints TAP.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "fuzz-common.h"

#define DEFAULT_ITERATIONS 5000
#define DEFAULT_MAX_LEN    8192

/* ---------------------------------------------------------------------- */
/* Deterministic PRNG (xorshift64*)                                          */

static guint64 rng_state;

static guint64
rng_next (void)
{
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * G_GUINT64_CONSTANT (2685821657736338717);
}

/* 0 <= result < n (n > 0) */
static gsize
rng_below (gsize n)
{
  return (gsize) (rng_next () % n);
}

/* ---------------------------------------------------------------------- */
/* Mutations                                                                 */

/* Bytes and tokens that matter to JSON, CSV, JSON Lines and the [result]
 * protocol: structure, escapes, numbers at their limits, separators. */
static const char * const tokens[] = {
  "{", "}", "[", "]", ",", ":", "\"", "\\", "\n", "\r\n", "\t", " ",
  "null", "true", "false", "NaN", "Infinity", "-Infinity", "-0", "0.5e-400",
  "1e999", "123456789012345678901234567890", "-9223372036854775809",
  "\\u0000", "\\ud800", "\\udc00\\ud800", "\\u00e9", "\\\"", "\\/", "\\x",
  "\xc3\xa9", "\xf0\x9f\x98\x80", "\xed\xa0\x80", "\xc0\x80", "\xff",
  "[result] ", "[result]", "[result][meta]{\"original_lhub_id\": 7}[/meta]", "[/meta]",
  "\"lhub_id\"", "\"actionOverrides\"", "\"has_error\": true", "\"errors\": [",
  "\"inputId\"", "\"entrypoint\"", "\"id\"", "\"name\"", "\"source\"", "\"inputs\"",
  "\"actions\"", "\"op\"", "\"path\"", "\"from\"", "\"value\"", "\"add\"", "\"remove\"",
  "\"replace\"", "\"move\"", "\"copy\"", "\"test\"", "\"/\"", "\"/-\"", "\"/0\"", "\"~1\"",
  "\"~0\"", "\"~\"", "\"\"", "{}", "[]", "\n%%\n", "#format=csv\n", "#format=jsonl\n",
  "#format=json\n", "\"\"\"", ",,", "\"a\",\"b\"\n", "\"connection_params\"",
  "\"integration_name\"", "\"dataType\"", "\"inputType\"", "\"optional\"", "\"default\"",
};

static void
insert_bytes (GByteArray *buf,
              gsize       at,
              const void *bytes,
              gsize       len)
{
  g_byte_array_set_size (buf, buf->len + len);
  memmove (buf->data + at + len, buf->data + at, buf->len - len - at);
  memcpy (buf->data + at, bytes, len);
}

static void
mutate_once (GByteArray *buf,
             GPtrArray  *seeds,
             gsize       max_len)
{
  gsize at = rng_below (buf->len + 1);

  switch (rng_below (10))
    {
    case 0: /* flip a bit */
      if (buf->len > 0)
        buf->data[rng_below (buf->len)] ^= (guint8) (1u << rng_below (8));
      break;
    case 1: /* any byte */
      if (buf->len > 0)
        buf->data[rng_below (buf->len)] = (guint8) rng_below (256);
      break;
    case 2: /* delete a range */
      if (buf->len > 0)
        {
          gsize from = rng_below (buf->len);
          gsize n = 1 + rng_below (MIN (buf->len - from, 16));
          g_byte_array_remove_range (buf, from, n);
        }
      break;
    case 3: /* duplicate a range somewhere (repeats structure: nesting, long lists) */
      if (buf->len > 0)
        {
          gsize from = rng_below (buf->len);
          gsize n = 1 + rng_below (MIN (buf->len - from, 64));
          g_autofree guint8 *copy = g_memdup2 (buf->data + from, n);
          insert_bytes (buf, at, copy, n);
        }
      break;
    case 4: /* one byte repeated: deep nesting, long numbers, long strings */
      {
        guint8 c = "[{\"9 ,\\\n"[rng_below (8)];
        gsize n = 1 + rng_below (rng_below (4) == 0 ? 2048 : 32);
        g_autofree guint8 *run = g_malloc (n);
        memset (run, c, n);
        insert_bytes (buf, at, run, n);
      }
      break;
    case 5: /* splice with another seed: this one's head, that one's tail */
      {
        GBytes *other = g_ptr_array_index (seeds, rng_below (seeds->len));
        gsize olen;
        const guint8 *odata = g_bytes_get_data (other, &olen);
        gsize from = olen > 0 ? rng_below (olen) : 0;

        g_byte_array_set_size (buf, at);
        if (olen > from)
          g_byte_array_append (buf, odata + from, olen - from);
      }
      break;
    default: /* a token */
      {
        const char *token = tokens[rng_below (G_N_ELEMENTS (tokens))];
        insert_bytes (buf, at, token, strlen (token));
      }
      break;
    }

  if (buf->len > max_len)
    g_byte_array_set_size (buf, max_len);
}

/* ---------------------------------------------------------------------- */
/* Running one input                                                         */

static int save_fd = -1;

static void
run_input (const guint8 *data,
           gsize         len)
{
  /* the copy owns exactly len bytes (one for an empty input), so that a
   * read past the end is caught by the sanitizers (or valgrind) as it would
   * be by libFuzzer */
  g_autofree guint8 *copy = g_malloc (MAX (len, 1)); /* never NULL, as with libFuzzer */

  if (save_fd >= 0)
    {
      if (ftruncate (save_fd, 0) != 0 || pwrite (save_fd, data, len, 0) != (gssize) len)
        g_printerr ("cannot save the input: %s\n", g_strerror (errno));
    }
  if (len > 0)
    memcpy (copy, data, len);
  LLVMFuzzerTestOneInput (copy, len);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
is_known_crash (const char *name)
{
  return g_str_has_prefix (name, "crash-");
}

/* Adds the seed files of @path (a folder, or one file) to @seeds. */
static gboolean
load_seeds (const char  *path,
            GPtrArray   *seeds,
            GPtrArray   *names,
            GPtrArray   *known_crashes,
            GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      char *contents;
      gsize len;

      if (!g_file_get_contents (path, &contents, &len, error))
        return FALSE;
      g_ptr_array_add (seeds, g_bytes_new_take (contents, len));
      g_ptr_array_add (names, g_strdup (path));
      return TRUE;
    }

  dir = g_dir_open (path, 0, error);
  if (dir == NULL)
    return FALSE;
  entries = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (entries, g_strdup (name));
  g_ptr_array_sort (entries, compare_names); /* the same order everywhere */

  for (guint i = 0; i < entries->len; i++)
    {
      const char *entry = entries->pdata[i];
      g_autofree char *file = g_build_filename (path, entry, NULL);
      char *contents;
      gsize len;

      if (entry[0] == '.' || !g_file_test (file, G_FILE_TEST_IS_REGULAR))
        continue;
      if (is_known_crash (entry))
        {
          g_ptr_array_add (known_crashes, g_steal_pointer (&file));
          continue;
        }
      if (!g_file_get_contents (file, &contents, &len, error))
        return FALSE;
      g_ptr_array_add (seeds, g_bytes_new_take (contents, len));
      g_ptr_array_add (names, g_steal_pointer (&file));
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  gint64 iterations = DEFAULT_ITERATIONS;
  gint64 seed = 1;
  gint64 max_len = DEFAULT_MAX_LEN;
  g_autofree char *save_last = NULL;
  g_auto(GStrv) paths = NULL;
  GOptionEntry entries[] = {
    { "iterations", 'n', 0, G_OPTION_ARG_INT64, &iterations, "Mutated inputs to run", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "PRNG seed of the mutator", "S" },
    { "max-len", 0, 0, G_OPTION_ARG_INT64, &max_len, "Longest mutated input", "BYTES" },
    { "save-last", 0, 0, G_OPTION_ARG_FILENAME, &save_last, "Keep the running input here", "FILE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, "CORPUS..." },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("CORPUS_DIR_OR_FILE...");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) known_crashes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  const char *env_iterations = g_getenv ("IWB_FUZZ_SMOKE_ITERATIONS");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 2;
    }
  if (env_iterations != NULL)
    iterations = g_ascii_strtoll (env_iterations, NULL, 10);
  if (paths == NULL || iterations < 0 || max_len <= 0)
    {
      g_printerr ("%s: give a corpus folder or file (and non-negative numbers)\n",
                  g_get_prgname ());
      return 2;
    }

  for (guint i = 0; paths[i] != NULL; i++)
    if (!load_seeds (paths[i], seeds, names, known_crashes, &error))
      {
        g_printerr ("%s: cannot read the corpus: %s\n", g_get_prgname (), error->message);
        return 2;
      }
  if (seeds->len == 0)
    {
      g_printerr ("%s: the corpus is empty\n", g_get_prgname ());
      return 2;
    }

  if (save_last != NULL)
    {
      save_fd = open (save_last, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (save_fd < 0)
        {
          g_printerr ("%s: cannot write %s: %s\n", g_get_prgname (), save_last,
                      g_strerror (errno));
          return 2;
        }
      g_print ("# a failure leaves its input in %s\n", save_last);
    }

  g_print ("1..2\n");
  fflush (stdout);
  for (guint i = 0; i < known_crashes->len; i++)
    g_print ("# not replayed (known crash, see docs/fuzzing.md): %s\n",
             (char *) known_crashes->pdata[i]);

  for (guint i = 0; i < seeds->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (seeds->pdata[i], &len);

      run_input (data, len);
    }
  g_print ("ok 1 - replayed %u seed inputs\n", seeds->len);

  rng_state = (guint64) seed * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) + 1;
  for (gint64 n = 0; n < iterations; n++)
    {
      GBytes *base = seeds->pdata[rng_below (seeds->len)];
      gsize len;
      const guint8 *data = g_bytes_get_data (base, &len);
      guint rounds = 1 + rng_below (rng_below (3) == 0 ? 16 : 4);

      g_byte_array_set_size (buf, 0);
      g_byte_array_append (buf, data, MIN (len, (gsize) max_len));
      for (guint r = 0; r < rounds; r++)
        mutate_once (buf, seeds, max_len);
      run_input (buf->data, buf->len);
    }
  g_print ("ok 2 - %" G_GINT64_FORMAT " mutated inputs (--seed %" G_GINT64_FORMAT ")\n",
           iterations, seed);

  if (save_fd >= 0)
    {
      close (save_fd);
      g_unlink (save_last);
    }
  return 0;
}
