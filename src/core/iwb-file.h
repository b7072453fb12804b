/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iwb-file: reading a whole file the program did not write itself (a
 * profiles store, a --set-file value, a document to diff, a
 * requirements.txt), within a size limit, so that a symlink to /dev/zero,
 * a 2 GB sparse file or a runaway pipe is a clear error instead of all the
 * memory, and a FIFO put where a store file belongs cannot hang the program.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  IWB_FILE_READ_DEFAULT      = 0,
  /* Only a regular file (after symlinks): a FIFO, a device or a socket is
   * refused without blocking (opened with O_NONBLOCK). For files the
   * program keeps (stores, caches) and files of an integration folder.
   * Without it a pipe is read (`--set-file TOKEN=<(pass show x)`, `iwb diff
   * - old.json`), and opening a FIFO waits for its writer as cat does. */
  IWB_FILE_READ_REGULAR_ONLY = 1 << 0,
} IwbFileReadFlags;

/* Reads all of @path, at most @max_bytes of it. Returns the contents with a
 * NUL after them (the file may hold NULs itself: use *@len), or NULL with
 * @error in G_FILE_ERROR: NOENT when it does not exist, ISDIR for a folder,
 * FAILED for a file that is not regular (with the flag) or longer than
 * @max_bytes, else the code of errno. The messages do not repeat the path
 * (callers say which file): "it is larger than 1.0 MB, the limit for …". */
char *iwb_file_read_bounded (const char        *path,
                             gsize              max_bytes,
                             IwbFileReadFlags   flags,
                             gsize             *len,
                             GError           **error);

/* Writes @len bytes of @data to @path, a file the user named (an export, a
 * --har file), without destroying what the name stands for:
 *  - a regular file or a new name is written atomically (a temporary file
 *    beside it, fsync, rename: a crash leaves the old file or the new one);
 *  - a symlink is followed, the file it points to is written that way and
 *    the symlink stays (a rename over the link would replace the link);
 *  - a device, a FIFO or a socket (/dev/stdout, /dev/fd/N of a shell's
 *    process substitution, a named pipe) is written in place, as a shell's
 *    redirection would: never replaced by a regular file (as root, a rename
 *    over /dev/full would replace the device); a FIFO that nobody reads
 *    within 5 s is an error, not a wait without end;
 *  - a folder is an error.
 * Every short write, ENOSPC and the close are checked. @mode is that of a
 * new file (the umask applies). On error, G_FILE_ERROR with a message that
 * does not repeat the path (callers say which file). An existing file keeps
 * its permissions. */
gboolean iwb_file_write_user (const char  *path,
                              const char  *data,
                              gsize        len,
                              int          mode,
                              GError     **error);

/* The base folders of what the program keeps, as the XDG Base Directory
 * spec defines them: $XDG_DATA_HOME (profiles, history, integration files)
 * and $XDG_CACHE_HOME (metadata, environments, bytecode, spilled results).
 * A relative value is invalid and ignored, as the spec says (GLib 2.74
 * takes it as it is: the history then depended on the current folder, and
 * a child, which runs in the integration's folder, wrote its files and
 * bytecode into that folder). The fallback is $HOME/.local/share or
 * $HOME/.cache; a relative $HOME is made absolute against the current
 * folder. Always absolute; interned (never freed). */
const char *iwb_user_data_dir  (void);
const char *iwb_user_cache_dir (void);

G_END_DECLS
