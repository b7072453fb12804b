/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * GSources that move bytes through one non-blocking pipe end with few
 * wake-ups: one poll record for their whole life, and their delays kept in
 * their own prepare()/check(), so that neither side of the pipe pays a
 * main-context wake-up (an eventfd write) or a fresh poll source per read.
 */

/* What one read() gave: @n > 0 bytes at @buf (which has one more byte of
 * room after them), 0 at the end of the file, -1 on an error (@errsv). After
 * 0 or -1 the source polls no more. */
typedef void (*IwbPipeReadFunc) (gpointer  user_data,
                                 char     *buf,
                                 gssize    n,
                                 int       errsv);

/* The next bytes to write (a new reference), or NULL when there are none
 * left. */
typedef GBytes *(*IwbPipeFillFunc) (gpointer user_data);

/* Called once, when the writer stops: @errsv 0 once everything was
 * written, or why a write failed (EPIPE: the reader went away). */
typedef void (*IwbPipeDoneFunc) (gpointer user_data,
                                 int      errsv);

/* Reads @fd in chunks of @size into a buffer of its own. When a read
 * brings less than a quarter of @size, the source waits @coalesce_ms
 * before reading again, so that a writer printing line by line fills the
 * pipe for a while instead of waking the reader for every line. */
GSource *iwb_pipe_reader_source_new (int             fd,
                                     gsize           size,
                                     guint           coalesce_ms,
                                     IwbPipeReadFunc func,
                                     gpointer        user_data);

/* Writes what @fill gives to @fd. Rather than waiting for room in the pipe
 * (a wake-up each time the reader takes a few kilobytes), it fills the
 * pipe and comes back when the reader has had time to take about half of
 * it, a delay it adjusts to how fast the reader goes. The pipe is grown
 * towards @expected_bytes (up to 1 MiB) when that is bigger. */
GSource *iwb_pipe_writer_source_new (int             fd,
                                     gsize           expected_bytes,
                                     IwbPipeFillFunc fill,
                                     IwbPipeDoneFunc done,
                                     gpointer        user_data);

/* Grows the pipe of @fd towards @bytes (up to 1 MiB, as far as the system
 * lets an unprivileged process); returns its size. A kernel page of the
 * pipe is only taken when something is written into it. */
gsize    iwb_pipe_grow              (int             fd,
                                     gsize           bytes);

G_END_DECLS
