/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbHttpWaterfall: one exchange's bar in the HTTP list's "Time" column. The
 * bar starts at the exchange's offset from the first call of the run and is
 * as long as its duration, both relative to the span of all the calls; with
 * timings, the phases are shaded: connecting (DNS, TCP, TLS), waiting for the
 * first byte, receiving. A failed call is drawn in the error colour.
 */
#pragma once

#include <gtk/gtk.h>

#include "iwb-http-exchange.h"

G_BEGIN_DECLS

#define IWB_TYPE_HTTP_WATERFALL (iwb_http_waterfall_get_type ())
G_DECLARE_FINAL_TYPE (IwbHttpWaterfall, iwb_http_waterfall, IWB, HTTP_WATERFALL, GtkWidget)

GtkWidget *iwb_http_waterfall_new          (void);
/* @exchange: nullable (an unbound row). */
void       iwb_http_waterfall_set_exchange (IwbHttpWaterfall *self,
                                            IwbHttpExchange  *exchange);
/* The scale: @origin_us, the start (µs since the epoch) of the first call,
 * and @span_ms, from there to the end of the last one. */
void       iwb_http_waterfall_set_range    (IwbHttpWaterfall *self,
                                            gint64            origin_us,
                                            double            span_ms);
/* The bar as fractions of the width, for tests: start and length. */
void       iwb_http_waterfall_get_bar      (IwbHttpWaterfall *self,
                                            double           *start,
                                            double           *length);

G_END_DECLS
