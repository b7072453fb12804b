/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The list algorithms of the diff, on integers: a longest increasing
 * subsequence (the minimal set of moves of a keyed list), a Fenwick tree
 * (the patch indices of the moves) and Myers' linear-space alignment with a
 * cost cap (lists without keys).
 */
#include "config.h"

#include "iwb-json-diff-align.h"

/* Longest increasing subsequence of seq[0..n): sets keep[i] for its members. */
void
iwb_json_mark_lis (const int *seq,
          guint      n,
          gboolean  *keep)
{
  g_autofree int *tails = g_new (int, n + 1);  /* index into seq of the tail of length l+1 */
  g_autofree int *prev = g_new (int, n);
  guint len = 0;
  int k;

  for (guint i = 0; i < n; i++)
    {
      guint lo = 0, hi = len;

      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;
          if (seq[tails[mid]] < seq[i])
            lo = mid + 1;
          else
            hi = mid;
        }
      prev[i] = lo > 0 ? tails[lo - 1] : -1;
      tails[lo] = i;
      if (lo == len)
        len++;
      keep[i] = FALSE;
    }

  for (k = len > 0 ? tails[len - 1] : -1; k >= 0; k = prev[k])
    keep[k] = TRUE;
}


void
iwb_json_fenwick_add (IwbJsonFenwick *fw,
             guint    pos,
             int      delta)
{
  for (guint i = pos + 1; i <= fw->n; i += i & (-i))
    fw->tree[i] += delta;
}

int
iwb_json_fenwick_prefix (IwbJsonFenwick *fw,
                guint    pos) /* sum over [0, pos) */
{
  int sum = 0;

  for (guint i = pos; i > 0; i -= i & (-i))
    sum += fw->tree[i];
  return sum;
}

int
iwb_json_compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

guint
iwb_json_label_rank (const gint64 *labels,
            guint         n,
            gint64        label)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (labels[mid] < label)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}



typedef struct
{
  const int *a;
  const int *b;
  int       *vf;     /* forward furthest x per diagonal, offset by voff */
  int       *vb;     /* backward smallest x per diagonal, offset by voff */
  int        voff;
  int        max_cost;
  GArray    *matches; /* pairs (i, j), ascending */
} Aligner;


/* Finds a point (xmid, ymid) on an edit path from (xoff, yoff) to (xlim, ylim)
 * through the middle; when the edit distance exceeds the cost cap, the
 * furthest-reaching forward point instead (still a valid path, maybe not
 * minimal). Both sequences are non-empty, first and last items differ. */
static void
find_split (Aligner *al,
            int      xoff,
            int      xlim,
            int      yoff,
            int      ylim,
            int     *xmid,
            int     *ymid)
{
  const int *a = al->a, *b = al->b;
  int *vf = al->vf + al->voff, *vb = al->vb + al->voff;
  int dmin = xoff - ylim, dmax = xlim - yoff;       /* diagonal range k = x - y */
  int fmid = xoff - yoff, bmid = xlim - ylim;       /* start diagonals */
  int fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
  gboolean odd = ((fmid - bmid) & 1) != 0;

  vf[fmid] = xoff;
  vb[bmid] = xlim;

  for (int cost = 1;; cost++)
    {
      /* Forward: extend every diagonal by one edit, then follow the snake. */
      if (fmin > dmin)
        vf[--fmin - 1] = -1;
      else
        fmin++;
      if (fmax < dmax)
        vf[++fmax + 1] = -1;
      else
        fmax--;
      for (int d = fmax; d >= fmin; d -= 2)
        {
          int lo = vf[d - 1], hi = vf[d + 1];
          int x = lo >= hi ? lo + 1 : hi;
          int y = x - d;

          while (x < xlim && y < ylim && a[x] == b[y])
            x++, y++;
          vf[d] = x;
          if (odd && bmin <= d && d <= bmax && vb[d] <= x)
            {
              *xmid = x;
              *ymid = y;
              return;
            }
        }

      /* Backward. */
      if (bmin > dmin)
        vb[--bmin - 1] = G_MAXINT;
      else
        bmin++;
      if (bmax < dmax)
        vb[++bmax + 1] = G_MAXINT;
      else
        bmax--;
      for (int d = bmax; d >= bmin; d -= 2)
        {
          int lo = vb[d - 1], hi = vb[d + 1];
          int x = lo < hi ? lo : hi - 1;
          int y = x - d;

          while (x > xoff && y > yoff && a[x - 1] == b[y - 1])
            x--, y--;
          vb[d] = x;
          if (!odd && fmin <= d && d <= fmax && x <= vf[d])
            {
              *xmid = x;
              *ymid = y;
              return;
            }
        }

      if (cost >= al->max_cost)
        {
          /* Too expensive: the forward point that got furthest. */
          int best = -1;

          for (int d = fmax; d >= fmin; d -= 2)
            {
              int x = MIN (vf[d], xlim), y = x - d;

              if (y > ylim)
                {
                  y = ylim;
                  x = y + d;
                }
              if (x + y > best && (x > xoff || y > yoff) && (x < xlim || y < ylim))
                {
                  best = x + y;
                  *xmid = x;
                  *ymid = y;
                }
            }
          if (best >= 0)
            return;
        }
    }
}

static void
align (Aligner *al,
       int      xoff,
       int      xlim,
       int      yoff,
       int      ylim)
{
  const int *a = al->a, *b = al->b;
  guint suffix_start;
  int n_suffix = 0;
  int xmid, ymid;

  while (xoff < xlim && yoff < ylim && a[xoff] == b[yoff])
    {
      IwbJsonMatch mt = { xoff++, yoff++ };
      g_array_append_val (al->matches, mt);
    }
  while (xlim > xoff && ylim > yoff && a[xlim - 1] == b[ylim - 1])
    xlim--, ylim--, n_suffix++;

  if (xoff < xlim && yoff < ylim)
    {
      find_split (al, xoff, xlim, yoff, ylim, &xmid, &ymid);
      align (al, xoff, xmid, yoff, ymid);
      align (al, xmid, xlim, ymid, ylim);
    }

  suffix_start = al->matches->len;
  g_array_set_size (al->matches, suffix_start + n_suffix);
  for (int s = 0; s < n_suffix; s++)
    {
      IwbJsonMatch *mt = &g_array_index (al->matches, IwbJsonMatch, suffix_start + s);
      mt->i = xlim + s;
      mt->j = ylim + s;
    }
}


void
iwb_json_align (const int *a,
                int        n,
                const int *b,
                int        m,
                GArray    *matches)
{
  Aligner al = { 0 };
  int size = n + m + 3;

  if (n == 0 || m == 0)
    return;
  al.a = a;
  al.b = b;
  al.voff = m + 1;
  al.vf = g_new (int, size);
  al.vb = g_new (int, size);
  /* Keeps the work near 2e7 steps on huge, very different lists. */
  al.max_cost = MAX (256, 20000000 / (n + m));
  al.matches = matches;
  align (&al, 0, n, 0, m);
  g_free (al.vf);
  g_free (al.vb);
}
