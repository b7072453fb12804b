/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-http-exchange.h"
#include "iwb-json.h"

typedef struct
{
  GPtrArray *names;   /* char* */
  GPtrArray *values;  /* char* */
  GBytes    *body;
  gint64     size;
  gboolean   truncated;
  gboolean   binary;
} Part;

struct _IwbHttpExchange
{
  GObject    parent_instance;

  JsonNode  *json;
  gint64     id;
  char      *method;
  char      *url;
  char      *host;
  char      *path;
  char      *http_version;
  char      *thread;
  GDateTime *started;
  gboolean   replayed;
  gboolean   reused;
  double     timings[IWB_HTTP_TIMING_N];
  guint      status;
  char      *reason;
  char      *error_kind;
  char      *error_message;
  char      *error_reason;
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
  g_free (self->method);
  g_free (self->url);
  g_free (self->host);
  g_free (self->path);
  g_free (self->http_version);
  g_free (self->thread);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_free (self->reason);
  g_free (self->error_kind);
  g_free (self->error_message);
  g_free (self->error_reason);
  part_clear (&self->parts[0]);
  part_clear (&self->parts[1]);

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
      self->parts[i].names = g_ptr_array_new_with_free_func (g_free);
      self->parts[i].values = g_ptr_array_new_with_free_func (g_free);
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

static const char *
opt_string (JsonObject *obj,
            const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
opt_number (JsonObject *obj,
            const char *member,
            double     *out)
{
  JsonNode *node = json_object_get_member (obj, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return FALSE;
  return TRUE;
}

static gboolean
opt_bool (JsonObject *obj,
          const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static gboolean
parse_part (Part        *part,
            JsonObject  *obj,
            const char  *where,
            GError     **error)
{
  JsonNode *headers = json_object_get_member (obj, "headers");
  JsonNode *body = json_object_get_member (obj, "body");

  if (headers != NULL && JSON_NODE_HOLDS_ARRAY (headers))
    {
      JsonArray *array = json_node_get_array (headers);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *pair = json_array_get_element (array, i);
          JsonArray *p;
          JsonNode *name, *value;

          if (!JSON_NODE_HOLDS_ARRAY (pair) || json_array_get_length (p = json_node_get_array (pair)) != 2)
            return fail (error, where, _("has a header that is not a [name, value] pair"));
          name = json_array_get_element (p, 0);
          value = json_array_get_element (p, 1);
          if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING ||
              !JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            return fail (error, where, _("has a header whose name or value is not a string"));
          g_ptr_array_add (part->names, g_strdup (json_node_get_string (name)));
          g_ptr_array_add (part->values, g_strdup (json_node_get_string (value)));
        }
    }
  if (body != NULL && JSON_NODE_HOLDS_OBJECT (body))
    {
      JsonObject *b = json_node_get_object (body);
      const char *text = opt_string (b, "text");
      const char *b64 = opt_string (b, "base64");
      double size = -1;

      if (text != NULL)
        part->body = g_bytes_new (text, strlen (text));
      else if (b64 != NULL)
        {
          gsize len = 0;
          guchar *data = g_base64_decode (b64, &len);

          part->body = g_bytes_new_take (data, len);
          part->binary = TRUE;
        }
      else
        part->body = g_bytes_new (NULL, 0);
      if (opt_number (b, "size", &size) && size >= 0)
        part->size = (gint64) size;
      else
        part->size = (gint64) g_bytes_get_size (part->body);
      part->truncated = opt_bool (b, "truncated");
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

IwbHttpExchange *
iwb_http_exchange_new_from_json (JsonNode  *event,
                                 GError   **error)
{
  g_autoptr(IwbHttpExchange) self = NULL;
  static const char *timing_names[IWB_HTTP_TIMING_N] = {
    "dns", "connect", "tls", "sent", "first_byte", "total",
  };
  JsonObject *obj, *member;
  const char *s;
  double number;

  g_return_val_if_fail (event != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (event))
    {
      fail (error, "event", _("is not a JSON object"));
      return NULL;
    }
  obj = json_node_get_object (event);
  if (g_strcmp0 (opt_string (obj, "event"), "http") != 0)
    {
      fail (error, "event", _("is not “http”"));
      return NULL;
    }
  s = opt_string (obj, "url");
  if (s == NULL || *s == '\0')
    {
      fail (error, "url", _("is missing or not a string"));
      return NULL;
    }

  self = g_object_new (IWB_TYPE_HTTP_EXCHANGE, NULL);
  self->json = json_node_ref (event);
  self->url = g_strdup (s);
  split_url (self);
  self->method = g_strdup (opt_string (obj, "method"));
  self->http_version = g_strdup (opt_string (obj, "http_version") ? opt_string (obj, "http_version") : "HTTP/1.1");
  self->thread = g_strdup (opt_string (obj, "thread"));
  if (opt_number (obj, "id", &number))
    self->id = (gint64) number;
  self->replayed = opt_bool (obj, "replayed");
  self->reused = opt_bool (obj, "reused_connection");
  if ((s = opt_string (obj, "started")) != NULL)
    self->started = g_date_time_new_from_iso8601 (s, NULL);
  if (self->started == NULL)
    self->started = g_date_time_new_now_utc ();

  if (json_object_has_member (obj, "timings") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "timings")) &&
      (member = json_object_get_object_member (obj, "timings")) != NULL)
    for (guint i = 0; i < IWB_HTTP_TIMING_N; i++)
      if (opt_number (member, timing_names[i], &number) && number >= 0)
        self->timings[i] = number;

  if (json_object_has_member (obj, "request"))
    {
      if (!JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "request")))
        {
          fail (error, "request", _("is not an object"));
          return NULL;
        }
      if (!parse_part (&self->parts[IWB_HTTP_PART_REQUEST],
                       json_object_get_object_member (obj, "request"), "request", error))
        return NULL;
    }
  if (json_object_has_member (obj, "response"))
    {
      if (!JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "response")))
        {
          fail (error, "response", _("is not an object"));
          return NULL;
        }
      member = json_object_get_object_member (obj, "response");
      if (!opt_number (member, "status", &number) || number < 100 || number > 999)
        {
          fail (error, "response.status", _("is missing or not an HTTP status"));
          return NULL;
        }
      self->status = (guint) number;
      self->reason = g_strdup (opt_string (member, "reason") ? opt_string (member, "reason") : "");
      if (!parse_part (&self->parts[IWB_HTTP_PART_RESPONSE], member, "response", error))
        return NULL;
    }
  if (json_object_has_member (obj, "error") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "error")))
    {
      member = json_object_get_object_member (obj, "error");
      self->error_kind = g_strdup (opt_string (member, "kind") ? opt_string (member, "kind") : "error");
      self->error_message = g_strdup (opt_string (member, "message"));
      self->error_reason = g_strdup (opt_string (member, "reason"));
    }
  if (self->status == 0 && self->error_kind == NULL)
    {
      fail (error, "response", _("and “error” are both missing"));
      return NULL;
    }
  return g_steal_pointer (&self);
}

IwbHttpExchange *
iwb_http_exchange_new_from_line (const char  *line,
                                 gssize       length,
                                 GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (line != NULL, NULL);

  root = iwb_json_parse_full (line, length, IWB_JSON_PARSE_DEFAULT, NULL, &local_error);
  if (root == NULL && !g_error_matches (local_error, IWB_JSON_ERROR, IWB_JSON_ERROR_EMPTY))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                   _("Not a valid HTTP event from the integration’s child: %s"), local_error->message);
      return NULL;
    }
  if (root == NULL)
    {
      fail (error, "event", _("is empty"));
      return NULL;
    }
  return iwb_http_exchange_new_from_json (root, error);
}

/* ---------------------------------------------------------------------- */

#define SELF_OR(val) g_return_val_if_fail (IWB_IS_HTTP_EXCHANGE (self), val)

JsonNode *
iwb_http_exchange_get_json (IwbHttpExchange *self)
{
  SELF_OR (NULL);
  return self->json;
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
