/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "iwb-error.h"
#include "iwb-folder-watcher.h"

/* A file that GIO reported as being written (CHANGED without its
 * CHANGES_DONE_HINT yet) holds the burst back at most this long after the
 * last relevant event, in case the hint never comes. */
#define MAX_HOLD_USEC (10 * G_USEC_PER_SEC)

struct _IwbFolderWatcher
{
  GObject       parent_instance;

  GFile        *folder;
  guint         debounce;     /* ms */
  guint         paused;       /* nesting count */

  GMainContext *context;      /* non-NULL while started */
  GSource      *timer;        /* ready time = end of the current burst */
  gint64        last_event;   /* monotonic usec of the last relevant event */

  GHashTable   *monitors;     /* relative dir ("" = folder) -> GFileMonitor */
  GHashTable   *known;        /* relevant files that exist (relative paths) */
  GHashTable   *pending;      /* relevant files changed in this burst */
  GHashTable   *writing;      /* relevant files still being written */
};

G_DEFINE_FINAL_TYPE (IwbFolderWatcher, iwb_folder_watcher, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FOLDER,
  PROP_DEBOUNCE,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void on_monitor_changed (GFileMonitor      *monitor,
                                GFile             *file,
                                GFile             *other_file,
                                GFileMonitorEvent  event,
                                gpointer           user_data);

/* ---------------------------------------------------------------------- */
/* What is watched                                                          */

static gboolean
is_ignored_folder_name (const char *name)
{
  return name[0] == '.'
         || strcmp (name, "__pycache__") == 0
         || strcmp (name, "node_modules") == 0;
}

static gboolean
is_virtualenv (GFile *dir)
{
  g_autoptr(GFile) marker = g_file_get_child (dir, "pyvenv.cfg");
  return g_file_query_exists (marker, NULL);
}

/* @rel: path relative to the folder. */
static gboolean
is_relevant_file (const char *rel)
{
  const char *slash = strrchr (rel, '/');
  const char *name = slash != NULL ? slash + 1 : rel;
  gsize len = strlen (name);

  if (name[0] == '.' || len == 0 || name[len - 1] == '~')
    return FALSE;                 /* hidden, editor lock/swap files, backups */
  if (slash == NULL && strcmp (name, "requirements.txt") == 0)
    return TRUE;
  return len > 3 && g_str_has_suffix (name, ".py");
}

static gboolean
has_dir_prefix (const char *path,
                const char *dir)
{
  gsize len = strlen (dir);
  return strncmp (path, dir, len) == 0 && path[len] == '/';
}

/* "" for the folder itself, NULL outside of it. */
static char *
relative_path (IwbFolderWatcher *self,
               GFile            *file)
{
  if (file == NULL)
    return NULL;
  if (g_file_equal (file, self->folder))
    return g_strdup ("");
  return g_file_get_relative_path (self->folder, file);
}

/* ---------------------------------------------------------------------- */
/* Bursts                                                                   */

static void
arm_timer (IwbFolderWatcher *self)
{
  g_source_set_ready_time (self->timer,
                           g_get_monotonic_time () + (gint64) self->debounce * 1000);
}

/* A relevant file appeared, changed (@exists) or went away. */
static void
note_change (IwbFolderWatcher *self,
             const char       *rel,
             gboolean          exists)
{
  if (exists)
    g_hash_table_add (self->known, g_strdup (rel));
  else
    g_hash_table_remove (self->known, rel);

  if (self->paused > 0)
    return;
  g_hash_table_add (self->pending, g_strdup (rel));
  self->last_event = g_get_monotonic_time ();
  arm_timer (self);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
on_timer (gpointer user_data)
{
  IwbFolderWatcher *self = user_data;
  g_autoptr(GPtrArray) paths = NULL;
  GHashTableIter iter;
  gpointer key;

  g_source_set_ready_time (self->timer, -1);
  if (self->paused > 0 || g_hash_table_size (self->pending) == 0)
    return G_SOURCE_CONTINUE;

  if (g_hash_table_size (self->writing) > 0
      && g_get_monotonic_time () - self->last_event < MAX_HOLD_USEC)
    {
      arm_timer (self);           /* a save is still in progress */
      return G_SOURCE_CONTINUE;
    }

  paths = g_ptr_array_new_full (g_hash_table_size (self->pending) + 1, g_free);
  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (paths, g_strdup (key));
  g_ptr_array_sort (paths, compare_strings);
  g_ptr_array_add (paths, NULL);
  g_hash_table_remove_all (self->pending);
  g_hash_table_remove_all (self->writing);

  g_object_ref (self);
  g_signal_emit (self, signals[CHANGED], 0, (const char * const *) paths->pdata);
  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

static gboolean
timer_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs timer_funcs = { NULL, NULL, timer_dispatch, NULL, NULL, NULL };

/* ---------------------------------------------------------------------- */
/* Folder tree                                                              */

static void
monitor_free (gpointer data)
{
  GFileMonitor *monitor = data;

  g_signal_handlers_disconnect_matched (monitor, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        on_monitor_changed, NULL);
  g_file_monitor_cancel (monitor);
  g_object_unref (monitor);
}

/* Watches @dir (relative path @rel) and the folders below it. The relevant
 * files found count as changes when @record (a folder that appeared while
 * watching), else they are only remembered. Errors are returned for the
 * folder itself only; a subfolder that cannot be watched is skipped with a
 * warning. */
static gboolean
watch_tree (IwbFolderWatcher  *self,
            GFile             *dir,
            const char        *rel,
            gboolean           record,
            GError           **error)
{
  g_autoptr(GFileMonitor) monitor = NULL;
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean is_root = rel[0] == '\0';

  if (g_hash_table_contains (self->monitors, rel))
    return TRUE;
  if (!is_root)
    {
      g_autofree char *name = g_file_get_basename (dir);
      if (is_ignored_folder_name (name))
        return TRUE;
    }

  monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, &local_error);
  if (monitor == NULL)
    {
      g_autofree char *path = g_file_get_path (dir);
      if (is_root)
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                       _("Cannot watch the folder “%s” for changes: %s. Check its permissions, "
                       "or raise fs.inotify.max_user_watches if the system ran out of watches."),
                       path, local_error->message);
          return FALSE;
        }
      g_warning ("Changes in “%s” will not reload the integration: %s. Check the folder's "
                 "permissions, or raise fs.inotify.max_user_watches.",
                 path, local_error->message);
      return TRUE;
    }
  /* checked once watching: a pyvenv.cfg created later is an event */
  if (!is_root && is_virtualenv (dir))
    return TRUE;
  g_signal_connect (monitor, "changed", G_CALLBACK (on_monitor_changed), self);
  g_hash_table_insert (self->monitors, g_strdup (rel), g_steal_pointer (&monitor));

  /* Watching first, then listing: a file created in between shows up in
   * both, never in neither. */
  children = g_file_enumerate_children (dir,
                                        G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                        NULL, &local_error);
  if (children == NULL)
    {
      g_autofree char *path = g_file_get_path (dir);
      if (is_root)
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                       _("Cannot list the folder “%s”: %s. Check its permissions."),
                       path, local_error->message);
          return FALSE;
        }
      return TRUE;                /* gone again: its removal is an event of the parent */
    }

  for (;;)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;
      g_autofree char *child_rel = NULL;

      if (!g_file_enumerator_iterate (children, &info, &child, NULL, NULL) || info == NULL)
        break;
      child_rel = is_root ? g_strdup (g_file_info_get_name (info))
                          : g_strconcat (rel, "/", g_file_info_get_name (info), NULL);
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        watch_tree (self, child, child_rel, record, NULL);
      else if (is_relevant_file (child_rel))
        {
          if (record)
            note_change (self, child_rel, TRUE);
          else
            g_hash_table_add (self->known, g_steal_pointer (&child_rel));
        }
    }
  return TRUE;
}

/* Removes the keys of @table that are @rel (when @with_self) or below it. */
static void
remove_under (GHashTable *table,
              const char *rel,
              gboolean    with_self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if ((with_self && strcmp (key, rel) == 0) || has_dir_prefix (key, rel))
      g_hash_table_iter_remove (&iter);
}

/* Stops watching the subfolder @rel and below; the relevant files known
 * there count as removed. */
static void
unwatch_tree (IwbFolderWatcher *self,
              const char       *rel)
{
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  remove_under (self->monitors, rel, TRUE);
  remove_under (self->writing, rel, FALSE);

  g_hash_table_iter_init (&iter, self->known);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (has_dir_prefix (key, rel))
      g_ptr_array_add (gone, g_strdup (key));
  for (guint i = 0; i < gone->len; i++)
    note_change (self, g_ptr_array_index (gone, i), FALSE);
}

/* A subfolder turned out to be a virtual environment (its pyvenv.cfg was
 * written after the folder was created): stop watching it, silently. */
static void
forget_tree (IwbFolderWatcher *self,
             const char       *rel)
{
  remove_under (self->monitors, rel, TRUE);
  remove_under (self->known, rel, FALSE);
  remove_under (self->pending, rel, FALSE);
  remove_under (self->writing, rel, FALSE);
}

static void
appeared (IwbFolderWatcher *self,
          GFile            *file,
          const char       *rel)
{
  GFileType type = g_file_query_file_type (file, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL);
  const char *slash = strrchr (rel, '/');

  if (slash != NULL && strcmp (slash + 1, "pyvenv.cfg") == 0)
    {
      g_autofree char *dir = g_strndup (rel, slash - rel);
      forget_tree (self, dir);
    }
  else if (type == G_FILE_TYPE_DIRECTORY)
    {
      /* a folder renamed or moved in: its old monitor (if any) would report
       * the old paths */
      if (g_hash_table_contains (self->monitors, rel))
        unwatch_tree (self, rel);
      watch_tree (self, file, rel, TRUE, NULL);
    }
  else if (is_relevant_file (rel))
    note_change (self, rel, TRUE);
}

static void
vanished (IwbFolderWatcher *self,
          const char       *rel)
{
  g_hash_table_remove (self->writing, rel);
  if (g_hash_table_contains (self->monitors, rel))
    unwatch_tree (self, rel);
  else if (is_relevant_file (rel))
    note_change (self, rel, FALSE);
}

static void
on_monitor_changed (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  IwbFolderWatcher *self = user_data;
  g_autofree char *rel = relative_path (self, file);

  if (rel == NULL || rel[0] == '\0')
    return;                       /* the folder itself */

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CHANGED:
      if (is_relevant_file (rel))
        {
          note_change (self, rel, TRUE);
          if (self->paused == 0)
            g_hash_table_add (self->writing, g_strdup (rel));
        }
      break;

    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
      g_hash_table_remove (self->writing, rel);
      if (is_relevant_file (rel))
        note_change (self, rel, TRUE);
      break;

    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
      appeared (self, file, rel);
      break;

    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      vanished (self, rel);
      break;

    case G_FILE_MONITOR_EVENT_RENAMED:
      {
        g_autofree char *other_rel = relative_path (self, other_file);

        vanished (self, rel);
        if (other_rel != NULL && other_rel[0] != '\0')
          appeared (self, other_file, other_rel);
      }
      break;

    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED:
    default:
      break;
    }
}

/* ---------------------------------------------------------------------- */
/* Public API                                                               */

IwbFolderWatcher *
iwb_folder_watcher_new (GFile *folder)
{
  g_return_val_if_fail (G_IS_FILE (folder), NULL);

  return g_object_new (IWB_TYPE_FOLDER_WATCHER, "folder", folder, NULL);
}

GFile *
iwb_folder_watcher_get_folder (IwbFolderWatcher *self)
{
  g_return_val_if_fail (IWB_IS_FOLDER_WATCHER (self), NULL);

  return self->folder;
}

void
iwb_folder_watcher_set_debounce (IwbFolderWatcher *self,
                                 guint             ms)
{
  g_return_if_fail (IWB_IS_FOLDER_WATCHER (self));

  if (self->debounce == ms)
    return;
  self->debounce = ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEBOUNCE]);
}

guint
iwb_folder_watcher_get_debounce (IwbFolderWatcher *self)
{
  g_return_val_if_fail (IWB_IS_FOLDER_WATCHER (self), 0);

  return self->debounce;
}

gboolean
iwb_folder_watcher_start (IwbFolderWatcher  *self,
                          GError           **error)
{
  g_autofree char *path = NULL;
  GFileType type;

  g_return_val_if_fail (IWB_IS_FOLDER_WATCHER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->context != NULL)
    return TRUE;

  path = g_file_get_parse_name (self->folder);
  type = g_file_query_file_type (self->folder, G_FILE_QUERY_INFO_NONE, NULL);
  if (type == G_FILE_TYPE_UNKNOWN)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                   _("Cannot watch “%s” for changes: the folder does not exist. "
                   "Open an existing integration folder."), path);
      return FALSE;
    }
  if (type != G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_A_FOLDER,
                   _("Cannot watch “%s” for changes: it is not a folder. "
                   "Open the folder that contains the integration's .py files."), path);
      return FALSE;
    }

  self->context = g_main_context_ref_thread_default ();
  self->timer = g_source_new (&timer_funcs, sizeof (GSource));
  g_source_set_static_name (self->timer, "[iwb] folder watcher debounce");
  g_source_set_callback (self->timer, on_timer, self, NULL);
  g_source_set_ready_time (self->timer, -1);
  g_source_attach (self->timer, self->context);

  if (!watch_tree (self, self->folder, "", FALSE, error))
    {
      iwb_folder_watcher_stop (self);
      return FALSE;
    }
  return TRUE;
}

void
iwb_folder_watcher_stop (IwbFolderWatcher *self)
{
  g_return_if_fail (IWB_IS_FOLDER_WATCHER (self));

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  g_hash_table_remove_all (self->monitors);
  g_hash_table_remove_all (self->known);
  g_hash_table_remove_all (self->pending);
  g_hash_table_remove_all (self->writing);
  g_clear_pointer (&self->context, g_main_context_unref);
}

gboolean
iwb_folder_watcher_is_started (IwbFolderWatcher *self)
{
  g_return_val_if_fail (IWB_IS_FOLDER_WATCHER (self), FALSE);

  return self->context != NULL;
}

void
iwb_folder_watcher_pause (IwbFolderWatcher *self)
{
  g_return_if_fail (IWB_IS_FOLDER_WATCHER (self));

  self->paused++;
}

void
iwb_folder_watcher_resume (IwbFolderWatcher *self)
{
  g_return_if_fail (IWB_IS_FOLDER_WATCHER (self));
  g_return_if_fail (self->paused > 0);

  self->paused--;
  if (self->paused == 0 && self->timer != NULL && g_hash_table_size (self->pending) > 0)
    {
      self->last_event = g_get_monotonic_time ();
      arm_timer (self);
    }
}

gboolean
iwb_folder_watcher_is_paused (IwbFolderWatcher *self)
{
  g_return_val_if_fail (IWB_IS_FOLDER_WATCHER (self), FALSE);

  return self->paused > 0;
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                  */

static void
iwb_folder_watcher_dispose (GObject *object)
{
  IwbFolderWatcher *self = IWB_FOLDER_WATCHER (object);

  iwb_folder_watcher_stop (self);

  G_OBJECT_CLASS (iwb_folder_watcher_parent_class)->dispose (object);
}

static void
iwb_folder_watcher_finalize (GObject *object)
{
  IwbFolderWatcher *self = IWB_FOLDER_WATCHER (object);

  g_clear_object (&self->folder);
  g_hash_table_unref (self->monitors);
  g_hash_table_unref (self->known);
  g_hash_table_unref (self->pending);
  g_hash_table_unref (self->writing);

  G_OBJECT_CLASS (iwb_folder_watcher_parent_class)->finalize (object);
}

static void
iwb_folder_watcher_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  IwbFolderWatcher *self = IWB_FOLDER_WATCHER (object);

  switch (prop_id)
    {
    case PROP_FOLDER:
      g_value_set_object (value, self->folder);
      break;
    case PROP_DEBOUNCE:
      g_value_set_uint (value, self->debounce);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_folder_watcher_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  IwbFolderWatcher *self = IWB_FOLDER_WATCHER (object);

  switch (prop_id)
    {
    case PROP_FOLDER:
      self->folder = g_value_dup_object (value);
      break;
    case PROP_DEBOUNCE:
      iwb_folder_watcher_set_debounce (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_folder_watcher_class_init (IwbFolderWatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = iwb_folder_watcher_dispose;
  object_class->finalize = iwb_folder_watcher_finalize;
  object_class->get_property = iwb_folder_watcher_get_property;
  object_class->set_property = iwb_folder_watcher_set_property;

  properties[PROP_FOLDER] =
    g_param_spec_object ("folder", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEBOUNCE] =
    g_param_spec_uint ("debounce", NULL, NULL, 0, G_MAXUINT,
                       IWB_FOLDER_WATCHER_DEFAULT_DEBOUNCE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * IwbFolderWatcher::changed:
   * @paths: (array zero-terminated=1): relevant files of the burst, relative
   *   to the folder, sorted
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_STRV | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
iwb_folder_watcher_init (IwbFolderWatcher *self)
{
  self->debounce = IWB_FOLDER_WATCHER_DEFAULT_DEBOUNCE;
  self->monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, monitor_free);
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->writing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
