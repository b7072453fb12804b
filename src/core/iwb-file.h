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

G_END_DECLS
