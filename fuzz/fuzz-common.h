/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Shared by the fuzz targets (libFuzzer entry points, also linked into the
 * plain smoke driver fuzz-smoke.c). Each target defines
 * LLVMFuzzerTestOneInput(); nothing here may keep state between inputs.
 */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* A warning or a critical (g_return_if_fail) is a bug found: abort, which
 * libFuzzer and the smoke driver both catch (GLib's own fatal path raises
 * SIGTRAP, which libFuzzer does not handle). */
static GLogWriterOutput
iwb_fuzz_log_writer (GLogLevelFlags   log_level,
                     const GLogField *fields,
                     gsize            n_fields,
                     gpointer         user_data)
{
  GLogWriterOutput ret = g_log_writer_default (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return ret;
}

/* Called first by every target, for each input; sets up once. */
static inline void
iwb_fuzz_setup (void)
{
  static gboolean done;

  if (G_LIKELY (done))
    return;
  done = TRUE;
  g_log_set_writer_func (iwb_fuzz_log_writer, NULL, NULL);
}

/* Inputs that hold two documents separate them with a line "%%"
 * ("first\n%%\nsecond"), which no JSON document can contain outside a
 * string. Without a separator, the whole input is @a and @b is empty. */
static inline void
iwb_fuzz_split (const uint8_t  *data,
                size_t          size,
                const char    **a,
                size_t         *a_len,
                const char    **b,
                size_t         *b_len)
{
  const char *text = (const char *) data;
  const char *sep = size >= 4 ? g_strstr_len (text, size, "\n%%\n") : NULL;

  *a = text;
  if (sep == NULL)
    {
      *a_len = size;
      *b = text + size;
      *b_len = 0;
      return;
    }
  *a_len = sep - text;
  *b = sep + 4;
  *b_len = size - *a_len - 4;
}

/* A NUL-terminated copy, for APIs that take C strings. */
static inline char *
iwb_fuzz_strndup (const char *text,
                  size_t      len)
{
  char *copy = g_malloc (len + 1);

  if (len > 0)
    memcpy (copy, text, len);
  copy[len] = '\0';
  return copy;
}

/* NaN is not equal to itself, so a document holding one cannot be checked
 * for equality after patching. */
static inline gboolean
iwb_fuzz_has_nan (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, NULL, &member))
          if (iwb_fuzz_has_nan (member))
            return TRUE;
        return FALSE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (iwb_fuzz_has_nan (json_array_get_element (array, i)))
            return TRUE;
        return FALSE;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          double d = json_node_get_double (node);
          return d != d;
        }
      return FALSE;
    case JSON_NODE_NULL:
    default:
      return FALSE;
    }
}

/* A defect already found and reported (docs/fuzzing.md, "Open findings")
 * whose fix belongs to another part of the program: named once per process
 * on stderr, fatal only with IWB_FUZZ_STRICT=1, so that the smoke stays
 * green and long runs go on finding new defects. The owner of the fix
 * turns the IWB_FUZZ_KNOWN() back into an IWB_FUZZ_CHECK(). */
static inline void
iwb_fuzz_known (const char *name,
                const char *message)
{
  static GHashTable *seen;

  if (g_strcmp0 (g_getenv ("IWB_FUZZ_STRICT"), "1") == 0)
    {
      g_printerr ("fuzz check failed (known defect %s): %s\n", name, message);
      abort ();
    }
  if (seen == NULL)
    seen = g_hash_table_new (g_str_hash, g_str_equal);
  if (g_hash_table_add (seen, (gpointer) name))
    g_printerr ("known open defect %s still present: %s "
                "(docs/fuzzing.md; IWB_FUZZ_STRICT=1 makes it fatal)\n", name, message);
}

#define IWB_FUZZ_KNOWN(name, cond, ...) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        g_autofree char *iwb_fuzz_message_ = g_strdup_printf (__VA_ARGS__); \
        iwb_fuzz_known (name, iwb_fuzz_message_); \
      } \
  } G_STMT_END

/* A broken promise of an API: abort so that libFuzzer and the smoke driver
 * both report the input. */
#define IWB_FUZZ_CHECK(cond, ...) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        g_printerr ("fuzz check failed: %s: ", #cond); \
        g_printerr (__VA_ARGS__); \
        g_printerr ("\n"); \
        abort (); \
      } \
  } G_STMT_END
