/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbStore: secrets in the Secret Service (libsecret), or in memory when
 * there is none. Called with the store's lock held. */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-store-private.h"

static const SecretSchema *
store_schema (void)
{
  static const SecretSchema schema = {
    APPLICATION_ID, SECRET_SCHEMA_NONE,
    {
      { "integration", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "parameter", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}


static char *
memory_key (const char *integration,
            const char *profile,
            const char *parameter)
{
  return g_strdup_printf ("%s\n%s\n%s", integration, profile, parameter);
}

static void
go_in_memory (IwbStore   *self,
              const char *reason)
{
  g_autofree char *message = NULL;

  self->secret_checked = TRUE;
  if (self->secrets_in_memory)
    return;
  self->secrets_in_memory = TRUE;
  message = g_strdup_printf (_("No Secret Service keyring is available (%s): passwords and other "
                               "secret values are kept in memory for this session only and "
                               "are not saved."), reason);
  _iwb_store_add_warning (self, message);
  _iwb_store_notify_in_memory (self);
}

/* Lock held. TRUE when secrets go to the Secret Service. */
static gboolean
secret_service_usable (IwbStore     *self,
                       GCancellable *cancellable)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;

  if (self->secret_checked)
    return !self->secrets_in_memory;
  service = secret_service_get_sync (SECRET_SERVICE_NONE, cancellable, &error);
  if (service == NULL)
    {
      go_in_memory (self, error->message);
      return FALSE;
    }
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, cancellable, &error);
  if (collection == NULL)
    {
      go_in_memory (self, error ? error->message : _("there is no default keyring"));
      return FALSE;
    }
  if (secret_collection_get_locked (collection))
    {
      go_in_memory (self, _("the default keyring is locked; unlock it and start again"));
      return FALSE;
    }
  self->secret_checked = TRUE;
  return TRUE;
}

gboolean
_iwb_store_secret_put (IwbStore      *self,
            const char    *integration,
            const char    *profile,
            const char    *parameter,
            const char    *value,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *base = NULL;

  if (!secret_service_usable (self, cancellable))
    {
      g_hash_table_insert (self->memory_secrets, memory_key (integration, profile, parameter),
                           g_strdup (value));
      return TRUE;
    }
  base = g_path_get_basename (integration);
  label = g_strdup_printf (_("Integration Workbench: %s, profile %s, %s"), base, profile, parameter);
  if (!secret_password_store_sync (store_schema (), SECRET_COLLECTION_DEFAULT, label, value,
                                   cancellable, &local_error,
                                   "integration", integration, "profile", profile,
                                   "parameter", parameter, NULL))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_SECRET_SERVICE,
                   _("Cannot store the secret %s of profile “%s” in the keyring: %s"),
                   parameter, profile, local_error->message);
      return FALSE;
    }
  return TRUE;
}

char *
_iwb_store_secret_get (IwbStore      *self,
            const char    *integration,
            const char    *profile,
            const char    *parameter,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *key = memory_key (integration, profile, parameter);
  g_autoptr(GError) local_error = NULL;
  char *value;

  if (g_hash_table_contains (self->memory_secrets, key))
    return g_strdup (g_hash_table_lookup (self->memory_secrets, key));
  if (!secret_service_usable (self, cancellable))
    return NULL;
  value = secret_password_lookup_sync (store_schema (), cancellable, &local_error,
                                       "integration", integration, "profile", profile,
                                       "parameter", parameter, NULL);
  if (local_error != NULL)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_SECRET_SERVICE,
                   _("Cannot read the secret %s of profile “%s” from the keyring: %s"),
                   parameter, profile, local_error->message);
      return NULL;
    }
  if (value == NULL)
    return NULL;
  {
    char *copy = g_strdup (value);

    secret_password_free (value);
    return copy;
  }
}

/* @parameter NULL: every secret of the profile. */
void
_iwb_store_secret_clear (IwbStore     *self,
              const char   *integration,
              const char   *profile,
              const char   *parameter,
              GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *prefix = memory_key (integration, profile, "");
  GHashTableIter it;
  gpointer key;

  g_hash_table_iter_init (&it, self->memory_secrets);
  while (g_hash_table_iter_next (&it, &key, NULL))
    if (parameter == NULL ? g_str_has_prefix (key, prefix)
                          : (g_str_has_prefix (key, prefix) &&
                             g_str_equal ((char *) key + strlen (prefix), parameter)))
      g_hash_table_iter_remove (&it);
  if (!secret_service_usable (self, cancellable))
    return;
  g_hash_table_insert (attributes, "integration", (gpointer) integration);
  g_hash_table_insert (attributes, "profile", (gpointer) profile);
  if (parameter != NULL)
    g_hash_table_insert (attributes, "parameter", (gpointer) parameter);
  if (!secret_password_clearv_sync (store_schema (), attributes, cancellable, &error) &&
      error != NULL)
    g_debug ("store: clearing secrets of %s failed: %s", profile, error->message);
}

char *
_iwb_store_parameter_key (const char *action,
               const char *id)
{
  return action ? g_strdup_printf ("%s:%s", action, id) : g_strdup (id);
}
