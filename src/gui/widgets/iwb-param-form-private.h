/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbParamForm's state, shared by iwb-param-form.c (the form, its fields and
 * validity) and iwb-param-form-rows.c (one row widget per kind of input). */
#pragma once

#include "iwb-param-form.h"

G_BEGIN_DECLS

typedef struct
{
  IwbParamForm  *form;      /* unowned */
  IwbFieldValue *field;     /* owned */
  GtkWidget     *row;       /* the field's row in the list */
  GtkWidget     *editor;    /* the widget holding the value (entry row, switch, combo, view) */
  GtkWidget     *error_row; /* row under it with the message */
  GtkWidget     *error_label;
  GtkWidget     *reset_button;
  GtkWidget     *file_label;
  GtkWidget     *file_clear;  /* the file row's Clear: only when a file is chosen */
  GtkStringList *options_labels;
  GPtrArray     *options_values; /* char*, parallel to options_labels */
  GMenu         *columns_menu;
  GtkWidget     *env_hint;  /* "from the environment" icon, made when first needed */
  gboolean       touched;
  gboolean       syncing;
} FieldRow;

struct _IwbParamForm
{
  GtkWidget   parent_instance;

  GtkWidget  *list;
  GListStore *fields;
  GPtrArray  *rows;     /* FieldRow* */
  char       *scope;
  IwbSession *session;
  GStrv       columns;
  gboolean    valid;
};

/* The row of @fr's input (entry, switch, combo, text area, file, column). */
GtkWidget *_iwb_param_form_create_row           (FieldRow           *fr);
/* The row under it that shows the field's error message. */
GtkWidget *_iwb_param_form_error_row_new        (FieldRow           *fr);
/* The columns a columnSelect row offers. */
void       _iwb_param_form_rebuild_columns_menu (FieldRow           *fr,
                                                 const char * const *columns);

G_END_DECLS
