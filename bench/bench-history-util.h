/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The set-up the history benchmarks share (bench/history-bench.c,
 * bench/history-list.c): the runs they record as fixtures, and medians.
 * Nothing here is timed. */
#pragma once

#include "iwb-core.h"

G_BEGIN_DECLS

/* Records one small run into @history: @counts->results results
 * {"ticket": @ticket, "title": "row R"} (R from 0), then a FINISHED event
 * with @counts, @status, @exit_code and @message (nullable). */
void   bench_history_record_run (IwbHistory              *history,
                                 const IwbHistoryRunInfo *info,
                                 guint                    ticket,
                                 const IwbRunCounts      *counts,
                                 IwbRunStatus             status,
                                 int                      exit_code,
                                 const char              *message);

/* The median of @values (doubles); sorts @values. */
double bench_median             (GArray                  *values);

G_END_DECLS
