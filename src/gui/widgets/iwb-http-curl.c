/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * "Copy as cURL" (iwb-http-curl.h). A command is built word by word; a word
 * is literal text in single quotes with each redaction marker replaced by a
 * double-quoted variable ('Bearer '"$API_TOKEN"), so the shell expands the
 * variables and nothing else.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "iwb-http-curl.h"

typedef struct
{
  const char * const *secrets;
  guint               n_secrets;
  GPtrArray          *variables; /* char*, unique, in order of first use */
  gboolean            globs;     /* the URL has [ ] { } curl would expand */
} Namer;

/* One shell word in construction: literal text waits in @literal until a
 * variable or the end of the word. */
typedef struct
{
  GString *out;
  GString *literal;
  gboolean empty;
} Word;

char *
iwb_http_shell_quote (const char *text)
{
  GString *out = g_string_new ("'");

  for (const char *p = text ? text : ""; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append (out, "'\\''");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
  return g_string_free (out, FALSE);
}

/* "tracker-password" -> "TRACKER_PASSWORD": a valid shell variable name. */
static char *
variable_name (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; p != NULL && *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_toupper (*p));
      else if (out->len > 0 && out->str[out->len - 1] != '_')
        g_string_append_c (out, '_');
    }
  while (out->len > 0 && out->str[out->len - 1] == '_')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    g_string_append (out, "SECRET");
  else if (g_ascii_isdigit (out->str[0]))
    g_string_prepend_c (out, '_');
  return g_string_free (out, FALSE);
}

static gboolean
same_name (const char *a,
           const char *b)
{
  g_autofree char *va = variable_name (a);
  g_autofree char *vb = variable_name (b);

  return g_str_equal (va, vb);
}

typedef enum
{
  HINT_NONE,     /* a body, a path: the secret parameter if there is one */
  HINT_KEY,      /* an API-key style header or query parameter: @hint is its name */
  HINT_AUTH,     /* Authorization with a token scheme (Bearer...) */
  HINT_COOKIE,   /* a cookie: its name (a session, not a parameter) */
} HintKind;

/* The variable for a marker found in a value called @hint. */
static const char *
namer_use (Namer      *namer,
           HintKind    kind,
           const char *hint)
{
  g_autofree char *name = NULL;

  if (kind == HINT_COOKIE)
    name = variable_name (hint);
  else if (namer->n_secrets == 1)
    name = variable_name (namer->secrets[0]);
  else
    {
      for (guint i = 0; hint != NULL && i < namer->n_secrets; i++)
        if (same_name (namer->secrets[i], hint))
          name = variable_name (namer->secrets[i]);
      if (name == NULL)
        name = kind == HINT_AUTH ? g_strdup ("TOKEN")
               : kind == HINT_KEY && hint != NULL ? variable_name (hint)
               : g_strdup ("SECRET");
    }
  for (guint i = 0; i < namer->variables->len; i++)
    if (g_str_equal (g_ptr_array_index (namer->variables, i), name))
      return g_ptr_array_index (namer->variables, i);
  g_ptr_array_add (namer->variables, g_steal_pointer (&name));
  return g_ptr_array_index (namer->variables, namer->variables->len - 1);
}

static void
word_start (Word    *word,
            GString *out)
{
  word->out = out;
  word->literal = g_string_new (NULL);
  word->empty = TRUE;
}

static void
word_flush_literal (Word *word)
{
  g_autofree char *quoted = NULL;

  if (word->literal->len == 0)
    return;
  quoted = iwb_http_shell_quote (word->literal->str);
  g_string_append (word->out, quoted);
  g_string_truncate (word->literal, 0);
  word->empty = FALSE;
}

static void
word_literal (Word       *word,
              const char *text,
              gssize      length)
{
  g_string_append_len (word->literal, text, length < 0 ? (gssize) strlen (text) : length);
}

static void
word_variable (Word       *word,
               const char *name)
{
  word_flush_literal (word);
  g_string_append_printf (word->out, "\"$%s\"", name);
  word->empty = FALSE;
}

static void
word_end (Word *word)
{
  word_flush_literal (word);
  if (word->empty)
    g_string_append (word->out, "''");
  g_string_free (word->literal, TRUE);
}

/* @text into @word, each marker as a variable. */
static void
word_text (Word       *word,
           Namer      *namer,
           const char *text,
           gssize      length,
           HintKind    kind,
           const char *hint)
{
  const char *end = text + (length < 0 ? (gssize) strlen (text) : length);
  const char *p = text;
  gsize mark_len = strlen (IWB_HTTP_REDACTED_MARK);

  while (p < end)
    {
      const char *mark = g_strstr_len (p, end - p, IWB_HTTP_REDACTED_MARK);

      if (mark == NULL)
        {
          word_literal (word, p, end - p);
          break;
        }
      word_literal (word, p, mark - p);
      word_variable (word, namer_use (namer, kind, hint));
      p = mark + mark_len;
    }
}

/* The URL, with a query parameter's name as the hint for its value. */
static void
append_url (GString    *out,
            Namer      *namer,
            const char *url)
{
  const char *query = strchr (url, '?');
  const char *fragment = strchr (query ? query : url, '#');
  const char *query_end = fragment ? fragment : url + strlen (url);
  Word word;

  word_start (&word, out);
  if (query == NULL)
    word_text (&word, namer, url, query_end - url, HINT_NONE, NULL);
  else
    {
      const char *p = query + 1;

      word_text (&word, namer, url, p - url, HINT_NONE, NULL);
      while (p < query_end)
        {
          const char *amp = memchr (p, '&', query_end - p);
          const char *part_end = amp ? amp : query_end;
          const char *eq = memchr (p, '=', part_end - p);

          if (eq != NULL)
            {
              g_autofree char *name = g_uri_unescape_segment (p, eq, NULL);

              word_text (&word, namer, p, eq + 1 - p, HINT_NONE, NULL);
              word_text (&word, namer, eq + 1, part_end - eq - 1, HINT_KEY, name ? name : "");
            }
          else
            word_text (&word, namer, p, part_end - p, HINT_NONE, NULL);
          if (amp == NULL)
            break;
          word_literal (&word, "&", 1);
          p = amp + 1;
        }
    }
  if (fragment != NULL)
    word_text (&word, namer, fragment, -1, HINT_NONE, NULL);
  word_end (&word);

  for (const char *p = url; *p != '\0'; p++)
    if (strchr ("[]{}", *p) != NULL && !g_str_has_prefix (p, IWB_HTTP_REDACTED_MARK))
      namer->globs = TRUE;
}

static gboolean
is_auth_header (const char *name)
{
  return g_ascii_strcasecmp (name, "Authorization") == 0
         || g_ascii_strcasecmp (name, "Proxy-Authorization") == 0;
}

/* Headers curl sets itself from the command line. */
static gboolean
skip_header (const char *name,
             const char *host)
{
  return g_ascii_strcasecmp (name, "Content-Length") == 0
         || g_ascii_strcasecmp (name, "Connection") == 0
         || g_ascii_strcasecmp (name, "Transfer-Encoding") == 0
         || (g_ascii_strcasecmp (name, "Host") == 0 && host != NULL);
}

static void
append_header (GString    *out,
               Namer      *namer,
               const char *name,
               const char *value)
{
  Word word;

  g_string_append (out, " \\\n  ");
  if (g_ascii_strcasecmp (name, "Authorization") == 0
      && g_ascii_strncasecmp (value, "Basic ", 6) == 0
      && strstr (value, IWB_HTTP_REDACTED_MARK) != NULL)
    {
      /* base64 (user:password), masked whole: curl makes it from both. */
      const char *password = namer_use (namer, HINT_KEY, "password");
      gboolean listed = FALSE;

      for (guint i = 0; i < namer->variables->len; i++)
        listed |= g_str_equal (g_ptr_array_index (namer->variables, i), "USER_NAME");
      if (!listed)
        g_ptr_array_insert (namer->variables, 0, g_strdup ("USER_NAME"));
      g_string_append_printf (out, "--user \"$USER_NAME:$%s\"", password);
      return;
    }
  g_string_append (out, "-H ");
  word_start (&word, out);
  word_literal (&word, name, -1);
  word_literal (&word, ": ", 2);
  if (g_ascii_strcasecmp (name, "Cookie") == 0)
    {
      g_auto(GStrv) pairs = g_strsplit (value, ";", -1);

      for (guint i = 0; pairs[i] != NULL; i++)
        {
          const char *pair = pairs[i];
          const char *eq = strchr (pair, '=');
          g_autofree char *cookie = eq ? g_strstrip (g_strndup (pair, eq - pair)) : NULL;

          if (i > 0)
            word_literal (&word, ";", 1);
          word_text (&word, namer, pair, -1, cookie ? HINT_COOKIE : HINT_NONE, cookie);
        }
    }
  else
    word_text (&word, namer, value, -1, is_auth_header (name) ? HINT_AUTH : HINT_KEY, name);
  word_end (&word);
}

static char *
format_size (gint64 size)
{
  return g_format_size_full ((guint64) MAX (size, 0), G_FORMAT_SIZE_IEC_UNITS);
}

char *
iwb_http_curl_command (IwbHttpExchange    *exchange,
                       const char * const *secret_names,
                       GStrv              *variables)
{
  g_autoptr(GString) command = g_string_new ("curl");
  g_autoptr(GString) notes = g_string_new (NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *method;
  const char *url;
  GBytes *body;
  gint64 body_size;
  gboolean has_body;
  gboolean compressed = FALSE;
  guint n_headers;
  Namer namer = { secret_names, 0, names, FALSE };

  g_return_val_if_fail (IWB_IS_HTTP_EXCHANGE (exchange), NULL);

  while (secret_names != NULL && secret_names[namer.n_secrets] != NULL)
    namer.n_secrets++;

  method = iwb_http_exchange_get_method (exchange);
  if (method == NULL)
    method = "GET";
  url = iwb_http_exchange_get_url (exchange);
  body = iwb_http_exchange_get_body (exchange, IWB_HTTP_PART_REQUEST);
  body_size = iwb_http_exchange_get_body_size (exchange, IWB_HTTP_PART_REQUEST);
  has_body = body != NULL && body_size > 0;

  if (g_ascii_strcasecmp (method, "HEAD") == 0)
    g_string_append (command, " --head");
  else if (!(g_ascii_strcasecmp (method, "GET") == 0 && !has_body)
           && !(g_ascii_strcasecmp (method, "POST") == 0 && has_body))
    {
      g_autofree char *quoted = iwb_http_shell_quote (method);

      g_string_append_printf (command, " -X %s", quoted);
    }

  g_string_append_c (command, ' ');
  append_url (command, &namer, url ? url : "");

  n_headers = iwb_http_exchange_get_n_headers (exchange, IWB_HTTP_PART_REQUEST);
  for (guint i = 0; i < n_headers; i++)
    {
      const char *name = iwb_http_exchange_get_header_name (exchange, IWB_HTTP_PART_REQUEST, i);
      const char *value = iwb_http_exchange_get_header_value (exchange, IWB_HTTP_PART_REQUEST, i);

      if (name == NULL || skip_header (name, iwb_http_exchange_get_host (exchange)))
        continue;
      if (g_ascii_strcasecmp (name, "Accept-Encoding") == 0
          && value != NULL && (strstr (value, "gzip") || strstr (value, "deflate")))
        {
          /* curl then decodes the body, as the integration's library did. */
          compressed = TRUE;
          continue;
        }
      append_header (command, &namer, name, value ? value : "");
    }
  if (compressed)
    g_string_append (command, " \\\n  --compressed");

  if (has_body && iwb_http_exchange_get_body_is_binary (exchange, IWB_HTTP_PART_REQUEST))
    {
      g_autofree char *size = format_size (body_size);

      /* Translators: a comment in a shell command; %s is a size ("2.1 KiB") */
      g_string_append_printf (notes, _("# The request body (%s of binary data) is not in this command: save it as body.bin\n"), size);
      g_string_append (command, " \\\n  --data-binary @body.bin");
    }
  else if (has_body)
    {
      gsize length = 0;
      const char *data = g_bytes_get_data (body, &length);
      g_autofree char *text = g_utf8_make_valid (data, (gssize) length);
      Word word;

      if (iwb_http_exchange_get_body_truncated (exchange, IWB_HTTP_PART_REQUEST))
        {
          g_autofree char *kept = format_size ((gint64) length);
          g_autofree char *size = format_size (body_size);

          /* Translators: a comment in a shell command; %s are sizes */
          g_string_append_printf (notes, _("# The request body was captured in part (%s of %s): this command sends that part only\n"),
                                  kept, size);
        }
      g_string_append (command, " \\\n  --data-raw ");
      word_start (&word, command);
      word_text (&word, &namer, text, -1, HINT_NONE, NULL);
      word_end (&word);
    }
  if (namer.globs)
    g_string_append (command, " \\\n  --globoff");

  if (names->len > 0)
    {
      g_autoptr(GString) list = g_string_new (NULL);
      g_autofree char *line = NULL;

      for (guint i = 0; i < names->len; i++)
        g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", (char *) g_ptr_array_index (names, i));
      /* Translators: a comment in a shell command; %s is a list of variable names */
      line = g_strdup_printf (_("# Secrets were redacted when captured: set %s before running this\n"), list->str);
      g_string_prepend (notes, line);
    }

  if (variables != NULL)
    {
      g_ptr_array_add (names, NULL);
      *variables = (GStrv) g_ptr_array_steal (names, NULL);
    }
  g_string_append_c (command, '\n');
  g_string_prepend (command, notes->str);
  return g_string_free (g_steal_pointer (&command), FALSE);
}
