/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbWindow and the integration's own Python environment (IwbPyenv):
 *
 *  - the header shows which interpreter runs the integration ("Python 3.11 ·
 *    env 3f2a1b" or "System Python"), a popover gives the full paths, a
 *    stale or broken environment shows a warning icon;
 *  - "Create Environment" is offered on the load-error page (a missing
 *    module, or a requirements.txt without a working environment) and in
 *    the sidebar of a loaded integration whose requirements.txt has no
 *    environment, or a stale one;
 *  - the "Python Environment" window (IwbEnvironmentPage) creates, rebuilds
 *    and deletes it; when it is made or deleted, the integration reloads
 *    with its new interpreter (the session picks it, iwb-session-runs.c).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-window-private.h"

/* --- the environment of the folder ------------------------------------------------- */

static gboolean
env_busy (IwbWindow *self)
{
  return (self->pyenv != NULL && iwb_pyenv_get_busy (self->pyenv)) ||
         (self->env_page != NULL &&
          iwb_environment_page_get_busy (IWB_ENVIRONMENT_PAGE (self->env_page)));
}

static void update_header (IwbWindow *self);
static void update_offers (IwbWindow *self);

static void
on_env_state (IwbWindow *self)
{
  update_header (self);
  update_offers (self);
}

static void
drop_dialog (IwbWindow *self)
{
  if (self->env_page != NULL)
    {
      iwb_environment_page_cancel (IWB_ENVIRONMENT_PAGE (self->env_page));
      g_signal_handlers_disconnect_by_data (self->env_page, self);
    }
  self->env_page = NULL;
  if (self->env_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->env_dialog));
  self->env_dialog = NULL;
}

static void
set_pyenv (IwbWindow *self,
           IwbPyenv  *env)
{
  if (self->pyenv == env)
    return;
  drop_dialog (self);
  if (self->pyenv != NULL)
    g_signal_handlers_disconnect_by_data (self->pyenv, self);
  g_set_object (&self->pyenv, env);
  if (env != NULL)
    {
      g_signal_connect_swapped (env, "notify::state", G_CALLBACK (on_env_state), self);
      g_signal_connect_swapped (env, "notify::busy", G_CALLBACK (on_env_state), self);
    }
}

/* The environment of the session's folder, made from the preferences'
 * interpreter: kept while it is the same one (and always while it is being
 * made), read again from the disk otherwise. */
static void
sync_pyenv (IwbWindow *self)
{
  GFile *folder = iwb_session_get_folder (self->session);
  g_autoptr(IwbPython) base = NULL;
  g_autoptr(IwbPyenv) candidate = NULL;

  if (folder == NULL)
    {
      set_pyenv (self, NULL);
      return;
    }
  if (self->pyenv != NULL && g_file_equal (iwb_pyenv_get_folder (self->pyenv), folder) &&
      env_busy (self))
    return;
  base = iwb_session_create_base_python (self->session);
  candidate = iwb_pyenv_new (folder, base);
  if (self->pyenv != NULL && g_file_equal (iwb_pyenv_get_folder (self->pyenv), folder) &&
      g_strcmp0 (iwb_pyenv_get_path (self->pyenv), iwb_pyenv_get_path (candidate)) == 0 &&
      iwb_python_get_sdk (iwb_pyenv_get_base (self->pyenv)) == iwb_python_get_sdk (base))
    iwb_pyenv_refresh (self->pyenv);
  else
    set_pyenv (self, candidate);
}

IwbPyenv *
_iwb_window_get_pyenv (IwbWindow *self)
{
  return self->pyenv;
}

/* --- the header --------------------------------------------------------------------- */

/* "3.11" of "3.11.2". */
static char *
minor_version (const char *version)
{
  const char *dot = version ? strchr (version, '.') : NULL;
  const char *second = dot ? strchr (dot + 1, '.') : NULL;

  if (version == NULL || version[0] == '\0')
    return NULL;
  return second ? g_strndup (version, second - version) : g_strdup (version);
}

/* The first characters of the environment folder's key (NAME-KEY). */
static char *
env_short_key (const char *path)
{
  g_autofree char *name = g_path_get_basename (path);
  const char *dash = strrchr (name, '-');

  return g_strndup (dash ? dash + 1 : name, 6);
}

static void
update_header (IwbWindow *self)
{
  IwbPyenvState state;
  const char *base;
  const char *icon = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *base_text = NULL;

  if (self->env_button == NULL)
    return;
  if (self->pyenv == NULL)
    {
      gtk_widget_set_visible (self->env_button, FALSE);
      return;
    }
  gtk_widget_set_visible (self->env_button, TRUE);
  state = iwb_pyenv_get_state (self->pyenv);
  base = iwb_python_resolve (iwb_pyenv_get_base (self->pyenv), NULL);
  base_text = base ? g_strdup (base) : g_strdup (_("(no interpreter found)"));

  if (env_busy (self))
    {
      text = g_strdup (_("Creating Environment…"));
      icon = "content-loading-symbolic";
      /* Translators: %s is a folder */
      tooltip = g_strdup_printf (_("The integration’s environment is being made in %s"),
                                 iwb_pyenv_get_path (self->pyenv));
    }
  else if (state == IWB_PYENV_STATE_READY || state == IWB_PYENV_STATE_STALE)
    {
      g_autofree char *minor = minor_version (iwb_pyenv_get_python_version (self->pyenv));
      g_autofree char *key = env_short_key (iwb_pyenv_get_path (self->pyenv));

      /* Translators: "Python 3.11 · env 3f2a1b": the interpreter's version and
       * the start of the environment's key */
      text = minor ? g_strdup_printf (_("Python %s · env %s"), minor, key)
                   : g_strdup_printf (_("Python · env %s"), key);
      if (state == IWB_PYENV_STATE_STALE)
        {
          icon = "dialog-warning-symbolic";
          /* Translators: interpreter, environment folder, base interpreter, why it is out of date */
          tooltip = g_strdup_printf (_("Interpreter: %s\nEnvironment: %s (out of date)\nMade from: "
                                       "%s\n%s"),
                                     iwb_pyenv_get_interpreter (self->pyenv),
                                     iwb_pyenv_get_path (self->pyenv), base_text,
                                     iwb_pyenv_get_problem (self->pyenv));
        }
      else
        /* Translators: interpreter, environment folder, base interpreter */
        tooltip = g_strdup_printf (_("Interpreter: %s\nEnvironment: %s\nMade from: %s"),
                                   iwb_pyenv_get_interpreter (self->pyenv),
                                   iwb_pyenv_get_path (self->pyenv), base_text);
    }
  else
    {
      gboolean system = base != NULL && g_str_has_prefix (base, "/usr/");
      g_autofree char *name = base ? g_path_get_basename (base) : NULL;

      /* Translators: the interpreter in use when the integration has no environment */
      text = system ? g_strdup (_("System Python"))
                    : g_strdup_printf (_("Python: %s"), name ? name : "?");
      if (state == IWB_PYENV_STATE_BROKEN)
        {
          icon = "dialog-warning-symbolic";
          /* Translators: interpreter, then why the environment is not used */
          tooltip = g_strdup_printf (_("Interpreter: %s\nThe integration’s environment is not "
                                       "used: %s"), base_text,
                                     iwb_pyenv_get_problem (self->pyenv));
        }
      else if (iwb_pyenv_has_requirements (self->pyenv))
        /* Translators: %s is an interpreter's path */
        tooltip = g_strdup_printf (_("Interpreter: %s\nrequirements.txt lists packages, but the "
                                     "integration has no environment of its own"), base_text);
      else
        /* Translators: %s is an interpreter's path */
        tooltip = g_strdup_printf (_("Interpreter: %s\nNo requirements.txt: no environment of "
                                     "its own"), base_text);
    }

  gtk_label_set_text (GTK_LABEL (self->env_button_label), text);
  /* A short name ("System Python", "Python 3.11 · env 3f2a1b") is never
   * cut, even with the Replay badge and a long page title beside it (the
   * title gives way); only a long one ellipsizes. */
  gtk_label_set_ellipsize (GTK_LABEL (self->env_button_label),
                           g_utf8_strlen (text, -1) > 24 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  gtk_widget_set_visible (self->env_button_icon, icon != NULL);
  if (icon != NULL)
    gtk_image_set_from_icon_name (GTK_IMAGE (self->env_button_icon), icon);
  if (state == IWB_PYENV_STATE_STALE || state == IWB_PYENV_STATE_BROKEN)
    gtk_widget_add_css_class (self->env_button, "warning");
  else
    gtk_widget_remove_css_class (self->env_button, "warning");
  gtk_widget_set_tooltip_text (self->env_button, tooltip);
  gtk_label_set_text (GTK_LABEL (self->env_popover_label), tooltip);
}

const char *
_iwb_window_env_get_header_text (IwbWindow *self)
{
  return gtk_widget_get_visible (self->env_button)
           ? gtk_label_get_text (GTK_LABEL (self->env_button_label)) : NULL;
}

const char *
_iwb_window_env_get_header_tooltip (IwbWindow *self)
{
  return gtk_widget_get_tooltip_text (self->env_button);
}

static GtkWidget *
header_button_new (IwbWindow *self)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *popover_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *title = gtk_label_new (_("Python Environment"));
  GtkWidget *manage = gtk_button_new_with_mnemonic (_("_Manage Environment…"));

  self->env_button_icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  self->env_button_label = gtk_label_new (NULL);
  gtk_label_set_max_width_chars (GTK_LABEL (self->env_button_label), 30);
  gtk_widget_add_css_class (self->env_button_label, "caption");
  gtk_box_append (GTK_BOX (box), self->env_button_icon);
  gtk_box_append (GTK_BOX (box), self->env_button_label);
  gtk_menu_button_set_child (GTK_MENU_BUTTON (button), box);
  gtk_widget_add_css_class (button, "env-button");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);

  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0.0f);
  self->env_popover_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->env_popover_label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (self->env_popover_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->env_popover_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (self->env_popover_label), 60);
  gtk_label_set_selectable (GTK_LABEL (self->env_popover_label), TRUE);
  gtk_widget_add_css_class (self->env_popover_label, "caption");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (manage), "win.environment");
  gtk_widget_set_halign (manage, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (popover_box), title);
  gtk_box_append (GTK_BOX (popover_box), self->env_popover_label);
  gtk_box_append (GTK_BOX (popover_box), manage);
  gtk_widget_set_margin_top (popover_box, 6);
  gtk_widget_set_margin_bottom (popover_box, 6);
  gtk_widget_set_margin_start (popover_box, 6);
  gtk_widget_set_margin_end (popover_box, 6);
  gtk_popover_set_child (GTK_POPOVER (popover), popover_box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  return button;
}

/* --- offers ------------------------------------------------------------------------------ */

typedef struct
{
  GtkWidget *title;
  GtkWidget *body;
  GtkWidget *button;
} Offer;

static void
offer_free (gpointer data)
{
  g_free (data);
}

static GtkWidget *
offer_new (gboolean compact)
{
  GtkWidget *box = gtk_box_new (compact ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL,
                                compact ? 6 : 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *icon = gtk_image_new_from_icon_name ("package-x-generic-symbolic");
  Offer *offer = g_new0 (Offer, 1);

  offer->title = gtk_label_new (NULL);
  offer->body = gtk_label_new (NULL);
  offer->button = gtk_button_new ();
  gtk_button_set_use_underline (GTK_BUTTON (offer->button), TRUE);
  gtk_widget_add_css_class (offer->title, "heading");
  gtk_widget_add_css_class (offer->body, compact ? "caption" : "body");
  gtk_label_set_wrap (GTK_LABEL (offer->title), TRUE);
  gtk_label_set_wrap (GTK_LABEL (offer->body), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (offer->body), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (offer->title), 0.0f);
  gtk_label_set_xalign (GTK_LABEL (offer->body), 0.0f);
  gtk_box_append (GTK_BOX (labels), offer->title);
  gtk_box_append (GTK_BOX (labels), offer->body);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (offer->button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (offer->button, "suggested-action");
  if (compact)
    {
      gtk_widget_add_css_class (offer->button, "pill");
      gtk_widget_set_halign (offer->button, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), labels);
      gtk_box_append (GTK_BOX (box), offer->button);
    }
  else
    {
      gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
      gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), labels);
      gtk_box_append (GTK_BOX (box), offer->button);
    }
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "env-offer");
  g_object_set_data_full (G_OBJECT (box), "offer", offer, offer_free);
  gtk_widget_set_visible (box, FALSE);
  return box;
}

static void
offer_set (GtkWidget  *box,
           const char *title,
           const char *body,
           const char *button,
           const char *action)
{
  Offer *offer = g_object_get_data (G_OBJECT (box), "offer");

  gtk_label_set_text (GTK_LABEL (offer->title), title);
  gtk_label_set_text (GTK_LABEL (offer->body), body);
  gtk_widget_set_visible (offer->body, body != NULL && body[0] != '\0');
  gtk_button_set_label (GTK_BUTTON (offer->button), button);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (offer->button), action);
  gtk_widget_set_visible (box, TRUE);
}

/* Both offers follow the environment; each is seen only on its page (the
 * load error, or the loaded integration's sidebar). */
static void
update_offers (IwbWindow *self)
{
  IwbPyenvState state;
  gboolean has_requirements;
  gboolean busy = env_busy (self);

  if (self->env_error_offer == NULL)
    return;
  gtk_widget_set_visible (self->env_error_offer, FALSE);
  gtk_widget_set_visible (self->env_sidebar_offer, FALSE);
  if (self->pyenv == NULL || iwb_pyenv_get_path (self->pyenv) == NULL)
    return;
  state = iwb_pyenv_get_state (self->pyenv);
  has_requirements = iwb_pyenv_has_requirements (self->pyenv);

  if (busy)
    offer_set (self->env_error_offer, _("Creating the Environment…"),
               _("The integration loads again when it is ready."),
               _("_Show Progress"), "win.environment");
  else if (has_requirements && state == IWB_PYENV_STATE_NONE)
    offer_set (self->env_error_offer, _("The Integration Has No Environment Yet"),
               _("Its requirements.txt lists the packages it needs. Create its own Python "
                 "environment to install them, as the platform does for its container."),
               _("_Create Environment"), "win.create-environment");
  else if (has_requirements && state == IWB_PYENV_STATE_STALE)
    offer_set (self->env_error_offer, _("The Environment Is Out of Date"),
               iwb_pyenv_get_problem (self->pyenv), _("_Rebuild Environment"),
               "win.create-environment");
  else if (has_requirements && state == IWB_PYENV_STATE_BROKEN)
    offer_set (self->env_error_offer, _("The Environment Is Broken"),
               iwb_pyenv_get_problem (self->pyenv), _("_Create Environment"),
               "win.create-environment");
  else if (self->env_missing_module)
    offer_set (self->env_error_offer, _("A Python Package Is Missing"),
               has_requirements
                 ? _("The integration’s environment does not provide it: add the package "
                     "to requirements.txt, then rebuild the environment.")
                 : _("List the packages the integration imports in requirements.txt, in "
                     "its folder, then create its environment."),
               _("_Python Environment…"), "win.environment");

  {
    /* One suggested action on the page: the offer's button, when shown. */
    GtkWidget *buttons = gtk_widget_get_prev_sibling (self->env_error_offer);
    GtkWidget *retry = buttons ? gtk_widget_get_first_child (buttons) : NULL;

    if (retry != NULL && GTK_IS_BUTTON (retry))
      {
        if (gtk_widget_get_visible (self->env_error_offer))
          gtk_widget_remove_css_class (retry, "suggested-action");
        else
          gtk_widget_add_css_class (retry, "suggested-action");
      }
  }

  if (!has_requirements || busy)
    return;
  if (state == IWB_PYENV_STATE_NONE)
    offer_set (self->env_sidebar_offer, _("No Environment Yet"),
               _("requirements.txt lists packages the integration runs with"),
               _("_Create Environment"), "win.create-environment");
  else if (state == IWB_PYENV_STATE_STALE)
    offer_set (self->env_sidebar_offer, _("Environment Out of Date"),
               _("requirements.txt changed since the environment was made"),
               _("_Rebuild Environment"), "win.create-environment");
  else if (state == IWB_PYENV_STATE_BROKEN)
    offer_set (self->env_sidebar_offer, _("Environment Broken"),
               iwb_pyenv_get_problem (self->pyenv), _("_Create Environment"),
               "win.create-environment");
}

/* Whether "Create Environment" (or Rebuild) is offered on the page shown. */
gboolean
_iwb_window_env_get_offer_visible (IwbWindow *self)
{
  const char *state = iwb_window_get_state (self);

  if (g_strcmp0 (state, "error") == 0)
    return self->env_error_offer != NULL && gtk_widget_get_visible (self->env_error_offer);
  if (g_strcmp0 (state, "integration") == 0)
    return self->env_sidebar_offer != NULL && gtk_widget_get_visible (self->env_sidebar_offer);
  return FALSE;
}

/* --- the Python Environment window ------------------------------------------------------ */

static void
on_environment_changed (IwbEnvironmentPage *page,
                        IwbWindow          *self)
{
  IwbPyenv *env = iwb_environment_page_get_env (page);
  g_autofree char *text = NULL;

  if (iwb_pyenv_get_state (env) == IWB_PYENV_STATE_READY)
    text = g_strdup (_("Environment ready: the integration now runs in its own environment"));
  else
    text = g_strdup (_("Environment deleted: the integration runs with the interpreter of the "
                       "Preferences"));
  iwb_window_add_toast (self, adw_toast_new (text));
  update_header (self);
  update_offers (self);
  /* Its interpreter changed: load it with the new one. */
  if (iwb_session_get_folder (self->session) != NULL)
    iwb_window_reload (self);
}

static GtkWidget *
ensure_dialog (IwbWindow *self)
{
  GtkWidget *box;
  GtkWidget *header;
  GtkWidget *title;
  g_autofree char *name = NULL;

  sync_pyenv (self);
  if (self->pyenv == NULL)
    return NULL;
  if (self->env_page != NULL &&
      iwb_environment_page_get_env (IWB_ENVIRONMENT_PAGE (self->env_page)) == self->pyenv)
    return self->env_dialog;
  drop_dialog (self);

  name = g_file_get_basename (iwb_session_get_folder (self->session));
  self->env_dialog = adw_window_new ();
  gtk_window_set_transient_for (GTK_WINDOW (self->env_dialog), GTK_WINDOW (self));
  gtk_window_set_hide_on_close (GTK_WINDOW (self->env_dialog), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self->env_dialog), 680, 780);
  gtk_window_set_title (GTK_WINDOW (self->env_dialog), _("Python Environment"));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  title = adw_window_title_new (_("Python Environment"), name);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  self->env_page = GTK_WIDGET (iwb_environment_page_new (self->pyenv, self->settings));
  gtk_widget_set_vexpand (self->env_page, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), self->env_page);
  adw_window_set_content (ADW_WINDOW (self->env_dialog), box);
  g_signal_connect (self->env_page, "environment-changed", G_CALLBACK (on_environment_changed), self);
  if (g_str_has_suffix (APPLICATION_ID, ".Devel"))
    gtk_widget_add_css_class (self->env_dialog, "devel");
  return self->env_dialog;
}

IwbEnvironmentPage *
_iwb_window_get_environment_page (IwbWindow *self)
{
  ensure_dialog (self);
  return self->env_page ? IWB_ENVIRONMENT_PAGE (self->env_page) : NULL;
}

static void
environment_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *parameter)
{
  IwbWindow *self = IWB_WINDOW (widget);
  GtkWidget *dialog = ensure_dialog (self);

  if (dialog == NULL)
    return;
  gtk_window_present (GTK_WINDOW (dialog));
  if (g_str_equal (name, "win.create-environment"))
    iwb_environment_page_create (IWB_ENVIRONMENT_PAGE (self->env_page));
}

void
_iwb_window_class_add_env_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.environment", NULL, environment_action);
  gtk_widget_class_install_action (widget_class, "win.create-environment", NULL,
                                   environment_action);
}

/* --- hooks ------------------------------------------------------------------------------ */

void
_iwb_window_env_loaded (IwbWindow    *self,
                        const GError *error)
{
  self->env_missing_module = g_error_matches (error, IWB_ERROR, IWB_ERROR_MISSING_MODULE);
  sync_pyenv (self);
  update_header (self);
  update_offers (self);
}

void
_iwb_window_env_folder_changed (IwbWindow          *self,
                                const char * const *paths)
{
  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    if (g_str_equal (paths[i], "requirements.txt") ||
        g_str_has_suffix (paths[i], G_DIR_SEPARATOR_S "requirements.txt"))
      {
        if (self->pyenv != NULL && !env_busy (self))
          iwb_pyenv_refresh (self->pyenv);
        update_header (self);
        update_offers (self);
        return;
      }
}

void
_iwb_window_env_init (IwbWindow *self)
{
  GtkWidget *header;
  GtkWidget *parent;

  /* The content header bar: the interpreter in use, before the main menu. */
  header = gtk_widget_get_ancestor (GTK_WIDGET (self->content_title), ADW_TYPE_HEADER_BAR);
  self->env_button = header_button_new (self);
  gtk_widget_set_visible (self->env_button, FALSE);
  if (header != NULL)
    adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->env_button);

  /* The load-error page: between its buttons and the details. */
  self->env_error_offer = offer_new (FALSE);
  parent = gtk_widget_get_parent (self->error_details_box);
  gtk_box_insert_child_after (GTK_BOX (parent), self->env_error_offer,
                              gtk_widget_get_prev_sibling (self->error_details_box));

  /* The sidebar of a loaded integration: under its name. */
  self->env_sidebar_offer = offer_new (TRUE);
  parent = gtk_widget_get_parent (self->demo_banner);
  gtk_box_append (GTK_BOX (parent), self->env_sidebar_offer);
}

void
_iwb_window_env_dispose (IwbWindow *self)
{
  /* A creation still running stops with the window: its process group is
   * killed and the unfinished environment removed. */
  drop_dialog (self);
  set_pyenv (self, NULL);
}
