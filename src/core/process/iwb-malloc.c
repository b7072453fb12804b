/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * glibc's allocator keeps small freed blocks in "fast bins" and merges them
 * all at once (malloc_consolidate) the next time someone asks that arena for
 * a larger block, holding the arena's lock while it does. A run's results
 * are allocated by the run's thread (its own arena) and freed by the main
 * thread when the view lets them go: 100,000 results leave hundreds of
 * thousands of small blocks in fast bins, and the next run's thread, which
 * reuses that arena, merged them for 60 ms while the main thread waited for
 * the lock (perf of bench/ui-stall: the whole gap in malloc_consolidate).
 * Without fast bins each free merges its own block (the per-thread cache
 * still serves most small allocations): the same work spread thinly, no
 * pause. Only done with glibc; other C libraries have no such bins.
 */
#include "config.h"

#include "iwb-malloc.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void
iwb_malloc_setup (void)
{
#if defined(__GLIBC__) && defined(M_MXFAST)
  mallopt (M_MXFAST, 0);
#endif
}
