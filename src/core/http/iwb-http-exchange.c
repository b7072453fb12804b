/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-http-exchange.h"
#include "iwb-json.h"
#include "iwb-json-tree.h"

typedef struct
{
  GPtrArray *names;   /* const char *, into the exchange's text */
  GPtrArray *values;  /* the same */
  GBytes    *body;
  gint64     size;
  gboolean   truncated;
  gboolean   binary;
} Part;

struct _IwbHttpExchange
{
  GObject    parent_instance;

  char      *line;      /* the event on one line, as it came */
  gsize      line_len;
  gboolean   finite;    /* no NaN or infinity in it */
  JsonNode  *json;      /* made from the line when first asked for */
  GBytes    *text;      /* the decoded strings the const char * point into */
  gint64     id;
  const char *method;
  const char *url;
  char      *host;
  char      *path;
  const char *http_version;
  const char *thread;
  GDateTime *started;
  gboolean   replayed;
  gboolean   reused;
  double     timings[IWB_HTTP_TIMING_N];
  guint      status;
  const char *reason;
  const char *error_kind;
  const char *error_message;
  const char *error_reason;
  Part       parts[2];
};

G_DEFINE_FINAL_TYPE (IwbHttpExchange, iwb_http_exchange, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_METHOD,
  PROP_URL,
  PROP_HOST,
  PROP_PATH,
  PROP_STATUS,
  PROP_DURATION,
  PROP_SIZE,
  PROP_ERROR_KIND,
  PROP_REPLAYED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
part_clear (Part *part)
{
  g_clear_pointer (&part->names, g_ptr_array_unref);
  g_clear_pointer (&part->values, g_ptr_array_unref);
  g_clear_pointer (&part->body, g_bytes_unref);
}

static void
iwb_http_exchange_finalize (GObject *object)
{
  IwbHttpExchange *self = IWB_HTTP_EXCHANGE (object);

  g_clear_pointer (&self->json, json_node_unref);
  g_free (self->line);
  g_free (self->host);
  g_free (self->path);
  g_clear_pointer (&self->started, g_date_time_unref);
  part_clear (&self->parts[0]);
  part_clear (&self->parts[1]);
  g_clear_pointer (&self->text, g_bytes_unref);

  G_OBJECT_CLASS (iwb_http_exchange_parent_class)->finalize (object);
}

static void
iwb_http_exchange_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  IwbHttpExchange *self = IWB_HTTP_EXCHANGE (object);

  switch (prop_id)
    {
    case PROP_METHOD:
      g_value_set_string (value, self->method);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;
    case PROP_DURATION:
      g_value_set_double (value, self->timings[IWB_HTTP_TIMING_TOTAL]);
      break;
    case PROP_SIZE:
      g_value_set_int64 (value, self->parts[IWB_HTTP_PART_RESPONSE].size);
      break;
    case PROP_ERROR_KIND:
      g_value_set_string (value, self->error_kind);
      break;
    case PROP_REPLAYED:
      g_value_set_boolean (value, self->replayed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_http_exchange_class_init (IwbHttpExchangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = iwb_http_exchange_finalize;
  object_class->get_property = iwb_http_exchange_get_property;

  properties[PROP_METHOD] = g_param_spec_string ("method", NULL, NULL, NULL, flags);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, flags);
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, flags);
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_uint ("status", NULL, NULL, 0, 999, 0, flags);
  properties[PROP_DURATION] = g_param_spec_double ("duration", NULL, NULL, -1, G_MAXDOUBLE, -1, flags);
  properties[PROP_SIZE] = g_param_spec_int64 ("size", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_ERROR_KIND] = g_param_spec_string ("error-kind", NULL, NULL, NULL, flags);
  properties[PROP_REPLAYED] = g_param_spec_boolean ("replayed", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
iwb_http_exchange_init (IwbHttpExchange *self)
{
  for (guint i = 0; i < IWB_HTTP_TIMING_N; i++)
    self->timings[i] = -1;
  for (guint i = 0; i < 2; i++)
    {
      self->parts[i].names = g_ptr_array_new ();
      self->parts[i].values = g_ptr_array_new ();
      self->parts[i].size = -1;
    }
}

/* ---------------------------------------------------------------------- */

static gboolean
fail (GError    **error,
      const char *member,
      const char *what)
{
  g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
               _("Not a valid HTTP event from the integration’s child: “%s” %s"), member, what);
  return FALSE;
}

/* The event is read into a compact tree (iwb-json-tree.h: one array of
 * nodes, strings decoded in place in one buffer), not into JsonNodes: an
 * action can make thousands of calls, and a JsonNode per value was most of
 * what a captured call cost the workbench. The string fields point into
 * that buffer, which the exchange keeps (self->text); the JsonNode form is
 * made only when asked for (iwb_http_exchange_get_json()). */
typedef struct
{
  IwbJsonTree *tree;
  IwbJsonKeys *keys;
} Doc;

static gint64
member_at (Doc        *doc,
           gint64      object,
           const char *name)
{
  guint32 key;

  if (object < 0)
    return -1;
  key = iwb_json_keys_lookup (doc->keys, name);
  return key == 0 ? -1 : iwb_json_tree_member (doc->tree, (guint32) object, key);
}

static IwbJsonTreeKind
kind_at (Doc    *doc,
         gint64  index)
{
  return IWB_JSON_TREE_KIND (&doc->tree->nodes[index]);
}

static const char *
opt_string (Doc        *doc,
            gint64      object,
            const char *member)
{
  gint64 at = member_at (doc, object, member);

  if (at < 0 || kind_at (doc, at) != IWB_JSON_TREE_STRING)
    return NULL;
  return iwb_json_tree_string (doc->tree, (guint32) at);
}

static gboolean
opt_number (Doc        *doc,
            gint64      object,
            const char *member,
            double     *out)
{
  gint64 at = member_at (doc, object, member);

  if (at < 0)
    return FALSE;
  if (kind_at (doc, at) == IWB_JSON_TREE_INT)
    *out = (double) doc->tree->nodes[at].v.i;
  else if (kind_at (doc, at) == IWB_JSON_TREE_DOUBLE)
    *out = doc->tree->nodes[at].v.d;
  else
    return FALSE;
  return TRUE;
}

static gboolean
opt_bool (Doc        *doc,
          gint64      object,
          const char *member)
{
  gint64 at = member_at (doc, object, member);

  return at >= 0 && kind_at (doc, at) == IWB_JSON_TREE_BOOLEAN && doc->tree->nodes[at].len == 1;
}

/* The member when it is an object, else -1. */
static gint64
opt_object (Doc        *doc,
            gint64      object,
            const char *member)
{
  gint64 at = member_at (doc, object, member);

  return at >= 0 && kind_at (doc, at) == IWB_JSON_TREE_OBJECT ? at : -1;
}

static gboolean
parse_part (IwbHttpExchange *self,
            Part            *part,
            Doc             *doc,
            gint64           object,
            const char      *where,
            GError         **error)
{
  gint64 headers = member_at (doc, object, "headers");
  gint64 body = opt_object (doc, object, "body");

  if (headers >= 0 && kind_at (doc, headers) == IWB_JSON_TREE_ARRAY)
    {
      IwbJsonTreeNode *list = &doc->tree->nodes[headers];

      for (guint32 i = 0; i < list->len; i++)
        {
          guint32 pair = (guint32) list->v.off + i;
          IwbJsonTreeNode *p = &doc->tree->nodes[pair];
          guint32 name, value;

          if (IWB_JSON_TREE_KIND (p) != IWB_JSON_TREE_ARRAY || p->len != 2)
            return fail (error, where, _("has a header that is not a [name, value] pair"));
          name = (guint32) p->v.off;
          value = name + 1;
          if (kind_at (doc, name) != IWB_JSON_TREE_STRING || kind_at (doc, value) != IWB_JSON_TREE_STRING)
            return fail (error, where, _("has a header whose name or value is not a string"));
          g_ptr_array_add (part->names, (gpointer) iwb_json_tree_string (doc->tree, name));
          g_ptr_array_add (part->values, (gpointer) iwb_json_tree_string (doc->tree, value));
        }
    }
  if (body >= 0)
    {
      gint64 text = member_at (doc, body, "text");
      const char *b64 = opt_string (doc, body, "base64");
      double size = -1;

      if (text >= 0 && kind_at (doc, text) == IWB_JSON_TREE_STRING)
        part->body = g_bytes_new_from_bytes (self->text, doc->tree->nodes[text].v.off,
                                             doc->tree->nodes[text].len);
      else if (b64 != NULL)
        {
          gsize len = 0;
          guchar *data = g_base64_decode (b64, &len);

          part->body = g_bytes_new_take (data, len);
          part->binary = TRUE;
        }
      else
        part->body = g_bytes_new (NULL, 0);
      if (opt_number (doc, body, "size", &size) && size >= 0)
        part->size = (gint64) size;
      else
        part->size = (gint64) g_bytes_get_size (part->body);
      part->truncated = opt_bool (doc, body, "truncated");
    }
  return TRUE;
}

static void
split_url (IwbHttpExchange *self)
{
  g_autoptr(GUri) uri = g_uri_parse (self->url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);

  if (uri == NULL)
    {
      self->host = g_strdup ("");
      self->path = g_strdup (self->url);
      return;
    }
  if (g_uri_get_port (uri) > 0)
    self->host = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  else
    self->host = g_strdup (g_uri_get_host (uri) ? g_uri_get_host (uri) : "");
  if (g_uri_get_query (uri) != NULL)
    self->path = g_strdup_printf ("%s?%s", *g_uri_get_path (uri) ? g_uri_get_path (uri) : "/",
                                  g_uri_get_query (uri));
  else
    self->path = g_strdup (*g_uri_get_path (uri) ? g_uri_get_path (uri) : "/");
}

static gboolean
read_event (IwbHttpExchange  *self,
            Doc              *doc,
            GError          **error)
{
  static const char *timing_names[IWB_HTTP_TIMING_N] = {
    "dns", "connect", "tls", "sent", "first_byte", "total",
  };
  const gint64 root = 0;
  gint64 at, member;
  const char *s;
  double number;

  if (kind_at (doc, root) != IWB_JSON_TREE_OBJECT)
    return fail (error, "event", _("is not a JSON object"));
  if (g_strcmp0 (opt_string (doc, root, "event"), "http") != 0)
    return fail (error, "event", _("is not “http”"));
  s = opt_string (doc, root, "url");
  if (s == NULL || *s == '\0')
    return fail (error, "url", _("is missing or not a string"));

  self->url = s;
  split_url (self);
  self->method = opt_string (doc, root, "method");
  self->http_version = opt_string (doc, root, "http_version") ? opt_string (doc, root, "http_version")
                                                               : "HTTP/1.1";
  self->thread = opt_string (doc, root, "thread");
  if (opt_number (doc, root, "id", &number))
    self->id = (gint64) number;
  self->replayed = opt_bool (doc, root, "replayed");
  self->reused = opt_bool (doc, root, "reused_connection");
  if ((s = opt_string (doc, root, "started")) != NULL)
    self->started = g_date_time_new_from_iso8601 (s, NULL);
  if (self->started == NULL)
    self->started = g_date_time_new_now_utc ();

  if ((member = opt_object (doc, root, "timings")) >= 0)
    for (guint i = 0; i < IWB_HTTP_TIMING_N; i++)
      if (opt_number (doc, member, timing_names[i], &number) && number >= 0)
        self->timings[i] = number;

  if ((at = member_at (doc, root, "request")) >= 0)
    {
      if (kind_at (doc, at) != IWB_JSON_TREE_OBJECT)
        return fail (error, "request", _("is not an object"));
      if (!parse_part (self, &self->parts[IWB_HTTP_PART_REQUEST], doc, at, "request", error))
        return FALSE;
    }
  if ((at = member_at (doc, root, "response")) >= 0)
    {
      if (kind_at (doc, at) != IWB_JSON_TREE_OBJECT)
        return fail (error, "response", _("is not an object"));
      if (!opt_number (doc, at, "status", &number) || number < 100 || number > 999)
        return fail (error, "response.status", _("is missing or not an HTTP status"));
      self->status = (guint) number;
      self->reason = opt_string (doc, at, "reason") ? opt_string (doc, at, "reason") : "";
      if (!parse_part (self, &self->parts[IWB_HTTP_PART_RESPONSE], doc, at, "response", error))
        return FALSE;
    }
  if ((member = opt_object (doc, root, "error")) >= 0)
    {
      self->error_kind = opt_string (doc, member, "kind") ? opt_string (doc, member, "kind") : "error";
      self->error_message = opt_string (doc, member, "message");
      self->error_reason = opt_string (doc, member, "reason");
    }
  if (self->status == 0 && self->error_kind == NULL)
    return fail (error, "response", _("and “error” are both missing"));
  return TRUE;
}

IwbHttpExchange *
iwb_http_exchange_new_from_json (JsonNode  *event,
                                 GError   **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (event != NULL, NULL);

  text = iwb_json_to_string (event, FALSE);
  return iwb_http_exchange_new_from_line (text, -1, error);
}

static void
keys_free (gpointer keys)
{
  iwb_json_keys_free (keys);
}

/* The member names of events, interned once per thread (a tree lives only
 * while its exchange is read); started again when a child's made-up names
 * have grown it past a few thousand. */
static IwbJsonKeys *
thread_keys (void)
{
  static GPrivate keys_private = G_PRIVATE_INIT (keys_free);
  IwbJsonKeys *keys = g_private_get (&keys_private);

  if (keys == NULL || iwb_json_keys_count (keys) > 4096)
    {
      keys = iwb_json_keys_new ();
      g_private_replace (&keys_private, keys);
    }
  return keys;
}

IwbHttpExchange *
iwb_http_exchange_new_from_line (const char  *line,
                                 gssize       length,
                                 GError     **error)
{
  g_autoptr(IwbHttpExchange) self = NULL;
  g_autoptr(GError) local_error = NULL;
  Doc doc = { NULL, NULL };
  gsize len;
  char *copy;
  gboolean ok;

  g_return_val_if_fail (line != NULL, NULL);

  len = length < 0 ? strlen (line) : (gsize) length;
  /* the line without its newline and the blanks around it */
  while (len > 0 && g_ascii_isspace (line[len - 1]))
    len--;
  while (len > 0 && g_ascii_isspace (*line))
    line++, len--;

  doc.keys = thread_keys ();
  doc.tree = iwb_json_tree_parse (doc.keys, g_strndup (line, len), len, IWB_JSON_PARSE_DEFAULT,
                                  NULL, &local_error);
  if (doc.tree == NULL)
    {
      if (g_error_matches (local_error, IWB_JSON_ERROR, IWB_JSON_ERROR_EMPTY))
        fail (error, "event", _("is empty"));
      else
        g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                     _("Not a valid HTTP event from the integration’s child: %s"), local_error->message);
      return NULL;
    }

  self = g_object_new (IWB_TYPE_HTTP_EXCHANGE, NULL);
  /* the exchange owns the tree's text from now on */
  copy = doc.tree->text;
  self->text = g_bytes_new_take (copy, len + 1);
  self->finite = TRUE;
  for (guint32 i = 0; i < doc.tree->n_nodes; i++)
    if (IWB_JSON_TREE_KIND (&doc.tree->nodes[i]) == IWB_JSON_TREE_DOUBLE &&
        !isfinite (doc.tree->nodes[i].v.d))
      self->finite = FALSE;
  ok = read_event (self, &doc, error);
  doc.tree->text = NULL;
  iwb_json_tree_free (doc.tree);
  if (!ok)
    return NULL;

  self->line = g_strndup (line, len);
  self->line_len = len;
  if (memchr (line, '\n', len) != NULL || memchr (line, '\r', len) != NULL)
    {
      /* kept on one line, as the events channel and JSON Lines need */
      char *one_line = iwb_json_to_string (iwb_http_exchange_get_json (self), FALSE);

      g_free (self->line);
      self->line = one_line;
      self->line_len = strlen (one_line);
    }
  return g_steal_pointer (&self);
}

/* ---------------------------------------------------------------------- */

#define SELF_OR(val) g_return_val_if_fail (IWB_IS_HTTP_EXCHANGE (self), val)

JsonNode *
iwb_http_exchange_get_json (IwbHttpExchange *self)
{
  JsonNode *node;

  SELF_OR (NULL);

  node = g_atomic_pointer_get (&self->json);
  if (node != NULL)
    return node;
  /* the same scanner and rules as the tree read in new_from_line() */
  node = iwb_json_parse_full (self->line, (gssize) self->line_len, IWB_JSON_PARSE_DEFAULT, NULL, NULL);
  g_assert (node != NULL);
  if (!g_atomic_pointer_compare_and_exchange (&self->json, NULL, node))
    {
      json_node_unref (node);
      node = g_atomic_pointer_get (&self->json);
    }
  return node;
}

const char *
iwb_http_exchange_get_line (IwbHttpExchange *self,
                            gsize           *length)
{
  SELF_OR (NULL);
  if (length != NULL)
    *length = self->line_len;
  return self->line;
}

gboolean
iwb_http_exchange_get_finite (IwbHttpExchange *self)
{
  SELF_OR (FALSE);
  return self->finite;
}

gint64
iwb_http_exchange_get_id (IwbHttpExchange *self)
{
  SELF_OR (0);
  return self->id;
}

const char *
iwb_http_exchange_get_method (IwbHttpExchange *self)
{
  SELF_OR (NULL);
  return self->method;
}

const char *
iwb_http_exchange_get_url (IwbHttpExchange *self)
{
  SELF_OR (NULL);
  return self->url;
}

const char *
iwb_http_exchange_get_host (IwbHttpExchange *self)
{
  SELF_OR (NULL);
  return self->host;
}

const char *
iwb_http_exchange_get_path (IwbHttpExchange *self)
{
  SELF_OR (NULL);
  return self->path;
}

const char *
iwb_http_exchange_get_http_version (IwbHttpExchange *self)
{
  SELF_OR (NULL);
  return self->http_version;
}

GDateTime *
iwb_http_exchange_get_started (IwbHttpExchange *self)
{
  SELF_OR (NULL);
  return self->started;
}

const char *
iwb_http_exchange_get_thread (IwbHttpExchange *self)
{
  SELF_OR (NULL);
  return self->thread;
}

gboolean
iwb_http_exchange_get_replayed (IwbHttpExchange *self)
{
  SELF_OR (FALSE);
  return self->replayed;
}

gboolean
iwb_http_exchange_get_reused_connection (IwbHttpExchange *self)
{
  SELF_OR (FALSE);
  return self->reused;
}

double
iwb_http_exchange_get_timing (IwbHttpExchange *self,
                              IwbHttpTiming    timing)
{
  SELF_OR (-1);
  g_return_val_if_fail (timing < IWB_HTTP_TIMING_N, -1);
  return self->timings[timing];
}

guint
iwb_http_exchange_get_status (IwbHttpExchange *self)
{
  SELF_OR (0);
  return self->status;
}

const char *
iwb_http_exchange_get_reason (IwbHttpExchange *self)
{
  SELF_OR (NULL);
  return self->reason;
}

const char *
iwb_http_exchange_get_error_kind (IwbHttpExchange *self)
{
  SELF_OR (NULL);
  return self->error_kind;
}

const char *
iwb_http_exchange_get_error_message (IwbHttpExchange *self)
{
  SELF_OR (NULL);
  return self->error_message;
}

const char *
iwb_http_exchange_get_error_reason (IwbHttpExchange *self)
{
  SELF_OR (NULL);
  return self->error_reason;
}

static Part *
get_part (IwbHttpExchange *self,
          IwbHttpPart      part)
{
  return &self->parts[part == IWB_HTTP_PART_RESPONSE ? 1 : 0];
}

guint
iwb_http_exchange_get_n_headers (IwbHttpExchange *self,
                                 IwbHttpPart      part)
{
  SELF_OR (0);
  return get_part (self, part)->names->len;
}

const char *
iwb_http_exchange_get_header_name (IwbHttpExchange *self,
                                   IwbHttpPart      part,
                                   guint            index)
{
  Part *p;

  SELF_OR (NULL);
  p = get_part (self, part);
  g_return_val_if_fail (index < p->names->len, NULL);
  return g_ptr_array_index (p->names, index);
}

const char *
iwb_http_exchange_get_header_value (IwbHttpExchange *self,
                                    IwbHttpPart      part,
                                    guint            index)
{
  Part *p;

  SELF_OR (NULL);
  p = get_part (self, part);
  g_return_val_if_fail (index < p->values->len, NULL);
  return g_ptr_array_index (p->values, index);
}

const char *
iwb_http_exchange_lookup_header (IwbHttpExchange *self,
                                 IwbHttpPart      part,
                                 const char      *name)
{
  Part *p;

  SELF_OR (NULL);
  p = get_part (self, part);
  for (guint i = 0; i < p->names->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (p->names, i), name) == 0)
      return g_ptr_array_index (p->values, i);
  return NULL;
}

GBytes *
iwb_http_exchange_get_body (IwbHttpExchange *self,
                            IwbHttpPart      part)
{
  SELF_OR (NULL);
  return get_part (self, part)->body;
}

gint64
iwb_http_exchange_get_body_size (IwbHttpExchange *self,
                                 IwbHttpPart      part)
{
  SELF_OR (-1);
  return get_part (self, part)->size;
}

gboolean
iwb_http_exchange_get_body_truncated (IwbHttpExchange *self,
                                      IwbHttpPart      part)
{
  SELF_OR (FALSE);
  return get_part (self, part)->truncated;
}

gboolean
iwb_http_exchange_get_body_is_binary (IwbHttpExchange *self,
                                      IwbHttpPart      part)
{
  SELF_OR (FALSE);
  return get_part (self, part)->binary;
}

char *
iwb_http_exchange_dup_mime_type (IwbHttpExchange *self,
                                 IwbHttpPart      part)
{
  const char *ct;
  const char *semi;

  SELF_OR (NULL);
  ct = iwb_http_exchange_lookup_header (self, part, "Content-Type");
  if (ct == NULL)
    return NULL;
  semi = strchr (ct, ';');
  return g_strstrip (semi ? g_strndup (ct, (gsize) (semi - ct)) : g_strdup (ct));
}
