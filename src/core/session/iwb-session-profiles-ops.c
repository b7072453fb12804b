/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbSession's connection profiles: the store's operations (open, load,
 * save, duplicate, new, rename, delete) in GTask threads, applied in the
 * caller's context only while the session shows the same integration.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-error.h"
#include "iwb-session-profiles-private.h"

/* --- operations in a thread ------------------------------------------------------ */

typedef enum
{
  OP_OPEN,       /* list, and load the last used profile */
  OP_LOAD,
  OP_SAVE,       /* save the session's values as @name (replaces) */
  OP_DUPLICATE,  /* save them as a new @name (refuses a taken name) */
  OP_NEW,        /* an empty profile @name, loaded */
  OP_RENAME,
  OP_DELETE,
} OpKind;

typedef struct
{
  OpKind      kind;
  char       *integration;
  char       *name;
  char       *new_name;
  IwbProfile *profile;  /* to save (in), or loaded (out) */
  GStrv       names;    /* out */
  gboolean    was_current;
} Op;

static void
op_free (gpointer data)
{
  Op *op = data;

  g_free (op->integration);
  g_free (op->name);
  g_free (op->new_name);
  g_clear_object (&op->profile);
  g_strfreev (op->names);
  g_free (op);
}

static gboolean
name_taken (IwbStore    *store,
            const char  *integration,
            const char  *name,
            GError     **error)
{
  g_auto(GStrv) names = iwb_store_list_profiles (store, integration, error);

  if (names == NULL)
    return TRUE;
  if (g_strv_contains ((const char * const *) names, name))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                   _("There is already a profile named “%s”: choose another name"), name);
      return TRUE;
    }
  return FALSE;
}

static void
op_thread (GTask        *task,
           gpointer      source,
           gpointer      data,
           GCancellable *cancellable)
{
  Op *op = data;
  IwbStore *store = g_object_get_data (G_OBJECT (task), "store");
  GError *error = NULL;
  gboolean ok = TRUE;

  switch (op->kind)
    {
    case OP_OPEN:
      {
        g_autofree char *last = iwb_store_dup_last_profile (store, op->integration, &error);

        ok = error == NULL;
        if (ok && last != NULL)
          {
            op->profile = iwb_store_load_profile (store, op->integration, last, cancellable, &error);
            /* A last profile deleted meanwhile is no error: nothing to restore. */
            if (op->profile == NULL && g_error_matches (error, IWB_ERROR, IWB_ERROR_NOT_FOUND))
              g_clear_error (&error);
            ok = error == NULL;
          }
      }
      break;
    case OP_LOAD:
      op->profile = iwb_store_load_profile (store, op->integration, op->name, cancellable, &error);
      ok = op->profile != NULL
           && iwb_store_set_last_profile (store, op->integration, op->name, &error);
      break;
    case OP_DUPLICATE:
    case OP_NEW:
      ok = !name_taken (store, op->integration, op->profile ? iwb_profile_get_name (op->profile) : op->name, &error);
      if (ok)
        ok = iwb_store_save_profile (store, op->integration, op->profile, cancellable, &error);
      break;
    case OP_SAVE:
      ok = iwb_store_save_profile (store, op->integration, op->profile, cancellable, &error);
      break;
    case OP_RENAME:
      ok = iwb_store_rename_profile (store, op->integration, op->name, op->new_name, cancellable, &error);
      if (ok && op->was_current)
        ok = iwb_store_set_last_profile (store, op->integration, op->new_name, &error);
      break;
    case OP_DELETE:
      ok = iwb_store_delete_profile (store, op->integration, op->name, cancellable, &error);
      break;
    default:
      g_assert_not_reached ();
    }
  /* The list as it is now, whatever happened (another process may have
   * changed it too). */
  op->names = iwb_store_list_profiles (store, op->integration, ok ? &error : NULL);
  if (op->names == NULL)
    ok = FALSE;
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
emit_new_warnings (IwbSession *self)
{
  IwbSessionProfiles *p = _iwb_session_profiles_of (self);
  g_auto(GStrv) warnings = p->store ? iwb_store_dup_warnings (p->store) : NULL;

  for (guint i = 0; warnings != NULL && warnings[i] != NULL; i++)
    if (g_hash_table_add (p->warned, g_strdup (warnings[i])))
      g_signal_emit_by_name (self, "profile-warning", warnings[i]);
}

static void
set_names (IwbSession *self,
           GStrv       names) /* taken */
{
  IwbSessionProfiles *p = _iwb_session_profiles_of (self);

  if (names == NULL)
    return;
  if (g_strv_equal ((const char * const *) p->names, (const char * const *) names))
    {
      g_strfreev (names);
      return;
    }
  g_strfreev (p->names);
  p->names = names;
  g_object_notify (G_OBJECT (self), "profile-names");
}

static void
op_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  IwbSession *self = IWB_SESSION (source);
  GTask *outer = user_data;
  GTask *task = G_TASK (result);
  Op *op = g_task_get_task_data (task);
  IwbSessionProfiles *p = _iwb_session_profiles_of (self);
  GError *error = NULL;
  gboolean ok = g_task_propagate_boolean (task, &error);
  g_autofree char *key = self->folder ? iwb_store_integration_key (self->folder) : NULL;

  p->pending--;
  emit_new_warnings (self);
  /* The session moved on to another integration meanwhile: nothing of this
   * applies any more. */
  if (g_strcmp0 (key, op->integration) != 0)
    {
      g_object_notify (G_OBJECT (self), "profiles-busy");
      g_task_return_new_error (outer, IWB_ERROR, IWB_ERROR_CANCELLED,
                               _("Another integration was opened meanwhile"));
      g_object_unref (outer);
      g_clear_error (&error);
      return;
    }
  set_names (self, g_steal_pointer (&op->names));
  if (ok)
    switch (op->kind)
      {
      case OP_OPEN:
        if (op->profile != NULL)
          iwb_session_apply_profile (self, op->profile);
        break;
      case OP_LOAD:
      case OP_NEW:
        iwb_session_apply_profile (self, op->profile);
        break;
      case OP_SAVE:
      case OP_DUPLICATE:
        _iwb_session_profiles_set_name (self, iwb_profile_get_name (op->profile));
        _iwb_session_profiles_remember_saved (self, op->profile);
        /* What was typed while it saved still counts. */
        _iwb_session_profiles_recompute_dirty (self);
        break;
      case OP_RENAME:
        if (op->was_current && g_strcmp0 (p->name, op->name) == 0)
          _iwb_session_profiles_set_name (self, op->new_name);
        break;
      case OP_DELETE:
        if (g_strcmp0 (p->name, op->name) == 0)
          {
            /* The values stay, as values of no profile. */
            _iwb_session_profiles_set_name (self, NULL);
            _iwb_session_profiles_remember_saved (self, NULL);
          }
        break;
      default:
        break;
      }
  g_object_notify (G_OBJECT (self), "profiles-busy");
  if (ok)
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, error);
  g_object_unref (outer);
}

static gboolean
check_name (const char  *name,
            GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name ? name : ""));

  if (stripped[0] == '\0')
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE, _("A profile needs a name"));
      return FALSE;
    }
  if (!g_str_equal (stripped, name) || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                   _("A profile name cannot start or end with spaces: “%s”"), name);
      return FALSE;
    }
  for (const char *c = name; *c; c++)
    if ((guchar) *c < 0x20)
      {
        g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                     _("A profile name cannot hold control characters"));
        return FALSE;
      }
  return TRUE;
}

static void
start_op (IwbSession          *self,
          OpKind               kind,
          const char          *name,
          const char          *new_name,
          IwbProfile          *profile, /* taken */
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             tag)
{
  IwbSessionProfiles *p = _iwb_session_profiles_of (self);
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Op *op;

  g_task_set_source_tag (outer, tag);
  if (self->folder == NULL)
    {
      g_clear_object (&profile);
      g_task_return_new_error (outer, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                               _("No integration is open: open an integration folder first"));
      g_object_unref (outer);
      return;
    }
  if ((kind != OP_OPEN && !check_name (name, &error)) ||
      (kind == OP_RENAME && !check_name (new_name, &error)) ||
      (profile != NULL && !check_name (iwb_profile_get_name (profile), &error)))
    {
      g_clear_object (&profile);
      g_task_return_error (outer, error);
      g_object_unref (outer);
      return;
    }
  iwb_session_get_store (self); /* made before: a new store forgets what was opened */
  op = g_new0 (Op, 1);
  op->kind = kind;
  op->integration = iwb_store_integration_key (self->folder);
  op->name = g_strdup (name);
  op->new_name = g_strdup (new_name);
  op->profile = profile;
  op->was_current = g_strcmp0 (name, p->name) == 0;
  if (kind == OP_OPEN)
    {
      g_free (p->integration);
      p->integration = g_strdup (op->integration);
    }
  task = g_task_new (self, cancellable, op_done, outer);
  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, op, op_free);
  g_object_set_data_full (G_OBJECT (task), "store", g_object_ref (iwb_session_get_store (self)),
                          g_object_unref);
  p->pending++;
  g_object_notify (G_OBJECT (self), "profiles-busy");
  g_task_run_in_thread (task, op_thread);
}

gboolean
iwb_session_profiles_opened (IwbSession *self)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (IWB_IS_SESSION (self), FALSE);
  if (self->folder == NULL || self->profiles == NULL || self->profiles->integration == NULL)
    return FALSE;
  key = iwb_store_integration_key (self->folder);
  return g_str_equal (key, self->profiles->integration);
}

void
iwb_session_open_profiles_async (IwbSession          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (IWB_IS_SESSION (self));
  start_op (self, OP_OPEN, NULL, NULL, NULL, cancellable, callback, user_data,
            iwb_session_open_profiles_async);
}

void
iwb_session_load_profile_async (IwbSession          *self,
                                const char          *name,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (IWB_IS_SESSION (self));
  start_op (self, OP_LOAD, name, NULL, NULL, cancellable, callback, user_data,
            iwb_session_load_profile_async);
}

void
iwb_session_save_profile_async (IwbSession          *self,
                                const char          *name,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  const char *target;

  g_return_if_fail (IWB_IS_SESSION (self));
  target = name ? name : iwb_session_get_profile (self);
  start_op (self, OP_SAVE, target, NULL, target ? iwb_session_dup_profile (self, target) : NULL,
            cancellable, callback, user_data, iwb_session_save_profile_async);
}

void
iwb_session_duplicate_profile_async (IwbSession          *self,
                                     const char          *new_name,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (IWB_IS_SESSION (self));
  start_op (self, OP_DUPLICATE, new_name, NULL, new_name ? iwb_session_dup_profile (self, new_name) : NULL,
            cancellable, callback, user_data, iwb_session_duplicate_profile_async);
}

void
iwb_session_new_profile_async (IwbSession          *self,
                               const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (IWB_IS_SESSION (self));
  start_op (self, OP_NEW, name, NULL, name ? iwb_profile_new (name) : NULL,
            cancellable, callback, user_data, iwb_session_new_profile_async);
}

void
iwb_session_rename_profile_async (IwbSession          *self,
                                  const char          *old_name,
                                  const char          *new_name,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (IWB_IS_SESSION (self));
  start_op (self, OP_RENAME, old_name, new_name, NULL, cancellable, callback, user_data,
            iwb_session_rename_profile_async);
}

void
iwb_session_delete_profile_async (IwbSession          *self,
                                  const char          *name,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (IWB_IS_SESSION (self));
  start_op (self, OP_DELETE, name, NULL, NULL, cancellable, callback, user_data,
            iwb_session_delete_profile_async);
}

gboolean
iwb_session_profile_finish (IwbSession    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
iwb_session_load_profile_finish (IwbSession    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return iwb_session_profile_finish (self, result, error);
}

gboolean
iwb_session_save_profile_finish (IwbSession    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return iwb_session_profile_finish (self, result, error);
}
