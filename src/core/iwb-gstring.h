/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include <glib.h>

G_BEGIN_DECLS

/* g_string_append_len() for the paths that run for every row and event: the
 * common case (room left) inline, as GLib 2.76 has it; GLib 2.74 (Debian 12)
 * calls g_string_insert_len() for every piece, about 80 instructions before
 * the copy. @p must not point into @s beyond its length. */
static inline void
iwb_string_append_len (GString    *s,
                       const char *p,
                       gsize       n)
{
  if (G_LIKELY (s->len + n < s->allocated_len))
    {
      memcpy (s->str + s->len, p, n);
      s->len += n;
      s->str[s->len] = '\0';
    }
  else
    g_string_append_len (s, p, (gssize) n);
}

static inline void
iwb_string_append (GString    *s,
                   const char *p)
{
  iwb_string_append_len (s, p, strlen (p));
}

G_END_DECLS
