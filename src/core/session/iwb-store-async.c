/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbStore: the _async variants for a window (GTask threads). */
#include "config.h"

#include "iwb-store-private.h"

typedef struct
{
  char       *integration;
  char       *name;
  IwbProfile *profile;
} TaskData;

static void
task_data_free (gpointer data)
{
  TaskData *td = data;

  g_free (td->integration);
  g_free (td->name);
  g_clear_object (&td->profile);
  g_free (td);
}

static GTask *
new_task (IwbStore            *self,
          const char          *integration,
          const char          *name,
          IwbProfile          *profile,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  TaskData *td = g_new0 (TaskData, 1);

  g_task_set_source_tag (task, tag);
  td->integration = g_strdup (integration);
  td->name = g_strdup (name);
  td->profile = profile ? iwb_profile_copy (profile, NULL) : NULL;
  g_task_set_task_data (task, td, task_data_free);
  return task;
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  TaskData *td = data;
  GError *error = NULL;
  IwbProfile *profile = iwb_store_load_profile (source, td->integration, td->name,
                                                cancellable, &error);

  if (profile == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, profile, g_object_unref);
}

void
iwb_store_load_profile_async (IwbStore            *self,
                              const char          *integration,
                              const char          *name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = new_task (self, integration, name, NULL, cancellable, callback,
                                    user_data, iwb_store_load_profile_async);

  g_task_run_in_thread (task, load_thread);
}

IwbProfile *
iwb_store_load_profile_finish (IwbStore      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  TaskData *td = data;
  GError *error = NULL;

  if (iwb_store_save_profile (source, td->integration, td->profile, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
iwb_store_save_profile_async (IwbStore            *self,
                              const char          *integration,
                              IwbProfile          *profile,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = new_task (self, integration, NULL, profile, cancellable, callback,
                                    user_data, iwb_store_save_profile_async);

  g_task_run_in_thread (task, save_thread);
}

gboolean
iwb_store_save_profile_finish (IwbStore      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
delete_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  TaskData *td = data;
  GError *error = NULL;

  if (iwb_store_delete_profile (source, td->integration, td->name, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
iwb_store_delete_profile_async (IwbStore            *self,
                                const char          *integration,
                                const char          *name,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = new_task (self, integration, name, NULL, cancellable, callback,
                                    user_data, iwb_store_delete_profile_async);

  g_task_run_in_thread (task, delete_thread);
}

gboolean
iwb_store_delete_profile_finish (IwbStore      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
