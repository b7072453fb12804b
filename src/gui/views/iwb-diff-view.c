/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbDiffView: the structural diff of two descriptors (iwb-json-diff) shown
 * as a list grouped by action, and side by side with the changed lines
 * highlighted. The side-by-side text is printed here, by a small
 * pretty-printer that records which lines each changed value occupies.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "iwb-core.h"
#include "iwb-diff-view.h"
#include "iwb-diff-view-text.h"
#include "iwb-gui-util.h"

#define TAG_ADDED   "iwb-diff-added"
#define TAG_REMOVED "iwb-diff-removed"
#define TAG_CHANGED "iwb-diff-changed"
#define TAG_MOVED   "iwb-diff-moved"

/* Longest old / new value shown in a row's subtitle. */
#define MAX_SUBTITLE_CHARS 160
/* Rows in the changes list; beyond, one row says how many more there are
 * (they stay highlighted side by side and in the JSON Patch). */
#define MAX_ROWS 200

struct _IwbDiffView
{
  GtkWidget      parent_instance;

  GtkWidget     *box;
  GtkLabel      *title_label;
  GtkLabel      *summary_label;
  GtkButton     *copy_button;
  AdwViewStack  *stack;
  GtkStack      *changes_stack;
  GtkBox        *groups_box;
  GtkLabel      *base_label;
  GtkLabel      *effective_label;
  GtkScrolledWindow *base_scrolled;
  GtkScrolledWindow *effective_scrolled;

  GtkWidget     *base_view;
  GtkWidget     *effective_view;

  JsonNode      *base;
  JsonNode      *effective;
  GPtrArray     *changes;   /* IwbJsonChange */
  GPtrArray     *groups;    /* AdwPreferencesGroup, borrowed (children of groups_box) */
  char          *title;
  char          *document_name; /* what the documents are, or NULL */
  char          *summary;

  /* The side-by-side text is filled when that page is first shown. */
  char          *base_text;
  char          *effective_text;
  GArray        *highlights;  /* Highlight */
  gboolean       texts_pending;
};

typedef struct
{
  gboolean    effective;
  const char *tag;
  int         first;
  int         last;
} Highlight;

G_DEFINE_FINAL_TYPE (IwbDiffView, iwb_diff_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_N_CHANGES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static char *
compact_value (JsonNode *node)
{
  g_autofree char *text = NULL;

  if (node == NULL)
    return g_strdup ("—");
  text = iwb_json_to_string (node, FALSE);
  if (g_utf8_strlen (text, -1) > MAX_SUBTITLE_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, MAX_SUBTITLE_CHARS);
      return g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&text);
}

/* ------------------------------------------------------------------------ */
/* Building the views                                                        */

static void populate_texts (IwbDiffView *self);

static void
clear_groups (IwbDiffView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_box))) != NULL)
    gtk_box_remove (self->groups_box, child);
  g_ptr_array_set_size (self->groups, 0);
}

static void
scroll_to_line (GtkWidget *view,
                int        line)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter iter;

  if (line < 0)
    return;
  gtk_text_buffer_get_iter_at_line (buffer, &iter, line);
  gtk_text_buffer_place_cursor (buffer, &iter);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (view), &iter, 0.1, TRUE, 0.0, 0.3);
}

static void
row_activated (AdwActionRow *row,
               IwbDiffView  *self)
{
  int base_line = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "iwb-base-line")) - 1;
  int effective_line = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "iwb-effective-line")) - 1;

  adw_view_stack_set_visible_child_name (self->stack, "side-by-side");
  populate_texts (self);
  scroll_to_line (self->base_view, base_line);
  scroll_to_line (self->effective_view, effective_line);
}

static GtkWidget *
make_row (IwbDiffView   *self,
          IwbJsonChange *change,
          gsize          prefix_len,
          LineRange     *base_range,
          LineRange     *effective_range)
{
  IwbJsonChangeKind kind = iwb_json_change_get_kind (change);
  const char *path = iwb_json_change_get_path (change);
  const char *rel = path + prefix_len;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *badge = gtk_label_new (_iwb_diff_view_kind_label (kind));
  g_autofree char *subtitle = NULL;
  g_autofree char *tooltip = NULL;

  if (*rel == '.')
    rel++;
  if (*rel == '\0')
    rel = prefix_len > 0 ? _("The action") : (*path ? path : _("The document"));

  switch (kind)
    {
    case IWB_JSON_CHANGE_ADDED:
      subtitle = compact_value (iwb_json_change_get_new_value (change));
      break;
    case IWB_JSON_CHANGE_REMOVED:
      subtitle = compact_value (iwb_json_change_get_old_value (change));
      break;
    case IWB_JSON_CHANGE_MOVED:
      /* Translators: a list item moved from one position to another (1-based) */
      subtitle = g_strdup_printf (_("Position %d → %d"),
                                  iwb_json_change_get_from_index (change) + 1,
                                  iwb_json_change_get_to_index (change) + 1);
      break;
    case IWB_JSON_CHANGE_CHANGED:
    default:
      {
        g_autofree char *old_text = compact_value (iwb_json_change_get_old_value (change));
        g_autofree char *new_text = compact_value (iwb_json_change_get_new_value (change));

        subtitle = g_strdup_printf ("%s → %s", old_text, new_text);
      }
      break;
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), rel);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  gtk_widget_add_css_class (row, "property");

  gtk_widget_add_css_class (badge, _iwb_diff_view_kind_css (kind));
  gtk_widget_add_css_class (badge, "caption-heading");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_label_set_width_chars (GTK_LABEL (badge), 8);
  gtk_label_set_xalign (GTK_LABEL (badge), 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), badge);

  tooltip = g_strdup_printf (_("%s — click to show it side by side"), path);
  gtk_widget_set_tooltip_text (row, tooltip);

  g_object_set_data (G_OBJECT (row), "iwb-change", change);
  g_object_set_data (G_OBJECT (row), "iwb-base-line",
                     GINT_TO_POINTER (base_range ? base_range->first + 1 : 0));
  g_object_set_data (G_OBJECT (row), "iwb-effective-line",
                     GINT_TO_POINTER (effective_range ? effective_range->first + 1 : 0));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_signal_connect (row, "activated", G_CALLBACK (row_activated), self);
  return row;
}

static void
highlight (IwbDiffView *self,
           gboolean     effective,
           const char  *tag,
           LineRange   *range)
{
  Highlight h = { effective, tag, 0, 0 };

  if (range == NULL || range->first < 0)
    return;
  h.first = range->first;
  h.last = range->last;
  g_array_append_val (self->highlights, h);
}

static void ensure_tags (GtkTextBuffer *buffer);

/* Fills the side-by-side buffers and applies the highlights. */
static void
populate_texts (IwbDiffView *self)
{
  GtkTextBuffer *buffers[2] = {
    gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->base_view)),
    gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->effective_view)),
  };

  if (!self->texts_pending)
    return;
  self->texts_pending = FALSE;

  gtk_text_buffer_set_text (buffers[0], self->base_text ? self->base_text : "", -1);
  gtk_text_buffer_set_text (buffers[1], self->effective_text ? self->effective_text : "", -1);
  ensure_tags (buffers[0]);
  ensure_tags (buffers[1]);

  for (guint i = 0; i < self->highlights->len; i++)
    {
      const Highlight *h = &g_array_index (self->highlights, Highlight, i);
      GtkTextBuffer *buffer = buffers[h->effective ? 1 : 0];
      GtkTextIter start, end;

      gtk_text_buffer_get_iter_at_line (buffer, &start, h->first);
      gtk_text_buffer_get_iter_at_line (buffer, &end, h->last);
      if (!gtk_text_iter_ends_line (&end))
        gtk_text_iter_forward_to_line_end (&end);
      gtk_text_iter_forward_char (&end); /* the whole last line, newline included */
      gtk_text_buffer_apply_tag_by_name (buffer, h->tag, &start, &end);
    }
}

static void
visible_page_changed (IwbDiffView *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->stack), "side-by-side") == 0)
    populate_texts (self);
}

static void
ensure_tags (GtkTextBuffer *buffer)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);

  if (gtk_text_tag_table_lookup (table, TAG_ADDED) != NULL)
    return;
  gtk_text_buffer_create_tag (buffer, TAG_ADDED, "paragraph-background", "rgba(46,194,126,0.22)", NULL);
  gtk_text_buffer_create_tag (buffer, TAG_REMOVED, "paragraph-background", "rgba(224,27,36,0.20)", NULL);
  gtk_text_buffer_create_tag (buffer, TAG_CHANGED, "paragraph-background", "rgba(229,165,10,0.24)", NULL);
  gtk_text_buffer_create_tag (buffer, TAG_MOVED, "paragraph-background", "rgba(53,132,228,0.20)", NULL);
}

static void
rebuild (IwbDiffView *self)
{
  g_autoptr(GHashTable) base_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) effective_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) groups_by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_added = 0, n_removed = 0, n_changed = 0, n_moved = 0;

  clear_groups (self);
  g_clear_pointer (&self->changes, g_ptr_array_unref);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->base_text, g_free);
  g_clear_pointer (&self->effective_text, g_free);
  g_array_set_size (self->highlights, 0);
  /* Drop the old text now; the new one comes when the page is shown. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->base_view)), "", -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->effective_view)), "", -1);
  self->texts_pending = TRUE;

  if (self->base == NULL || self->effective == NULL)
    {
      self->changes = g_ptr_array_new_with_free_func (g_object_unref);
      self->summary = g_strdup ("");
      gtk_label_set_text (self->summary_label, "");
      gtk_stack_set_visible_child_name (self->changes_stack, "empty");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "diff.copy-patch", FALSE);
      return;
    }

  self->changes = iwb_json_diff (self->base, self->effective);

  /* Which lines each change occupies on either side. */
  for (guint i = 0; i < self->changes->len; i++)
    {
      IwbJsonChange *change = self->changes->pdata[i];
      char *old_ptr = iwb_json_change_dup_old_pointer (change);
      char *new_ptr = iwb_json_change_dup_new_pointer (change);

      if (old_ptr != NULL && !g_hash_table_contains (base_lines, old_ptr))
        {
          LineRange *r = g_new (LineRange, 1);
          r->first = r->last = -1;
          g_hash_table_insert (base_lines, old_ptr, r);
        }
      else
        g_free (old_ptr);
      if (new_ptr != NULL && !g_hash_table_contains (effective_lines, new_ptr))
        {
          LineRange *r = g_new (LineRange, 1);
          r->first = r->last = -1;
          g_hash_table_insert (effective_lines, new_ptr, r);
        }
      else
        g_free (new_ptr);
    }

  self->base_text = _iwb_diff_view_print_document (self->base, base_lines);
  self->effective_text = _iwb_diff_view_print_document (self->effective, effective_lines);

  for (guint i = 0; i < self->changes->len; i++)
    {
      IwbJsonChange *change = self->changes->pdata[i];
      IwbJsonChangeKind kind = iwb_json_change_get_kind (change);
      g_autofree char *old_ptr = iwb_json_change_dup_old_pointer (change);
      g_autofree char *new_ptr = iwb_json_change_dup_new_pointer (change);
      LineRange *base_range = old_ptr ? g_hash_table_lookup (base_lines, old_ptr) : NULL;
      LineRange *effective_range = new_ptr ? g_hash_table_lookup (effective_lines, new_ptr) : NULL;
      gsize prefix_len = 0;
      g_autofree char *action_key = _iwb_diff_view_change_action_key (change, &prefix_len);
      const char *group_key = action_key != NULL ? action_key : "";
      AdwPreferencesGroup *group = g_hash_table_lookup (groups_by_key, group_key);

      switch (kind)
        {
        case IWB_JSON_CHANGE_ADDED:
          n_added++;
          highlight (self, TRUE, TAG_ADDED, effective_range);
          break;
        case IWB_JSON_CHANGE_REMOVED:
          n_removed++;
          highlight (self, FALSE, TAG_REMOVED, base_range);
          break;
        case IWB_JSON_CHANGE_MOVED:
          n_moved++;
          highlight (self, FALSE, TAG_MOVED, base_range);
          highlight (self, TRUE, TAG_MOVED, effective_range);
          break;
        case IWB_JSON_CHANGE_CHANGED:
        default:
          n_changed++;
          highlight (self, FALSE, TAG_CHANGED, base_range);
          highlight (self, TRUE, TAG_CHANGED, effective_range);
          break;
        }

      if (i >= MAX_ROWS)
        continue; /* highlighted above; counted in the "more" row below */

      if (group == NULL)
        {
          g_autofree char *title = NULL;
          g_autofree char *description = NULL;

          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          if (action_key != NULL)
            title = _iwb_diff_view_action_title (self->base, self->effective, action_key,
                                                 &description);
          else
            title = _iwb_diff_view_rest_title (self->base, self->effective, self->document_name,
                                               gtk_label_get_text (self->base_label),
                                               gtk_label_get_text (self->effective_label));
          adw_preferences_group_set_title (group, title);
          if (description != NULL)
            adw_preferences_group_set_description (group, description);
          g_hash_table_insert (groups_by_key, g_strdup (group_key), group);
          gtk_box_append (self->groups_box, GTK_WIDGET (group));
          g_ptr_array_add (self->groups, group);
        }
      adw_preferences_group_add (group, make_row (self, change, prefix_len, base_range,
                                                   effective_range));
    }

  if (self->changes->len > MAX_ROWS)
    {
      AdwPreferencesGroup *more = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      GtkWidget *row = adw_action_row_new ();
      guint n_more = self->changes->len - MAX_ROWS;
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%u more change",
                                                             "%u more changes", n_more),
                                                n_more);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Too many to list: they are highlighted in the side-by-side "
                                     "view and included in Copy as JSON Patch"));
      adw_preferences_group_add (more, row);
      gtk_box_append (self->groups_box, GTK_WIDGET (more));
      g_ptr_array_add (self->groups, more);
    }

  if (self->changes->len == 0)
    self->summary = g_strdup (_("No differences"));
  else
    {
      /* Translators: the counts of a descriptor diff, e.g. "5 changes: 1 added, …" */
      g_autofree char *counts = g_strdup_printf (_("%u added, %u removed, %u changed, %u moved"),
                                                 n_added, n_removed, n_changed, n_moved);
      g_autofree char *total = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change",
                                                             "%u changes", self->changes->len),
                                                self->changes->len);
      self->summary = g_strdup_printf ("%s: %s", total, counts);
    }
  gtk_label_set_text (self->summary_label, self->summary);
  gtk_stack_set_visible_child_name (self->changes_stack,
                                    self->changes->len > 0 ? "list" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diff.copy-patch", self->changes->len > 0);
  visible_page_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CHANGES]);
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

GtkWidget *
iwb_diff_view_new (void)
{
  return g_object_new (IWB_TYPE_DIFF_VIEW, NULL);
}

/**
 * iwb_diff_view_set_documents:
 * @base: (nullable): the base (old) document
 * @effective: (nullable): the effective (new) document
 * @title: (nullable): the heading
 */
void
iwb_diff_view_set_documents (IwbDiffView *self,
                             JsonNode    *base,
                             JsonNode    *effective,
                             const char  *title)
{
  g_return_if_fail (IWB_IS_DIFF_VIEW (self));

  if (base != NULL)
    json_node_ref (base);
  if (effective != NULL)
    json_node_ref (effective);
  g_clear_pointer (&self->base, json_node_unref);
  g_clear_pointer (&self->effective, json_node_unref);
  self->base = base;
  self->effective = effective;

  if (g_strcmp0 (self->title, title) != 0)
    {
      g_free (self->title);
      self->title = g_strdup (title);
      gtk_label_set_text (self->title_label, title != NULL ? title : _("Descriptor Changes"));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
  rebuild (self);
}

void
iwb_diff_view_set_side_labels (IwbDiffView *self,
                               const char  *base_label,
                               const char  *effective_label)
{
  g_autofree char *tooltip = NULL;

  g_return_if_fail (IWB_IS_DIFF_VIEW (self));

  gtk_label_set_text (self->base_label, base_label);
  gtk_label_set_text (self->effective_label, effective_label);
  /* Translators: the two sides compared, e.g. “Run 2” and “Run 3” */
  tooltip = g_strdup_printf (_("Copy the changes as an RFC 6902 JSON Patch that turns “%s” into “%s”"),
                             base_label, effective_label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->copy_button), tooltip);
}

/**
 * iwb_diff_view_set_document_name:
 * @name: (nullable): what the two documents are ("Results of run 3 and run
 *   5"): the title of the changes outside any action
 *
 * Without a name, that title is “Integration” for two descriptors, else
 * the side labels (“Run 3 → Run 5”). Takes effect at the next
 * iwb_diff_view_set_documents ().
 */
void
iwb_diff_view_set_document_name (IwbDiffView *self,
                                 const char  *name)
{
  g_return_if_fail (IWB_IS_DIFF_VIEW (self));

  g_free (self->document_name);
  self->document_name = g_strdup (name);
}

const char *
iwb_diff_view_get_title (IwbDiffView *self)
{
  g_return_val_if_fail (IWB_IS_DIFF_VIEW (self), NULL);
  return self->title;
}

GPtrArray *
iwb_diff_view_get_changes (IwbDiffView *self)
{
  g_return_val_if_fail (IWB_IS_DIFF_VIEW (self), NULL);
  return self->changes;
}

guint
iwb_diff_view_get_n_changes (IwbDiffView *self)
{
  g_return_val_if_fail (IWB_IS_DIFF_VIEW (self), 0);
  return self->changes != NULL ? self->changes->len : 0;
}

const char *
iwb_diff_view_get_summary (IwbDiffView *self)
{
  g_return_val_if_fail (IWB_IS_DIFF_VIEW (self), NULL);
  return self->summary;
}

char *
iwb_diff_view_dup_patch_text (IwbDiffView *self)
{
  g_autoptr(JsonNode) patch = NULL;

  g_return_val_if_fail (IWB_IS_DIFF_VIEW (self), NULL);

  if (self->changes == NULL)
    return g_strdup ("[]");
  patch = iwb_json_diff_to_patch (self->changes);
  return iwb_json_to_pretty_text (patch);
}

void
iwb_diff_view_set_visible_page (IwbDiffView *self,
                                const char  *name)
{
  g_return_if_fail (IWB_IS_DIFF_VIEW (self));
  adw_view_stack_set_visible_child_name (self->stack, name);
}

GtkTextBuffer *
iwb_diff_view_get_base_buffer (IwbDiffView *self)
{
  g_return_val_if_fail (IWB_IS_DIFF_VIEW (self), NULL);
  populate_texts (self);
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->base_view));
}

GtkTextBuffer *
iwb_diff_view_get_effective_buffer (IwbDiffView *self)
{
  g_return_val_if_fail (IWB_IS_DIFF_VIEW (self), NULL);
  populate_texts (self);
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->effective_view));
}

GPtrArray *
iwb_diff_view_dup_groups (IwbDiffView *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (IWB_IS_DIFF_VIEW (self), NULL);

  copy = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->groups->len; i++)
    g_ptr_array_add (copy, g_object_ref (self->groups->pdata[i]));
  return copy;
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
copy_patch_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  IwbDiffView *self = IWB_DIFF_VIEW (widget);
  g_autofree char *text = iwb_diff_view_dup_patch_text (self);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  iwb_widget_show_toast (widget, _("JSON Patch copied"));
}

static void
iwb_diff_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  IwbDiffView *self = IWB_DIFF_VIEW (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_N_CHANGES:
      g_value_set_uint (value, iwb_diff_view_get_n_changes (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_diff_view_dispose (GObject *object)
{
  IwbDiffView *self = IWB_DIFF_VIEW (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), IWB_TYPE_DIFF_VIEW);
  G_OBJECT_CLASS (iwb_diff_view_parent_class)->dispose (object);
}

static void
iwb_diff_view_finalize (GObject *object)
{
  IwbDiffView *self = IWB_DIFF_VIEW (object);

  g_clear_pointer (&self->base, json_node_unref);
  g_clear_pointer (&self->effective, json_node_unref);
  g_clear_pointer (&self->changes, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_free (self->title);
  g_free (self->document_name);
  g_free (self->summary);
  g_free (self->base_text);
  g_free (self->effective_text);
  g_array_unref (self->highlights);

  G_OBJECT_CLASS (iwb_diff_view_parent_class)->finalize (object);
}

static void
iwb_diff_view_class_init (IwbDiffViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = iwb_diff_view_get_property;
  object_class->dispose = iwb_diff_view_dispose;
  object_class->finalize = iwb_diff_view_finalize;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_CHANGES] =
    g_param_spec_uint ("n-changes", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lhub/IntegrationWorkbench/iwb-diff-view.ui");
  gtk_widget_class_bind_template_child (widget_class, IwbDiffView, box);
  gtk_widget_class_bind_template_child (widget_class, IwbDiffView, title_label);
  gtk_widget_class_bind_template_child (widget_class, IwbDiffView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, IwbDiffView, copy_button);
  gtk_widget_class_bind_template_child (widget_class, IwbDiffView, stack);
  gtk_widget_class_bind_template_child (widget_class, IwbDiffView, changes_stack);
  gtk_widget_class_bind_template_child (widget_class, IwbDiffView, groups_box);
  gtk_widget_class_bind_template_child (widget_class, IwbDiffView, base_label);
  gtk_widget_class_bind_template_child (widget_class, IwbDiffView, effective_label);
  gtk_widget_class_bind_template_child (widget_class, IwbDiffView, base_scrolled);
  gtk_widget_class_bind_template_child (widget_class, IwbDiffView, effective_scrolled);
  gtk_widget_class_install_action (widget_class, "diff.copy-patch", NULL, copy_patch_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "diffview");
}

static void
iwb_diff_view_init (IwbDiffView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->groups = g_ptr_array_new ();
  self->highlights = g_array_new (FALSE, FALSE, sizeof (Highlight));
  self->title = NULL;
  g_signal_connect_object (self->stack, "notify::visible-child-name",
                           G_CALLBACK (visible_page_changed), self, G_CONNECT_SWAPPED);

  self->base_view = iwb_source_view_new ("json", FALSE);
  self->effective_view = iwb_source_view_new ("json", FALSE);
  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *view = i == 0 ? self->base_view : self->effective_view;

      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_NONE);
      gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), FALSE);
      gtk_source_view_set_show_line_numbers (GTK_SOURCE_VIEW (view), TRUE);
    }
  gtk_scrolled_window_set_child (self->base_scrolled, self->base_view);
  gtk_scrolled_window_set_child (self->effective_scrolled, self->effective_view);

  gtk_label_set_text (self->title_label, _("Descriptor Changes"));
  iwb_diff_view_set_side_labels (self, _("Base"), _("Effective"));
  rebuild (self);
}
