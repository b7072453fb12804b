/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include <glib.h>

G_BEGIN_DECLS

/* Whether @len bytes at @text are valid UTF-8 with no NUL in them, as
 * g_utf8_validate_len() says. The text a child writes is nearly always ASCII
 * (JSON events are written with \u escapes): eight bytes are checked at a
 * time up to the first byte with its high bit set, and only from there
 * does GLib's validator look. */
static inline gboolean
iwb_utf8_validate (const char *text,
                   gsize       len)
{
  const char *p = text;
  const char *end = text + len;

  while (end - p >= 8)
    {
      guint64 word;

      memcpy (&word, p, sizeof word);
      /* a byte with its high bit set, or a zero byte */
      if ((word | ((word - G_GUINT64_CONSTANT (0x0101010101010101)) & ~word)) &
          G_GUINT64_CONSTANT (0x8080808080808080))
        break;
      p += 8;
    }
  for (; p < end; p++)
    if ((guchar) *p >= 0x80 || *p == '\0')
      return g_utf8_validate_len (p, end - p, NULL);
  return TRUE;
}

G_END_DECLS
