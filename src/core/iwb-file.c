/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "iwb-file.h"

static void
set_too_large (GError **error,
               gsize    max_bytes)
{
  g_autofree char *limit = g_format_size_full (max_bytes, G_FORMAT_SIZE_IEC_UNITS);

  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
               /* Translators: a size such as "1.0 MiB". */
               _("it is larger than %s, the limit for this file"), limit);
}

char *
iwb_file_read_bounded (const char        *path,
                       gsize              max_bytes,
                       IwbFileReadFlags   flags,
                       gsize             *len,
                       GError           **error)
{
  gboolean regular_only = (flags & IWB_FILE_READ_REGULAR_ONLY) != 0;
  g_autoptr(GByteArray) data = NULL;
  struct stat st;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (max_bytes < G_MAXUINT, NULL);

  /* O_NONBLOCK: opening a FIFO with no writer returns at once. */
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (regular_only ? O_NONBLOCK : 0));
  if (fd < 0)
    {
      int saved = errno;

      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                           g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      int saved = errno;

      close (fd);
      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                           g_strerror (saved));
      return NULL;
    }
  if (S_ISDIR (st.st_mode))
    {
      close (fd);
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, _("it is a folder"));
      return NULL;
    }
  if (regular_only && !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                           _("it is not a regular file (a FIFO, a device or a socket)"));
      return NULL;
    }
  if (S_ISREG (st.st_mode) && (guint64) st.st_size > (guint64) max_bytes)
    {
      close (fd);
      set_too_large (error, max_bytes);
      return NULL;
    }
  if (regular_only)
    fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);

  data = g_byte_array_sized_new (S_ISREG (st.st_mode) ? (guint) st.st_size + 1 : 64 * 1024);
  for (;;)
    {
      guint8 buf[64 * 1024];
      ssize_t n = read (fd, buf, sizeof buf);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          close (fd);
          g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                               saved == EISDIR ? _("it is a folder") : g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      /* A file that grows, a device or a pipe: never more than the limit. */
      if ((gsize) n > max_bytes - data->len)
        {
          close (fd);
          set_too_large (error, max_bytes);
          return NULL;
        }
      g_byte_array_append (data, buf, (guint) n);
    }
  close (fd);
  if (len != NULL)
    *len = data->len;
  g_byte_array_append (data, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&data), FALSE);
}

static const char *
absolute_base (const char *from_glib,
               const char *under_home)
{
  g_autofree char *home = NULL;
  g_autofree char *dir = NULL;

  if (from_glib != NULL && g_path_is_absolute (from_glib))
    return g_intern_string (from_glib);
  home = g_canonicalize_filename (g_get_home_dir (), NULL);
  dir = g_build_filename (home, under_home, NULL);
  return g_intern_string (dir);
}

const char *
iwb_user_data_dir (void)
{
  const char *env = g_getenv ("XDG_DATA_HOME");

  /* GLib's value is $XDG_DATA_HOME when set, relative or not */
  if (env != NULL && *env != '\0' && !g_path_is_absolute (env))
    return absolute_base (NULL, ".local/share");
  return absolute_base (g_get_user_data_dir (), ".local/share");
}

const char *
iwb_user_cache_dir (void)
{
  const char *env = g_getenv ("XDG_CACHE_HOME");

  if (env != NULL && *env != '\0' && !g_path_is_absolute (env))
    return absolute_base (NULL, ".cache");
  return absolute_base (g_get_user_cache_dir (), ".cache");
}

static gboolean
set_errno_error (GError **error,
                 int      saved)
{
  g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved), g_strerror (saved));
  return FALSE;
}

/* The file a chain of symlinks at @path ends at (the name itself when it is
 * not a symlink), also when that file does not exist yet (a dangling link is
 * written through, as `>` would). NULL (errno set) for a loop. */
static char *
follow_links (const char *path)
{
  g_autofree char *current = g_strdup (path);

  for (int hops = 0; hops < 40; hops++)
    {
      g_autofree char *target = NULL;
      struct stat st;

      if (lstat (current, &st) != 0 || !S_ISLNK (st.st_mode))
        return g_steal_pointer (&current);
      target = g_file_read_link (current, NULL);
      if (target == NULL)
        return g_steal_pointer (&current);
      if (!g_path_is_absolute (target))
        {
          g_autofree char *dir = g_path_get_dirname (current);
          char *joined = g_build_filename (dir, target, NULL);

          g_free (target);
          target = joined;
        }
      g_free (current);
      current = g_steal_pointer (&target);
    }
  errno = ELOOP;
  return NULL;
}

static gboolean
write_all_in_place (const char  *path,
                    const char  *data,
                    gsize        len,
                    GError     **error)
{
  /* No O_TRUNC: a device or a pipe has nothing to truncate; no O_CREAT:
   * the name exists (it was just stat'ed). O_NONBLOCK: a FIFO nobody reads
   * is an error (ENXIO), not a wait without end; the writes then
   * block as usual while a reader takes the data. */
  int fd = -1;
  int flags;

  /* A reader that starts a moment later (`mkfifo p; iwb … --har p & cat p`)
   * is waited for, 5 s at most. */
  for (int tries = 0; tries < 100; tries++)
    {
      fd = open (path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
      if (fd >= 0 || errno != ENXIO)
        break;
      g_usleep (50 * 1000);
    }
  if (fd < 0 && errno == ENXIO)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_NXIO,
                           _("it is a pipe (FIFO) that nobody reads from"));
      return FALSE;
    }
  if (fd < 0)
    return set_errno_error (error, errno);
  flags = fcntl (fd, F_GETFL);
  if (flags >= 0)
    fcntl (fd, F_SETFL, flags & ~O_NONBLOCK);
  while (len > 0)
    {
      gssize n = write (fd, data, MIN (len, (gsize) G_MAXSSIZE));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = n < 0 ? errno : ENOSPC;

          close (fd);
          return set_errno_error (error, saved);
        }
      data += n;
      len -= (gsize) n;
    }
  if (close (fd) != 0 && errno != EINTR)
    return set_errno_error (error, errno);
  return TRUE;
}

gboolean
iwb_file_write_user (const char  *path,
                     const char  *data,
                     gsize        len,
                     int          mode,
                     GError     **error)
{
  g_autofree char *target = NULL;
  struct stat st;

  g_return_val_if_fail (path != NULL && *path != '\0', FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (stat (path, &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        return set_errno_error (error, EISDIR);
      if (!S_ISREG (st.st_mode))
        return write_all_in_place (path, data, len, error);
      mode = st.st_mode & 07777;  /* the replacement keeps the file's permissions */
    }
  else if (errno != ENOENT)
    return set_errno_error (error, errno);
  target = follow_links (path);
  if (target == NULL)
    return set_errno_error (error, errno);
  {
    g_autoptr(GError) local_error = NULL;

    if (!g_file_set_contents_full (target, data, (gssize) len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   mode, &local_error))
      {
        /* GLib's message names the temporary file: keep only the reason */
        int code = local_error->code;
        const char *reason = strrchr (local_error->message, ':');

        g_set_error_literal (error, G_FILE_ERROR, code,
                             reason != NULL && reason[1] == ' ' ? reason + 2 : local_error->message);
        return FALSE;
      }
  }
  return TRUE;
}
