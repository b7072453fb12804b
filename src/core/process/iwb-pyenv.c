/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbPyenv: where an integration's environment lives, what state it is in,
 * its stamp, deleting it, and the helpers the loader, the CLI and the window
 * call. Creating it (venv + pip children) is in iwb-pyenv-create.c.
 */
#define _GNU_SOURCE /* realpath */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "iwb-error.h"
#include "iwb-file.h"
#include "iwb-pyenv-private.h"
#include "iwb-json.h"

G_DEFINE_FINAL_TYPE (IwbPyenv, iwb_pyenv, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_BUSY,
  PROP_PATH,
  PROP_INTERPRETER,
  N_PROPS
};

enum {
  SIGNAL_OUTPUT,
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
iwb_pyenv_finalize (GObject *object)
{
  IwbPyenv *self = IWB_PYENV (object);

  g_clear_object (&self->folder);
  g_clear_object (&self->base);
  g_free (self->folder_path);
  g_free (self->base_path);
  g_free (self->path);
  g_free (self->interpreter);
  g_free (self->problem);
  g_free (self->python_version);
  g_free (self->index_url);
  g_free (self->proxy);
  g_strfreev (self->extra_index_urls);
  g_strfreev (self->find_links);
  g_free (self->step);

  G_OBJECT_CLASS (iwb_pyenv_parent_class)->finalize (object);
}

static void
iwb_pyenv_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  IwbPyenv *self = IWB_PYENV (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_INTERPRETER:
      g_value_set_string (value, self->interpreter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_pyenv_class_init (IwbPyenvClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = iwb_pyenv_finalize;
  object_class->get_property = iwb_pyenv_get_property;

  /* An IwbPyenvState. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, IWB_PYENV_STATE_NONE, IWB_PYENV_STATE_BROKEN,
                      IWB_PYENV_STATE_NONE,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_INTERPRETER] =
    g_param_spec_string ("interpreter", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * IwbPyenv::output:
   * @line: one line of venv or pip, valid UTF-8, without its newline
   * @from_stderr: whether it came from stderr
   */
  signals[SIGNAL_OUTPUT] =
    g_signal_new ("output", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  /**
   * IwbPyenv::progress:
   * @fraction: 0 to 1, never decreasing during one creation
   * @step: what happens now, for people ("Collecting requests")
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_STRING);
}

static void
iwb_pyenv_init (IwbPyenv *self)
{
}

/* realpath(3), or @path itself when it does not exist. */
static char *
real_path (const char *path)
{
  char buf[PATH_MAX];

  if (realpath (path, buf) != NULL)
    return g_strdup (buf);
  return g_canonicalize_filename (path, NULL);
}

char *
iwb_pyenv_dup_envs_dir (void)
{
  return g_build_filename (iwb_user_cache_dir (), "integration-workbench", "envs", NULL);
}

/* NAME-KEY: the folder's name (readable in a file manager) and a hash of
 * what identifies the environment. */
static char *
env_dir_name (const char *folder_path,
              const char *base_path)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *name = g_path_get_basename (folder_path);
  g_autofree char *hex = NULL;

  g_checksum_update (sum, (const guchar *) folder_path, -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  g_checksum_update (sum, (const guchar *) base_path, -1);
  hex = g_strndup (g_checksum_get_string (sum), 16);
  for (char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      *p = '_';
  if (name[0] == '.' || name[0] == '\0')
    {
      g_free (name);
      name = g_strdup ("integration");
    }
  if (strlen (name) > 48)
    name[48] = '\0';
  return g_strdup_printf ("%s-%s", name, hex);
}

static void
set_state (IwbPyenv      *self,
           IwbPyenvState  state,
           char          *problem /* transfer full */)
{
  g_free (self->problem);
  self->problem = problem;
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

/**
 * iwb_pyenv_new:
 * @folder: the integration folder
 * @base: the interpreter the environment is (to be) made from
 */
IwbPyenv *
iwb_pyenv_new (GFile     *folder,
               IwbPython *base)
{
  IwbPyenv *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder_path = NULL;
  const char *resolved;

  g_return_val_if_fail (G_IS_FILE (folder), NULL);
  g_return_val_if_fail (IWB_IS_PYTHON (base), NULL);

  self = g_object_new (IWB_TYPE_PYENV, NULL);
  self->folder = g_object_ref (folder);
  self->base = g_object_ref (base);
  folder_path = g_file_get_path (folder);
  self->folder_path = real_path (folder_path != NULL ? folder_path : ".");

  resolved = iwb_python_resolve (base, &error);
  if (resolved != NULL)
    {
      g_autofree char *envs = iwb_pyenv_dup_envs_dir ();
      g_autofree char *name = NULL;
      g_autofree char *dir = g_path_get_dirname (resolved);
      g_autofree char *real_dir = real_path (dir);
      g_autofree char *base_name = g_path_get_basename (resolved);

      /* The folder resolved, not the last link: a venv's bin/python links
       * to the base interpreter, but it is another interpreter (its own
       * packages); /usr/bin/python3 stays itself across upgrades. */
      self->base_path = g_build_filename (real_dir, base_name, NULL);
      name = env_dir_name (self->folder_path, self->base_path);
      self->path = g_build_filename (envs, name, NULL);
      self->interpreter = g_build_filename (self->path, "bin", "python", NULL);
    }
  else
    self->problem = g_strdup (error->message);

  iwb_pyenv_refresh (self);
  return self;
}

GFile *
iwb_pyenv_get_folder (IwbPyenv *self)
{
  g_return_val_if_fail (IWB_IS_PYENV (self), NULL);
  return self->folder;
}

IwbPython *
iwb_pyenv_get_base (IwbPyenv *self)
{
  g_return_val_if_fail (IWB_IS_PYENV (self), NULL);
  return self->base;
}

const char *
iwb_pyenv_get_path (IwbPyenv *self)
{
  g_return_val_if_fail (IWB_IS_PYENV (self), NULL);
  return self->path;
}

const char *
iwb_pyenv_get_interpreter (IwbPyenv *self)
{
  g_return_val_if_fail (IWB_IS_PYENV (self), NULL);
  return self->interpreter;
}

gboolean
iwb_pyenv_has_requirements (IwbPyenv *self)
{
  g_return_val_if_fail (IWB_IS_PYENV (self), FALSE);
  return self->has_requirements;
}

IwbPyenvState
iwb_pyenv_get_state (IwbPyenv *self)
{
  g_return_val_if_fail (IWB_IS_PYENV (self), IWB_PYENV_STATE_NONE);
  return self->state;
}

const char *
iwb_pyenv_get_problem (IwbPyenv *self)
{
  g_return_val_if_fail (IWB_IS_PYENV (self), NULL);
  return self->problem;
}

const char *
iwb_pyenv_get_python_version (IwbPyenv *self)
{
  g_return_val_if_fail (IWB_IS_PYENV (self), NULL);
  return self->python_version;
}

gboolean
iwb_pyenv_get_isolated (IwbPyenv *self)
{
  g_return_val_if_fail (IWB_IS_PYENV (self), FALSE);
  return self->stamp_isolated;
}

gboolean
iwb_pyenv_get_busy (IwbPyenv *self)
{
  g_return_val_if_fail (IWB_IS_PYENV (self), FALSE);
  return self->busy;
}

double
iwb_pyenv_get_fraction (IwbPyenv *self)
{
  g_return_val_if_fail (IWB_IS_PYENV (self), 0.0);
  return self->fraction;
}

const char *
iwb_pyenv_get_step (IwbPyenv *self)
{
  g_return_val_if_fail (IWB_IS_PYENV (self), NULL);
  return self->step;
}

void
iwb_pyenv_set_isolated (IwbPyenv *self,
                        gboolean  isolated)
{
  g_return_if_fail (IWB_IS_PYENV (self));
  self->isolated = !!isolated;
}

void
iwb_pyenv_set_index_url (IwbPyenv   *self,
                         const char *url)
{
  g_return_if_fail (IWB_IS_PYENV (self));
  g_free (self->index_url);
  self->index_url = (url != NULL && url[0] != '\0') ? g_strdup (url) : NULL;
}

void
iwb_pyenv_set_extra_index_urls (IwbPyenv           *self,
                                const char * const *urls)
{
  g_return_if_fail (IWB_IS_PYENV (self));
  g_strfreev (self->extra_index_urls);
  self->extra_index_urls = g_strdupv ((char **) urls);
}

void
iwb_pyenv_set_find_links (IwbPyenv           *self,
                          const char * const *links)
{
  g_return_if_fail (IWB_IS_PYENV (self));
  g_strfreev (self->find_links);
  self->find_links = g_strdupv ((char **) links);
}

void
iwb_pyenv_set_no_index (IwbPyenv *self,
                        gboolean  no_index)
{
  g_return_if_fail (IWB_IS_PYENV (self));
  self->no_index = !!no_index;
}

void
iwb_pyenv_set_proxy (IwbPyenv   *self,
                     const char *proxy)
{
  g_return_if_fail (IWB_IS_PYENV (self));
  g_free (self->proxy);
  self->proxy = (proxy != NULL && proxy[0] != '\0') ? g_strdup (proxy) : NULL;
}

void
_iwb_pyenv_set_busy (IwbPyenv *self,
                     gboolean  busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
_iwb_pyenv_set_progress (IwbPyenv   *self,
                         double      fraction,
                         const char *step)
{
  /* Never backwards within one creation. */
  if (fraction > self->fraction || fraction == 0.0)
    self->fraction = CLAMP (fraction, 0.0, 1.0);
  if (step != NULL)
    {
      g_free (self->step);
      self->step = g_strdup (step);
    }
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, self->fraction, self->step);
}

void
_iwb_pyenv_emit_output (IwbPyenv   *self,
                        const char *line,
                        gboolean    from_stderr)
{
  g_signal_emit (self, signals[SIGNAL_OUTPUT], 0, line, from_stderr);
}

const char *
iwb_pyenv_state_to_string (IwbPyenvState state)
{
  switch (state)
    {
    case IWB_PYENV_STATE_READY:
      return "ready";
    case IWB_PYENV_STATE_STALE:
      return "stale";
    case IWB_PYENV_STATE_BROKEN:
      return "broken";
    case IWB_PYENV_STATE_NONE:
    default:
      return "none";
    }
}

/* ---------------------------------------------------------------------- */
/* requirements.txt and the stamp                                         */

static char *
requirements_path (IwbPyenv *self)
{
  return g_build_filename (self->folder_path, "requirements.txt", NULL);
}

char *
_iwb_pyenv_hash_requirements (IwbPyenv  *self,
                              guint     *n_requirements,
                              GError   **error)
{
  g_autofree char *path = requirements_path (self);
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) lines = NULL;
  gsize len = 0;
  guint n = 0;

  /* Bounded, and never a FIFO: a requirements.txt that is a link to
   * /dev/zero must not take all the memory or hang. */
  contents = iwb_file_read_bounded (path, IWB_PYENV_MAX_REQUIREMENTS, IWB_FILE_READ_REGULAR_ONLY,
                                    &len, &local_error);
  if (contents == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                     _("%s has no requirements.txt: list the packages the integration "
                       "imports there, one per line (for example “requests>=2.28”), "
                       "then create the environment again"),
                     self->folder_path);
      else
        g_set_error (error, IWB_ERROR,
                     g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_FAILED)
                       ? IWB_ERROR_INVALID_INPUT : IWB_ERROR_NOT_FOUND,
                     _("Cannot read %s: %s"), path, local_error->message);
      return NULL;
    }
  if (len > IWB_PYENV_MAX_REQUIREMENTS)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                   _("%s is larger than 1 MiB: is it really a list of requirements?"), path);
      return NULL;
    }
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = g_strstrip (lines[i]);

      if (l[0] != '\0' && l[0] != '#' && l[0] != '-')
        n++;
    }
  if (n_requirements != NULL)
    *n_requirements = n;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static gboolean
stat_interpreter (const char *path,
                  gint64     *size,
                  gint64     *mtime)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return FALSE;
  *size = st.st_size;
  *mtime = st.st_mtime;
  return TRUE;
}

/* "3.11.2" from pyvenv.cfg (venv writes it first). */
static char *
read_venv_version (const char *env_path)
{
  g_autofree char *cfg = g_build_filename (env_path, "pyvenv.cfg", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (cfg, &contents, NULL, NULL))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (lines[i], "=", 2);

      if (kv[0] != NULL && kv[1] != NULL && g_str_equal (g_strstrip (kv[0]), "version"))
        return g_strdup (g_strstrip (kv[1]));
    }
  return NULL;
}

gboolean
_iwb_pyenv_write_stamp (IwbPyenv    *self,
                        const char  *requirements_sha256,
                        GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  g_autofree char *version = read_venv_version (self->path);
  g_autofree char *stamp = g_build_filename (self->path, IWB_PYENV_STAMP, NULL);
  g_autofree char *text = NULL;
  gint64 size = 0, mtime = 0;

  stat_interpreter (self->base_path, &size, &mtime);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "folder");
  json_builder_add_string_value (b, self->folder_path);
  json_builder_set_member_name (b, "interpreter");
  json_builder_add_string_value (b, self->base_path);
  json_builder_set_member_name (b, "interpreterSize");
  json_builder_add_int_value (b, size);
  json_builder_set_member_name (b, "interpreterMtime");
  json_builder_add_int_value (b, mtime);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, version ? version : "");
  json_builder_set_member_name (b, "requirementsSha256");
  json_builder_add_string_value (b, requirements_sha256);
  json_builder_set_member_name (b, "isolated");
  json_builder_add_boolean_value (b, self->isolated);
  json_builder_set_member_name (b, "created");
  json_builder_add_string_value (b, created);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = iwb_json_to_string (root, TRUE);
  /* No index URL or proxy in here: they may carry credentials. */
  return g_file_set_contents (stamp, text, -1, error);
}

/* "3.11" of the running base interpreter, when its file changed. */
static char *
base_minor_version (IwbPyenv *self)
{
  const char *argv[] = { self->base_path, "-c",
                         "import sys; print('%d.%d' % sys.version_info[:2])", NULL };
  g_autofree char *out = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return NULL;
  return g_strdup (g_strstrip (out));
}

static gboolean
same_minor (const char *full,
            const char *minor)
{
  gsize n = strlen (minor);

  return g_str_has_prefix (full, minor) && (full[n] == '\0' || full[n] == '.');
}

/**
 * iwb_pyenv_refresh:
 *
 * Reads requirements.txt and the environment's folder again.
 *
 * Returns: the new state
 */
IwbPyenvState
iwb_pyenv_refresh (IwbPyenv *self)
{
  g_autofree char *stamp_path = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(JsonNode) stamp_root = NULL;
  g_autofree char *stamp_text = NULL;
  JsonObject *stamp;
  const char *recorded_hash;
  gint64 size = 0, mtime = 0;

  g_return_val_if_fail (IWB_IS_PYENV (self), IWB_PYENV_STATE_NONE);

  hash = _iwb_pyenv_hash_requirements (self, NULL, NULL);
  self->has_requirements = hash != NULL;
  g_clear_pointer (&self->python_version, g_free);
  self->stamp_isolated = FALSE;

  if (self->path == NULL)
    {
      set_state (self, IWB_PYENV_STATE_NONE, g_strdup (self->problem));
      return self->state;
    }
  if (!g_file_test (self->path, G_FILE_TEST_IS_DIR))
    {
      set_state (self, IWB_PYENV_STATE_NONE, NULL);
      return self->state;
    }

  stamp_path = g_build_filename (self->path, IWB_PYENV_STAMP, NULL);
  if (g_file_get_contents (stamp_path, &stamp_text, NULL, NULL))
    stamp_root = iwb_json_parse_full (stamp_text, -1, IWB_JSON_PARSE_DEFAULT, NULL, NULL);
  if (stamp_root == NULL || !JSON_NODE_HOLDS_OBJECT (stamp_root))
    {
      if (self->busy)
        set_state (self, IWB_PYENV_STATE_BROKEN,
                   g_strdup_printf (_("The environment in %s is being created."), self->path));
      else if (_iwb_pyenv_is_locked (self))
        set_state (self, IWB_PYENV_STATE_BROKEN,
                   g_strdup_printf (_("The environment in %s is being created right now by "
                                      "another iwb or window."), self->path));
      else
        set_state (self, IWB_PYENV_STATE_BROKEN,
                   g_strdup_printf (_("The environment in %s is incomplete: its creation "
                                      "was interrupted or failed. Create it again."),
                                    self->path));
      return self->state;
    }
  stamp = json_node_get_object (stamp_root);
  self->python_version = g_strdup (json_object_get_string_member_with_default (stamp, "version", ""));
  self->stamp_isolated = json_object_get_boolean_member_with_default (stamp, "isolated", FALSE);

  if (!g_file_test (self->interpreter, G_FILE_TEST_IS_EXECUTABLE))
    {
      set_state (self, IWB_PYENV_STATE_BROKEN,
                 g_strdup_printf (_("The environment's interpreter %s no longer runs (was %s "
                                    "removed?). Create the environment again."),
                                  self->interpreter, self->base_path));
      return self->state;
    }
  /* The base interpreter's file changed (an upgrade): only another minor
   * version breaks the environment (its site-packages are per X.Y). */
  if (!stat_interpreter (self->base_path, &size, &mtime) ||
      size != json_object_get_int_member_with_default (stamp, "interpreterSize", -1) ||
      mtime != json_object_get_int_member_with_default (stamp, "interpreterMtime", -1))
    {
      g_autofree char *minor = base_minor_version (self);

      if (minor == NULL || !same_minor (self->python_version, minor))
        {
          set_state (self, IWB_PYENV_STATE_BROKEN,
                     g_strdup_printf (_("The environment was made for Python %s, but %s is "
                                        "now Python %s. Create the environment again."),
                                      self->python_version, self->base_path,
                                      minor ? minor : _("(not runnable)")));
          return self->state;
        }
    }

  recorded_hash = json_object_get_string_member_with_default (stamp, "requirementsSha256", "");
  if (hash == NULL)
    set_state (self, IWB_PYENV_STATE_STALE,
               g_strdup_printf (_("%s/requirements.txt was removed after the environment was "
                                  "made. Delete the environment, or restore the file."),
                                self->folder_path));
  else if (!g_str_equal (hash, recorded_hash))
    set_state (self, IWB_PYENV_STATE_STALE,
               g_strdup_printf (_("%s/requirements.txt changed after the environment was made. "
                                  "Create the environment again to install what it lists now."),
                                self->folder_path));
  else
    set_state (self, IWB_PYENV_STATE_READY, NULL);
  return self->state;
}

IwbPython *
iwb_pyenv_dup_python (IwbPyenv *self)
{
  g_return_val_if_fail (IWB_IS_PYENV (self), NULL);

  if (self->state != IWB_PYENV_STATE_READY && self->state != IWB_PYENV_STATE_STALE)
    return NULL;
  return iwb_python_new (self->interpreter, iwb_python_get_sdk (self->base));
}

