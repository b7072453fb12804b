/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbFieldValue: the view-model of one form field (the D-Spy pattern).
 * It holds the text the user typed for one descriptor INPUT and keeps the
 * typed value and the error state in step with it through the core's
 * coercion rules, so a form row only binds properties.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-coerce.h"
#include "iwb-descriptor.h"
#include "iwb-field-value.h"

struct _IwbFieldValue
{
  GObject     parent_instance;
  JsonObject *input;
  char       *default_text;
  char       *text;
  JsonNode   *value;
  char       *error_message;
  char       *remote_error;
  guint       has_error : 1;
  guint       local_error : 1; /* the text itself is wrong (not only the SDK's verdict) */
  guint       missing : 1;
};

G_DEFINE_FINAL_TYPE (IwbFieldValue, iwb_field_value, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_LABEL,
  PROP_TEXT,
  PROP_HAS_ERROR,
  PROP_MISSING,
  PROP_VALID,
  PROP_ERROR_MESSAGE,
  PROP_IS_DEFAULT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
revalidate (IwbFieldValue *self)
{
  g_autofree char *message = NULL;
  g_autoptr(JsonNode) value = NULL;
  gboolean was_error = self->has_error;
  gboolean was_missing = self->missing;
  gboolean was_valid = !was_error && !was_missing;
  g_autofree char *old_message = g_steal_pointer (&self->error_message);
  gboolean empty = self->text == NULL || self->text[0] == '\0';

  self->missing = FALSE;
  self->has_error = FALSE;
  self->local_error = FALSE;

  if (empty && !iwb_field_value_get_optional (self) && self->default_text == NULL)
    {
      self->missing = TRUE;
      self->error_message = g_strdup (_("Required"));
    }
  else if (!iwb_coerce_input (self->input, self->text, &value, &message))
    {
      self->has_error = TRUE;
      self->local_error = TRUE;
      self->error_message = g_steal_pointer (&message);
    }
  else if (self->remote_error != NULL)
    {
      self->has_error = TRUE;
      self->error_message = g_strdup (self->remote_error);
    }

  g_clear_pointer (&self->value, json_node_unref);
  self->value = g_steal_pointer (&value);

  if (was_error != self->has_error)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_ERROR]);
  if (was_missing != self->missing)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MISSING]);
  if (was_valid != iwb_field_value_get_valid (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
  if (g_strcmp0 (old_message, self->error_message) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

static void
iwb_field_value_finalize (GObject *object)
{
  IwbFieldValue *self = IWB_FIELD_VALUE (object);

  g_clear_pointer (&self->input, json_object_unref);
  g_clear_pointer (&self->default_text, g_free);
  /* The text may be a password: do not leave it in freed memory. */
  if (self->text != NULL)
    memset (self->text, 0, strlen (self->text));
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->value, json_node_unref);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->remote_error, g_free);

  G_OBJECT_CLASS (iwb_field_value_parent_class)->finalize (object);
}

static void
iwb_field_value_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  IwbFieldValue *self = IWB_FIELD_VALUE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, iwb_field_value_get_id (self));
      break;
    case PROP_LABEL:
      g_value_set_string (value, iwb_field_value_get_label (self));
      break;
    case PROP_TEXT:
      g_value_set_string (value, iwb_field_value_get_text (self));
      break;
    case PROP_HAS_ERROR:
      g_value_set_boolean (value, self->has_error);
      break;
    case PROP_MISSING:
      g_value_set_boolean (value, self->missing);
      break;
    case PROP_VALID:
      g_value_set_boolean (value, iwb_field_value_get_valid (self));
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_IS_DEFAULT:
      g_value_set_boolean (value, iwb_field_value_get_is_default (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_field_value_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  IwbFieldValue *self = IWB_FIELD_VALUE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      iwb_field_value_set_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_field_value_class_init (IwbFieldValueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = iwb_field_value_finalize;
  object_class->get_property = iwb_field_value_get_property;
  object_class->set_property = iwb_field_value_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_ERROR] =
    g_param_spec_boolean ("has-error", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MISSING] =
    g_param_spec_boolean ("missing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_DEFAULT] =
    g_param_spec_boolean ("is-default", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
iwb_field_value_init (IwbFieldValue *self)
{
  self->text = g_strdup ("");
}

/**
 * iwb_field_value_new:
 * @input: a descriptor INPUT object (id, label, data_type, input_type,
 *   optional, description, default, options, source); referenced
 *
 * The text starts as the default's text (empty without a default).
 */
IwbFieldValue *
iwb_field_value_new (JsonObject *input)
{
  IwbFieldValue *self;

  g_return_val_if_fail (input != NULL, NULL);

  self = g_object_new (IWB_TYPE_FIELD_VALUE, NULL);
  self->input = json_object_ref (input);
  self->default_text = iwb_coerce_default_text (input);
  /* A column argument maps, unless told otherwise, to the column named like
   * the argument (what a fresh input row has): that is its default. */
  if (self->default_text == NULL && g_strcmp0 (iwb_descriptor_input_get_source (input, FALSE), "column") == 0)
    self->default_text = g_strdup (iwb_descriptor_input_get_id (input));
  g_free (self->text);
  self->text = g_strdup (self->default_text ? self->default_text : "");
  revalidate (self);

  return self;
}

JsonObject *
iwb_field_value_get_input (IwbFieldValue *self)
{
  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), NULL);
  return self->input;
}

const char *
iwb_field_value_get_id (IwbFieldValue *self)
{
  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), NULL);
  return iwb_descriptor_input_get_id (self->input);
}

const char *
iwb_field_value_get_label (IwbFieldValue *self)
{
  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), NULL);
  return iwb_descriptor_input_get_label (self->input);
}

const char *
iwb_field_value_get_description (IwbFieldValue *self)
{
  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), NULL);
  return iwb_descriptor_input_get_description (self->input);
}

const char *
iwb_field_value_get_data_type (IwbFieldValue *self)
{
  const char *data_type;

  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), NULL);
  data_type = iwb_descriptor_input_get_data_type (self->input);
  return data_type ? data_type : "string";
}

const char *
iwb_field_value_get_input_type (IwbFieldValue *self)
{
  const char *input_type;

  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), NULL);
  input_type = iwb_descriptor_input_get_input_type (self->input);
  return input_type ? input_type : "text";
}

const char *
iwb_field_value_get_source (IwbFieldValue *self)
{
  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), NULL);
  return iwb_descriptor_input_get_source (self->input, FALSE);
}

gboolean
iwb_field_value_is_argument (IwbFieldValue *self)
{
  const char *source = iwb_field_value_get_source (self);

  return g_str_equal (source, "column") || g_str_equal (source, "template");
}

gboolean
iwb_field_value_get_optional (IwbFieldValue *self)
{
  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), FALSE);
  return iwb_descriptor_input_get_optional (self->input);
}

gboolean
iwb_field_value_is_secret (IwbFieldValue *self)
{
  return iwb_descriptor_input_type_is_secret (iwb_field_value_get_input_type (self));
}

const char *
iwb_field_value_get_default_text (IwbFieldValue *self)
{
  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), NULL);
  return self->default_text;
}

const char *
iwb_field_value_get_text (IwbFieldValue *self)
{
  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), NULL);
  return self->text;
}

void
iwb_field_value_set_text (IwbFieldValue *self,
                          const char    *text)
{
  gboolean was_default;

  g_return_if_fail (IWB_IS_FIELD_VALUE (self));

  if (text == NULL)
    text = "";
  if (g_strcmp0 (self->text, text) == 0)
    return;

  was_default = iwb_field_value_get_is_default (self);
  if (self->text != NULL)
    memset (self->text, 0, strlen (self->text));
  g_free (self->text);
  self->text = g_strdup (text);
  g_clear_pointer (&self->remote_error, g_free);
  revalidate (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
  if (was_default != iwb_field_value_get_is_default (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_DEFAULT]);
}

void
iwb_field_value_restore_default (IwbFieldValue *self)
{
  g_return_if_fail (IWB_IS_FIELD_VALUE (self));
  iwb_field_value_set_text (self, self->default_text);
}

gboolean
iwb_field_value_get_is_default (IwbFieldValue *self)
{
  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), TRUE);
  return g_strcmp0 (self->text, self->default_text ? self->default_text : "") == 0;
}

gboolean
iwb_field_value_get_has_error (IwbFieldValue *self)
{
  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), FALSE);
  return self->has_error;
}

gboolean
iwb_field_value_get_missing (IwbFieldValue *self)
{
  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), FALSE);
  return self->missing;
}

gboolean
iwb_field_value_get_valid (IwbFieldValue *self)
{
  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), FALSE);
  /* The SDK's verdict is shown, but does not block validating again (the
   * service may have been fixed in between). */
  return !self->local_error && !self->missing;
}

const char *
iwb_field_value_get_error_message (IwbFieldValue *self)
{
  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), NULL);
  return self->error_message;
}

JsonNode *
iwb_field_value_get_value (IwbFieldValue *self)
{
  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), NULL);
  return self->value;
}

void
iwb_field_value_set_remote_error (IwbFieldValue *self,
                                  const char    *message)
{
  g_return_if_fail (IWB_IS_FIELD_VALUE (self));

  if (g_strcmp0 (self->remote_error, message) == 0)
    return;
  g_free (self->remote_error);
  self->remote_error = g_strdup (message);
  revalidate (self);
}

const char *
iwb_field_value_get_remote_error (IwbFieldValue *self)
{
  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), NULL);
  return self->remote_error;
}

char *
iwb_field_value_dup_problem (IwbFieldValue *self)
{
  g_return_val_if_fail (IWB_IS_FIELD_VALUE (self), NULL);

  if (self->missing)
    /* Translators: %s is the label of a form field */
    return g_strdup_printf (_("“%s” is required"), iwb_field_value_get_label (self));
  if (self->local_error)
    /* Translators: first %s is the label of a form field, second the problem */
    return g_strdup_printf (_("“%s”: %s"), iwb_field_value_get_label (self), self->error_message);
  return NULL;
}
