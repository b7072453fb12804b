/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbHistory: chunks of rows stored packed (raw deflate, zlib level 1).
 *
 * A run's results are JSON Lines that repeat their keys row after row: a
 * 100,000-result run of bench/run.py's echo action is 8.8 MB of text and
 * 1.0 MB packed, in 29 ms of this writer's CPU. Unpacked, SQLite stored
 * each 64-row chunk as a cell of about 1 KiB in a B-tree page plus overflow
 * pages of its own (the file about 1.6 times the text); every page was a
 * write when the run was recorded and a read when retention deleted it.
 * Packed chunks mostly fit in their page. A chunk is packed when that saves
 * at least an eighth of it; small chunks (a log line, an event) stay text.
 * Schema version 5: rows.packed says which (iwb-history.c).
 */
#include "config.h"

#include <string.h>
#include <zlib.h>

#include "iwb-history-private.h"

#define PACK_MIN_BYTES 512
/* Bigger chunks (64 huge results) stay text, so that a packed chunk that
 * unpacks to more than this is damage (a crafted "bomb" included), never
 * data: reading it back costs at most this much memory. */
#define PACK_MAX_BYTES (64 * 1024 * 1024)

struct _IwbHistoryPacker
{
  z_stream  z;
  gboolean  ready;
  GByteArray *out;
};

IwbHistoryPacker *
_iwb_history_packer_new (void)
{
  IwbHistoryPacker *p = g_new0 (IwbHistoryPacker, 1);

  /* raw deflate (no zlib header: the column says what it is), one stream
   * reset for each chunk rather than set up again (its 256 KB of state) */
  p->ready = deflateInit2 (&p->z, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  p->out = g_byte_array_new ();
  return p;
}

void
_iwb_history_packer_free (IwbHistoryPacker *p)
{
  if (p == NULL)
    return;
  if (p->ready)
    deflateEnd (&p->z);
  g_byte_array_unref (p->out);
  g_free (p);
}

const guint8 *
_iwb_history_pack (IwbHistoryPacker *p,
                   const char       *text,
                   gsize             len,
                   gsize            *packed_len)
{
  gsize bound;

  if (!p->ready || len < PACK_MIN_BYTES || len > PACK_MAX_BYTES)
    return NULL;
  bound = deflateBound (&p->z, (uLong) len);
  g_byte_array_set_size (p->out, (guint) bound);
  if (deflateReset (&p->z) != Z_OK)
    return NULL;
  p->z.next_in = (Bytef *) text;
  p->z.avail_in = (uInt) len;
  p->z.next_out = p->out->data;
  p->z.avail_out = (uInt) bound;
  if (deflate (&p->z, Z_FINISH) != Z_STREAM_END)
    return NULL;
  *packed_len = bound - p->z.avail_out;
  if (*packed_len > len - len / 8)
    return NULL; /* not worth it: stored as text */
  return p->out->data;
}

char *
_iwb_history_unpack (const void *data,
                     gsize       len,
                     gsize      *text_len)
{
  z_stream z = { 0 };
  GByteArray *out;
  gsize room = CLAMP (len * 8, 4096, PACK_MAX_BYTES);
  int rc;

  *text_len = 0;
  if (data == NULL || len == 0 || len > G_MAXUINT32 || inflateInit2 (&z, -15) != Z_OK)
    return NULL;
  out = g_byte_array_sized_new ((guint) room);
  z.next_in = (Bytef *) data;
  z.avail_in = (uInt) len;
  do
    {
      guint8 buf[64 * 1024];

      z.next_out = buf;
      z.avail_out = sizeof buf;
      rc = inflate (&z, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END)
        break;
      g_byte_array_append (out, buf, sizeof buf - z.avail_out);
      if (out->len > PACK_MAX_BYTES)
        rc = Z_DATA_ERROR;
    }
  while (rc == Z_OK && (z.avail_in > 0 || z.avail_out == 0));
  inflateEnd (&z);
  if (rc != Z_STREAM_END)
    {
      g_byte_array_unref (out);
      return NULL;
    }
  *text_len = out->len;
  g_byte_array_append (out, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (out, FALSE);
}
