/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbParamForm: one row per descriptor INPUT, each bound to an
 * IwbFieldValue. The row widget follows the input's input_type and
 * data_type; the field view-model does the coercion (through the core) and
 * holds the error state; the form adds them up into "valid". The rows for
 * each kind of input are made in iwb-param-form-rows.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-gui-util.h"
#include "iwb-param-form-private.h"

G_DEFINE_FINAL_TYPE (IwbParamForm, iwb_param_form, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_VALID,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
field_row_free (FieldRow *fr)
{
  g_signal_handlers_disconnect_by_data (fr->field, fr);
  g_clear_object (&fr->field);
  g_clear_object (&fr->options_labels);
  g_clear_pointer (&fr->options_values, g_ptr_array_unref);
  g_clear_object (&fr->columns_menu);
  g_free (fr);
}

/* The field's text into the session's value store: the one copy runs read. */
static void
store_text (IwbParamForm  *self,
            IwbFieldValue *field,
            gboolean       typed)
{
  IwbSessionValueFlags flags = typed ? IWB_SESSION_VALUE_TYPED : IWB_SESSION_VALUE_NONE;

  if (self->session == NULL)
    return;
  if (iwb_field_value_is_secret (field) ||
      iwb_session_get_value_user_secret (self->session, self->scope, iwb_field_value_get_id (field)))
    flags |= IWB_SESSION_VALUE_SECRET;
  iwb_session_set_value (self->session, self->scope, iwb_field_value_get_id (field),
                         iwb_field_value_get_text (field), flags);
}

static void
update_valid (IwbParamForm *self)
{
  gboolean valid = TRUE;

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *fr = g_ptr_array_index (self->rows, i);

      if (!iwb_field_value_get_valid (fr->field))
        {
          valid = FALSE;
          break;
        }
    }
  if (valid != self->valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }
}

static void
update_row_state (FieldRow *fr)
{
  IwbFieldValue *field = fr->field;
  gboolean show_error = iwb_field_value_get_has_error (field)
                        || (iwb_field_value_get_missing (field) && fr->touched);
  const char *message = iwb_field_value_get_error_message (field);

  if (show_error)
    {
      gtk_widget_add_css_class (fr->row, "error");
      gtk_label_set_text (GTK_LABEL (fr->error_label), message ? message : "");
    }
  else
    gtk_widget_remove_css_class (fr->row, "error");
  gtk_widget_set_visible (fr->error_row, show_error && message != NULL);

  if (fr->reset_button != NULL)
    gtk_widget_set_visible (fr->reset_button, !iwb_field_value_get_is_default (field));
}

/* --- profiles: environment references, values loaded (guiprof) ----------------- */

/* A value `${NAME}` is taken from the environment when it runs: say so on
 * the row, and whether NAME is set here. */
static void
update_env_hint (FieldRow *fr)
{
  g_auto(GStrv) names = NULL;
  gboolean reference = iwb_profile_value_is_env_reference (iwb_field_value_get_text (fr->field), &names);
  g_autoptr(GString) tooltip = NULL;
  gboolean missing = FALSE;

  if (!reference && fr->env_hint == NULL)
    return;
  if (fr->env_hint == NULL)
    {
      fr->env_hint = gtk_image_new_from_icon_name ("utilities-terminal-symbolic");
      gtk_widget_set_valign (fr->env_hint, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (fr->env_hint, "env-reference");
      if (!iwb_param_form_add_row_suffix (fr->form, iwb_field_value_get_id (fr->field), fr->env_hint))
        {
          fr->env_hint = NULL;
          return;
        }
    }
  gtk_widget_set_visible (fr->env_hint, reference);
  if (!reference)
    return;
  tooltip = g_string_new (_("From the environment when it runs:"));
  for (guint i = 0; names[i] != NULL; i++)
    {
      gboolean set = g_getenv (names[i]) != NULL;

      missing |= !set;
      g_string_append_printf (tooltip, "\n%s — %s", names[i], set ? _("set") : _("not set"));
    }
  gtk_widget_set_tooltip_text (fr->env_hint, tooltip->str);
  if (missing)
    gtk_widget_add_css_class (fr->env_hint, "warning");
  else
    gtk_widget_remove_css_class (fr->env_hint, "warning");
}

static void on_field_notify (IwbFieldValue *field,
                             GParamSpec    *pspec,
                             FieldRow      *fr);

/* A profile replaced every value of the session: show its values, and the
 * defaults where it has none. */
static void
on_values_loaded (IwbParamForm *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *fr = g_ptr_array_index (self->rows, i);
      IwbSessionValueFlags flags;
      const char *stored = iwb_session_get_value (self->session, self->scope,
                                                  iwb_field_value_get_id (fr->field), &flags);
      gboolean typed = stored != NULL && (flags & IWB_SESSION_VALUE_TYPED);
      g_autofree char *text = typed ? g_strdup (stored) : NULL;

      g_signal_handlers_block_by_func (fr->field, on_field_notify, fr);
      iwb_field_value_set_remote_error (fr->field, NULL);
      if (typed)
        iwb_field_value_set_text (fr->field, text);
      else
        iwb_field_value_restore_default (fr->field);
      g_signal_handlers_unblock_by_func (fr->field, on_field_notify, fr);
      fr->touched = typed;
      store_text (self, fr->field, typed);
      update_env_hint (fr);
      update_row_state (fr);
    }
  update_valid (self);
  /* Valid or not as before, the reason may be another one now. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

/* The one place that notices a field changed: store, row style, validity. */
static void
on_field_notify (IwbFieldValue *field,
                 GParamSpec    *pspec,
                 FieldRow      *fr)
{
  IwbParamForm *self = fr->form;

  if (g_str_equal (pspec->name, "text"))
    {
      fr->touched = TRUE;
      store_text (self, field, TRUE);
      update_env_hint (fr);
      g_signal_emit (self, signals[CHANGED], 0);
    }
  update_row_state (fr);
  update_valid (self);
}

/* --- object ---------------------------------------------------------------- */

static void
iwb_param_form_dispose (GObject *object)
{
  IwbParamForm *self = IWB_PARAM_FORM (object);

  g_clear_pointer (&self->list, gtk_widget_unparent);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (iwb_param_form_parent_class)->dispose (object);
}

static void
iwb_param_form_finalize (GObject *object)
{
  IwbParamForm *self = IWB_PARAM_FORM (object);

  g_clear_object (&self->fields);
  g_clear_pointer (&self->scope, g_free);
  g_clear_object (&self->session);
  g_clear_pointer (&self->columns, g_strfreev);
  G_OBJECT_CLASS (iwb_param_form_parent_class)->finalize (object);
}

static void
iwb_param_form_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  IwbParamForm *self = IWB_PARAM_FORM (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_param_form_class_init (IwbParamFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = iwb_param_form_dispose;
  object_class->finalize = iwb_param_form_finalize;
  object_class->get_property = iwb_param_form_get_property;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Some field's text changed. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "paramform");
}

static void
iwb_param_form_init (IwbParamForm *self)
{
  self->valid = TRUE;
  self->fields = g_list_store_new (IWB_TYPE_FIELD_VALUE);
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) field_row_free);
  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_widget_set_parent (self->list, GTK_WIDGET (self));
}

IwbParamForm *
iwb_param_form_new (JsonArray  *inputs,
                    const char *scope,
                    IwbSession *session)
{
  IwbParamForm *self = g_object_new (IWB_TYPE_PARAM_FORM, NULL);

  self->scope = g_strdup (scope ? scope : "");
  self->session = session ? g_object_ref (session) : NULL;

  for (guint i = 0; inputs != NULL && i < json_array_get_length (inputs); i++)
    {
      JsonNode *node = json_array_get_element (inputs, i);
      FieldRow *fr;
      const char *stored = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      fr = g_new0 (FieldRow, 1);
      fr->form = self;
      fr->field = iwb_field_value_new (json_node_get_object (node));
      if (iwb_field_value_get_id (fr->field) == NULL)
        {
          field_row_free (fr);
          continue;
        }
      if (self->session != NULL)
        {
          IwbSessionValueFlags flags;

          /* Only what was typed: a default stored by an older form may
           * not be this descriptor's default. */
          stored = iwb_session_get_value (self->session, self->scope,
                                          iwb_field_value_get_id (fr->field), &flags);
          if (stored != NULL && (flags & IWB_SESSION_VALUE_TYPED))
            iwb_field_value_set_text (fr->field, stored);
          else
            stored = NULL;
        }
      fr->row = _iwb_param_form_create_row (fr);
      fr->error_row = _iwb_param_form_error_row_new (fr);
      gtk_list_box_append (GTK_LIST_BOX (self->list), fr->row);
      gtk_list_box_append (GTK_LIST_BOX (self->list), fr->error_row);
      g_ptr_array_add (self->rows, fr);
      g_list_store_append (self->fields, fr->field);
      /* Values restored from the store count as touched: they were typed. */
      fr->touched = stored != NULL;
      /* What a run of this form gets, from the start (a select may have
       * chosen its first option). */
      store_text (self, fr->field, fr->touched);
      g_signal_connect (fr->field, "notify", G_CALLBACK (on_field_notify), fr);
      update_row_state (fr);
    }
  for (guint i = 0; i < self->rows->len; i++)
    update_env_hint (g_ptr_array_index (self->rows, i));
  if (self->session != NULL)
    g_signal_connect_object (self->session, "values-loaded", G_CALLBACK (on_values_loaded),
                             self, G_CONNECT_SWAPPED);
  update_valid (self);

  return self;
}

static FieldRow *
find_row (IwbParamForm *self,
          const char   *id)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *fr = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (iwb_field_value_get_id (fr->field), id) == 0)
        return fr;
    }
  return NULL;
}

GListModel *
iwb_param_form_get_fields (IwbParamForm *self)
{
  g_return_val_if_fail (IWB_IS_PARAM_FORM (self), NULL);
  return G_LIST_MODEL (self->fields);
}

guint
iwb_param_form_get_n_fields (IwbParamForm *self)
{
  g_return_val_if_fail (IWB_IS_PARAM_FORM (self), 0);
  return self->rows->len;
}

IwbFieldValue *
iwb_param_form_get_field (IwbParamForm *self,
                          const char   *id)
{
  FieldRow *fr;

  g_return_val_if_fail (IWB_IS_PARAM_FORM (self), NULL);
  fr = find_row (self, id);
  return fr ? fr->field : NULL;
}

GtkWidget *
iwb_param_form_get_row (IwbParamForm *self,
                        const char   *id)
{
  FieldRow *fr;

  g_return_val_if_fail (IWB_IS_PARAM_FORM (self), NULL);
  fr = find_row (self, id);
  return fr ? fr->row : NULL;
}

GtkWidget *
iwb_param_form_get_editor (IwbParamForm *self,
                           const char   *id)
{
  FieldRow *fr;

  g_return_val_if_fail (IWB_IS_PARAM_FORM (self), NULL);
  fr = find_row (self, id);
  return fr ? fr->editor : NULL;
}

gboolean
iwb_param_form_get_valid (IwbParamForm *self)
{
  g_return_val_if_fail (IWB_IS_PARAM_FORM (self), FALSE);
  return self->valid;
}

char *
iwb_param_form_dup_problem (IwbParamForm *self)
{
  g_return_val_if_fail (IWB_IS_PARAM_FORM (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *fr = g_ptr_array_index (self->rows, i);
      char *problem = iwb_field_value_dup_problem (fr->field);

      if (problem != NULL)
        return problem;
    }
  return NULL;
}

gboolean
iwb_param_form_focus_first_invalid (IwbParamForm *self)
{
  FieldRow *first = NULL;

  g_return_val_if_fail (IWB_IS_PARAM_FORM (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *fr = g_ptr_array_index (self->rows, i);

      if (!iwb_field_value_get_valid (fr->field))
        {
          fr->touched = TRUE;
          update_row_state (fr);
          if (first == NULL)
            first = fr;
        }
    }
  if (first == NULL)
    return FALSE;
  if (!gtk_widget_grab_focus (first->editor))
    gtk_widget_grab_focus (first->row);
  return TRUE;
}

guint
iwb_param_form_set_field_errors (IwbParamForm *self,
                                 GPtrArray    *errors)
{
  guint unmatched = 0;

  g_return_val_if_fail (IWB_IS_PARAM_FORM (self), 0);

  iwb_param_form_clear_field_errors (self);
  for (guint i = 0; errors != NULL && i < errors->len; i++)
    {
      IwbFieldError *error = g_ptr_array_index (errors, i);
      const char *id = error->field ? error->field : error->input_id;
      FieldRow *fr = id ? find_row (self, id) : NULL;

      if (fr == NULL)
        {
          unmatched++;
          continue;
        }
      fr->touched = TRUE;
      iwb_field_value_set_remote_error (fr->field, error->message);
    }
  return unmatched;
}

void
iwb_param_form_clear_field_errors (IwbParamForm *self)
{
  g_return_if_fail (IWB_IS_PARAM_FORM (self));

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *fr = g_ptr_array_index (self->rows, i);

      iwb_field_value_set_remote_error (fr->field, NULL);
    }
}

void
iwb_param_form_set_columns (IwbParamForm       *self,
                            const char * const *columns)
{
  g_return_if_fail (IWB_IS_PARAM_FORM (self));

  if (self->columns != NULL && columns != NULL
      && g_strv_equal ((const char * const *) self->columns, columns))
    return;
  g_strfreev (self->columns);
  self->columns = g_strdupv ((char **) columns);
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *fr = g_ptr_array_index (self->rows, i);

      if (fr->columns_menu != NULL)
        _iwb_param_form_rebuild_columns_menu (fr, columns);
    }
}

gboolean
iwb_param_form_add_row_suffix (IwbParamForm *self,
                               const char   *id,
                               GtkWidget    *widget)
{
  FieldRow *fr;

  g_return_val_if_fail (IWB_IS_PARAM_FORM (self), FALSE);
  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

  fr = find_row (self, id);
  if (fr == NULL)
    {
      g_object_unref (g_object_ref_sink (widget));
      return FALSE;
    }
  if (ADW_IS_ENTRY_ROW (fr->row))
    adw_entry_row_add_suffix (ADW_ENTRY_ROW (fr->row), widget);
  else if (ADW_IS_ACTION_ROW (fr->row))
    adw_action_row_add_suffix (ADW_ACTION_ROW (fr->row), widget);
  else
    {
      /* Multi-line rows: the header line (title, reset, required). */
      GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (fr->row));
      GtkWidget *header = box ? gtk_widget_get_first_child (box) : NULL;

      if (!GTK_IS_BOX (header))
        {
          g_object_unref (g_object_ref_sink (widget));
          return FALSE;
        }
      gtk_box_append (GTK_BOX (header), widget);
    }
  return TRUE;
}
