/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bench-history-util.h"

void
bench_history_record_run (IwbHistory              *history,
                          const IwbHistoryRunInfo *info,
                          guint                    ticket,
                          const IwbRunCounts      *counts,
                          IwbRunStatus             status,
                          int                      exit_code,
                          const char              *message)
{
  g_autoptr(IwbHistoryRecording) rec = iwb_history_begin (history, info);
  g_autoptr(IwbRunEvent) done = NULL;

  for (guint r = 0; r < counts->results; r++)
    {
      g_autofree char *text = g_strdup_printf ("{\"ticket\": %u, \"title\": \"row %u\"}", ticket, r);
      g_autoptr(JsonNode) payload = json_from_string (text, NULL);
      g_autoptr(IwbRunEvent) event = iwb_run_event_new_result (IWB_RUN_EVENT_RESULT, r, payload,
                                                               NULL, NULL);

      iwb_history_recording_add_event (rec, event);
    }
  done = iwb_run_event_new_finished (4, status, exit_code, message, 1000, counts);
  iwb_history_recording_add_event (rec, done);
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
bench_median (GArray *values)
{
  g_array_sort (values, cmp_double);
  return g_array_index (values, double, values->len / 2);
}
