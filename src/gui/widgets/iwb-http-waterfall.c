/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-http-waterfall.h"

#define BAR_HEIGHT 10

struct _IwbHttpWaterfall
{
  GtkWidget        parent_instance;

  IwbHttpExchange *exchange;
  gint64           origin_us;
  double           span_ms;
};

G_DEFINE_FINAL_TYPE (IwbHttpWaterfall, iwb_http_waterfall, GTK_TYPE_WIDGET)

static double
start_offset_ms (IwbHttpWaterfall *self)
{
  GDateTime *started = iwb_http_exchange_get_started (self->exchange);

  return MAX (0.0, (g_date_time_to_unix (started) * G_USEC_PER_SEC
                    + g_date_time_get_microsecond (started) - self->origin_us) / 1000.0);
}

void
iwb_http_waterfall_get_bar (IwbHttpWaterfall *self,
                            double           *start,
                            double           *length)
{
  double total;

  g_return_if_fail (IWB_IS_HTTP_WATERFALL (self));

  *start = *length = 0;
  if (self->exchange == NULL || self->span_ms <= 0)
    return;
  total = MAX (0.0, iwb_http_exchange_get_timing (self->exchange, IWB_HTTP_TIMING_TOTAL));
  *start = CLAMP (start_offset_ms (self) / self->span_ms, 0.0, 1.0);
  *length = CLAMP (total / self->span_ms, 0.0, 1.0 - *start);
}

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *rgba)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (!gtk_style_context_lookup_color (context, name, rgba))
    gtk_style_context_get_color (context, rgba);
}

static void
append_segment (GtkSnapshot   *snapshot,
                const GdkRGBA *color,
                double         alpha,
                float          x,
                float          y,
                float          width)
{
  GdkRGBA c = *color;

  if (width <= 0)
    return;
  c.alpha *= alpha;
  gtk_snapshot_append_color (snapshot, &c, &GRAPHENE_RECT_INIT (x, y, width, BAR_HEIGHT));
}

static void
iwb_http_waterfall_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  IwbHttpWaterfall *self = IWB_HTTP_WATERFALL (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  float y = MAX (0, (height - BAR_HEIGHT) / 2);
  double start, length, total;
  float x, w;
  GdkRGBA track, color;
  GskRoundedRect clip;

  if (self->exchange == NULL || width <= 0)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &track);
  track.alpha *= 0.08;
  gsk_rounded_rect_init_from_rect (&clip, &GRAPHENE_RECT_INIT (0, y, width, BAR_HEIGHT), 3);
  gtk_snapshot_push_rounded_clip (snapshot, &clip);
  gtk_snapshot_append_color (snapshot, &track, &GRAPHENE_RECT_INIT (0, y, width, BAR_HEIGHT));
  gtk_snapshot_pop (snapshot);

  iwb_http_waterfall_get_bar (self, &start, &length);
  x = (float) (start * width);
  w = MAX (3.0f, (float) (length * width));
  if (x + w > width)
    x = MAX (0.0f, width - w);
  lookup_color (widget, iwb_http_exchange_get_error_kind (self->exchange) != NULL ? "error_color"
                        : "accent_bg_color", &color);

  gsk_rounded_rect_init_from_rect (&clip, &GRAPHENE_RECT_INIT (x, y, w, BAR_HEIGHT), 3);
  gtk_snapshot_push_rounded_clip (snapshot, &clip);
  total = iwb_http_exchange_get_timing (self->exchange, IWB_HTTP_TIMING_TOTAL);
  if (total > 0 && iwb_http_exchange_get_error_kind (self->exchange) == NULL)
    {
      /* Phases: connecting (DNS + TCP + TLS), waiting for the first byte, receiving. */
      double connect = 0, first_byte;

      for (IwbHttpTiming t = IWB_HTTP_TIMING_DNS; t <= IWB_HTTP_TIMING_TLS; t++)
        connect += MAX (0.0, iwb_http_exchange_get_timing (self->exchange, t));
      connect = MIN (connect, total);
      first_byte = iwb_http_exchange_get_timing (self->exchange, IWB_HTTP_TIMING_FIRST_BYTE);
      if (first_byte < connect || first_byte > total)
        first_byte = total;
      append_segment (snapshot, &color, 0.4, x, y, (float) (w * connect / total));
      append_segment (snapshot, &color, 0.7, x + (float) (w * connect / total), y,
                      (float) (w * (first_byte - connect) / total));
      append_segment (snapshot, &color, 1.0, x + (float) (w * first_byte / total), y,
                      (float) (w * (total - first_byte) / total));
    }
  else
    append_segment (snapshot, &color, 1.0, x, y, w);
  gtk_snapshot_pop (snapshot);
}

static void
iwb_http_waterfall_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 60;
      *natural = 140;
    }
  else
    *minimum = *natural = BAR_HEIGHT;
}

static char *
phases_text (IwbHttpExchange *exchange,
             double           offset_ms)
{
  GString *text = g_string_new (NULL);
  double total = iwb_http_exchange_get_timing (exchange, IWB_HTTP_TIMING_TOTAL);
  double first_byte = iwb_http_exchange_get_timing (exchange, IWB_HTTP_TIMING_FIRST_BYTE);
  struct { IwbHttpTiming timing; const char *label; } phases[] = {
    { IWB_HTTP_TIMING_DNS, N_("Name resolution") },
    { IWB_HTTP_TIMING_CONNECT, N_("TCP connect") },
    { IWB_HTTP_TIMING_TLS, N_("TLS handshake") },
  };

  /* Translators: %.0f is milliseconds since the run's first HTTP call */
  g_string_append_printf (text, _("Started at +%.0f ms"), offset_ms);
  for (guint i = 0; i < G_N_ELEMENTS (phases); i++)
    {
      double ms = iwb_http_exchange_get_timing (exchange, phases[i].timing);

      if (ms >= 0)
        /* Translators: "Name resolution: 3.2 ms" */
        g_string_append_printf (text, _("\n%s: %.1f ms"), _(phases[i].label), ms);
    }
  if (first_byte >= 0)
    g_string_append_printf (text, _("\nFirst byte after %.1f ms"), first_byte);
  if (total >= 0)
    g_string_append_printf (text, _("\nTotal: %.1f ms"), total);
  if (iwb_http_exchange_get_reused_connection (exchange))
    g_string_append_printf (text, "\n%s", _("On a reused connection"));
  if (iwb_http_exchange_get_replayed (exchange))
    g_string_append_printf (text, "\n%s", _("Replayed from the cassette"));
  return g_string_free (text, FALSE);
}

static void
update_tooltip (IwbHttpWaterfall *self)
{
  g_autofree char *text = NULL;

  if (self->exchange != NULL)
    text = phases_text (self->exchange, start_offset_ms (self));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), text);
}

void
iwb_http_waterfall_set_exchange (IwbHttpWaterfall *self,
                                 IwbHttpExchange  *exchange)
{
  g_return_if_fail (IWB_IS_HTTP_WATERFALL (self));

  if (g_set_object (&self->exchange, exchange))
    {
      update_tooltip (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

void
iwb_http_waterfall_set_range (IwbHttpWaterfall *self,
                              gint64            origin_us,
                              double            span_ms)
{
  g_return_if_fail (IWB_IS_HTTP_WATERFALL (self));

  if (self->origin_us == origin_us && self->span_ms == span_ms)
    return;
  self->origin_us = origin_us;
  self->span_ms = span_ms;
  update_tooltip (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
iwb_http_waterfall_dispose (GObject *object)
{
  IwbHttpWaterfall *self = IWB_HTTP_WATERFALL (object);

  g_clear_object (&self->exchange);
  G_OBJECT_CLASS (iwb_http_waterfall_parent_class)->dispose (object);
}

static void
iwb_http_waterfall_class_init (IwbHttpWaterfallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = iwb_http_waterfall_dispose;
  widget_class->snapshot = iwb_http_waterfall_snapshot;
  widget_class->measure = iwb_http_waterfall_measure;
  gtk_widget_class_set_css_name (widget_class, "httpwaterfall");
}

static void
iwb_http_waterfall_init (IwbHttpWaterfall *self)
{
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkWidget *
iwb_http_waterfall_new (void)
{
  return g_object_new (IWB_TYPE_HTTP_WATERFALL, NULL);
}
