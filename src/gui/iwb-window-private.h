/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's state, shared by iwb-window.c (lifecycle, loading, pages)
 * and iwb-window-actions.c (actions and their enabled state). */
#pragma once

#include "iwb-action-page.h"
#include "iwb-connection-page.h"
#include "iwb-loader.h"
#include "iwb-param-form.h"
#include "iwb-run.h"
#include "iwb-window.h"

G_BEGIN_DECLS

struct _IwbWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* template */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkListBox           *recent_list;
  GtkWidget            *recent_group;
  GtkLabel             *loading_label;
  GtkSpinner           *loading_spinner;
  AdwStatusPage        *error_page;
  GtkLabel             *error_details;
  GtkWidget            *error_details_box;
  AdwLeaflet           *leaflet;
  AdwWindowTitle       *sidebar_title;
  GtkImage             *logo_image;
  GtkLabel             *name_label;
  GtkLabel             *description_label;
  GtkWidget            *warnings_box;
  AdwExpanderRow       *warnings_row;
  GtkListBox           *sidebar_list;
  AdwWindowTitle       *content_title;
  GtkStack             *pages_stack;
  GtkWidget            *demo_banner;
  GtkLabel             *demo_label;

  /* state */
  GFile                *folder;
  IwbIntegration       *integration;
  JsonNode             *base_descriptor; /* built from the loaded metadata */
  JsonNode             *descriptor;      /* what the pages show: base, or effective */
  char                 *error_message;
  GCancellable         *load_cancellable;
  GCancellable         *logo_cancellable;
  GHashTable           *values;      /* "scope/id" -> text typed so far */
  GHashTable           *saved_rows;  /* entrypoint -> GPtrArray of JsonObject */
  IwbConnectionPage    *connection_page; /* referenced; also in pages_stack */
  GPtrArray            *action_pages;    /* IwbActionPage*, referenced; also in pages_stack */
  IwbStartupRequest     request;
  gboolean              request_pending;
  IwbDemoService       *demo;
};

void     _iwb_window_class_add_actions   (GtkWidgetClass *widget_class);
void     _iwb_window_actions_update      (IwbWindow      *self);
/* A run of the loaded integration with the preferences applied (python,
 * SDK, timeout, SSL verification) and the connection form's values. */
IwbRun  *_iwb_window_create_run          (IwbWindow      *self,
                                          IwbRunOperation operation,
                                          const char     *entrypoint,
                                          GError        **error);
IwbParamForm *_iwb_window_get_connection_form (IwbWindow *self);
GHashTable   *_iwb_window_get_values     (IwbWindow      *self);
void     _iwb_window_choose_folder       (IwbWindow      *self);

G_END_DECLS
