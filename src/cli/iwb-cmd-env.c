/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iwb env create|status|delete FOLDER: the integration's own Python
 * environment, built from its requirements.txt (see iwb-pyenv.h).
 *
 * Also iwb_cli_python_for_folder(), the interpreter `iwb inspect`,
 * `validate` and `run` use: --python when given, else the integration's
 * environment when it has one, else the default interpreter.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "iwb-cli.h"
#include "iwb-cli-common.h"
#include "iwb-core.h"

typedef struct
{
  char     *python;
  char     *format;
  char     *index_url;
  char     *proxy;
  char    **extra_index_urls;
  char    **find_links;
  gboolean  no_index;
  gboolean  isolated;
  char    **rest;
} EnvOptions;

static void
env_options_clear (EnvOptions *o)
{
  g_free (o->python);
  g_free (o->format);
  g_free (o->index_url);
  g_free (o->proxy);
  g_strfreev (o->extra_index_urls);
  g_strfreev (o->find_links);
  g_strfreev (o->rest);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EnvOptions, env_options_clear)

static int
usage_error (const char *message)
{
  fprintf (stderr, _("iwb env: %s\nRun “iwb env --help” for usage.\n"), message);
  return IWB_EXIT_USAGE;
}

static void
print_env_usage (FILE *out)
{
  fprintf (out, "%s", _("Usage: iwb env create|status|delete FOLDER [OPTION…]\n\n"
                        "The integration's own Python environment, built from its "
                        "requirements.txt the way the\nplatform builds its container: "
                        "a virtual environment that still sees the system's\npackages "
                        "(--isolated: only what requirements.txt installs), then\n"
                        "pip install -r requirements.txt. `iwb inspect`, `validate` and "
                        "`run` use it\nautomatically (--python still wins).\n\n"
                        "Commands:\n"
                        "  create   create the environment, or re-create it (stale, "
                        "broken)\n"
                        "  status   print its state: none, ready, stale (requirements.txt "
                        "changed) or broken\n"
                        "  delete   remove it\n\n"
                        "Options:\n"
                        "  --find-links DIR|URL      look for wheels there too "
                        "(repeatable); with --no-index\n"
                        "                            or PIP_NO_INDEX=1 only there: "
                        "works offline\n"
                        "  --index-url URL           the package index (default: pip's, "
                        "PIP_INDEX_URL, pip.conf)\n"
                        "  --extra-index-url URL     another index (repeatable)\n"
                        "  --no-index                use no index, only --find-links\n"
                        "  --proxy URL               proxy for pip (default: HTTPS_PROXY)\n"
                        "  --isolated                do not see the system's Python "
                        "packages\n"
                        "  --python PATH             the interpreter to build it from "
                        "(default: $IWB_PYTHON,\n"
                        "                            else python3 on PATH)\n"
                        "  --format text|json        status as JSON; create prints JSON "
                        "lines of its output\n"
                        "                            and progress\n\n"
                        "pip's own settings apply too: PIP_INDEX_URL, "
                        "PIP_EXTRA_INDEX_URL, PIP_FIND_LINKS,\nPIP_NO_INDEX, pip.conf "
                        "(PIP_CONFIG_FILE), HTTPS_PROXY; the options above win.\n"
                        "Environments live in $XDG_CACHE_HOME/integration-workbench/envs.\n\n"
                        "Exit status: 0 done, 2 venv or pip failed (pip's error is "
                        "printed), 64 usage error;\n"
                        "Ctrl+C, SIGTERM, SIGHUP: the half-made environment is removed, then\n"
                        "iwb dies of the signal (130, 143, 129).\n"));
}

/* ---------------------------------------------------------------------- */

IwbPython *
iwb_cli_python_for_folder (const char   *python_option,
                           IwbSdkChoice  sdk,
                           const char   *folder)
{
  g_autoptr(IwbPython) base = iwb_python_new (python_option, sdk);
  g_autoptr(GFile) file = NULL;
  g_autoptr(IwbPyenv) env = NULL;
  IwbPython *python;

  /* --python wins: the user chose the interpreter. */
  if (python_option != NULL && python_option[0] != '\0')
    return g_steal_pointer (&base);
  file = g_file_new_for_commandline_arg (folder);
  env = iwb_pyenv_new (file, base);
  switch (iwb_pyenv_get_state (env))
    {
    case IWB_PYENV_STATE_STALE:
      fprintf (stderr, _("iwb: note: %s Using it as it is (iwb env create %s rebuilds it).\n"),
               iwb_pyenv_get_problem (env), folder);
      break;
    case IWB_PYENV_STATE_BROKEN:
      fprintf (stderr, _("iwb: note: not using the integration's environment: %s "
                         "(iwb env create %s)\n"), iwb_pyenv_get_problem (env), folder);
      break;
    case IWB_PYENV_STATE_READY:
    case IWB_PYENV_STATE_NONE:
    default:
      break;
    }
  python = iwb_pyenv_dup_python (env);
  return python != NULL ? python : g_steal_pointer (&base);
}

/* ---------------------------------------------------------------------- */

typedef struct
{
  gboolean      machine;
  gboolean      tty;
  GAsyncResult *result;
  char         *last_step;
} CreateState;

static void
on_output (IwbPyenv    *env,
           const char  *line,
           gboolean     from_stderr,
           CreateState *state)
{
  if (state->machine)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "event");
      json_builder_add_string_value (b, "output");
      json_builder_set_member_name (b, "stream");
      json_builder_add_string_value (b, from_stderr ? "stderr" : "stdout");
      json_builder_set_member_name (b, "line");
      json_builder_add_string_value (b, line);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      iwb_cli_print_json_line (stdout, node);
      return;
    }
  fprintf (from_stderr ? stderr : stdout, "%s\n", line);
  fflush (from_stderr ? stderr : stdout);
}

static void
on_progress (IwbPyenv    *env,
             double       fraction,
             const char  *step,
             CreateState *state)
{
  if (state->machine)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "event");
      json_builder_add_string_value (b, "progress");
      json_builder_set_member_name (b, "fraction");
      json_builder_add_double_value (b, fraction);
      json_builder_set_member_name (b, "step");
      json_builder_add_string_value (b, step ? step : "");
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      iwb_cli_print_json_line (stdout, node);
      fflush (stdout);
      return;
    }
  /* For people at a terminal: the steps between pip's lines. */
  if (state->tty && g_strcmp0 (step, state->last_step) != 0)
    {
      fprintf (stderr, "%s[%3d%%] %s%s\n", iwb_cli_color (stderr, "\033[1m"),
               (int) (fraction * 100 + 0.5), step ? step : "", iwb_cli_color (stderr, "\033[0m"));
      g_free (state->last_step);
      state->last_step = g_strdup (step);
    }
}

static void
on_created (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CreateState *state = user_data;

  state->result = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

/* Relative --find-links folders are relative to where iwb runs, but pip
 * runs in the integration folder. */
static char **
absolute_links (char **links)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; links != NULL && links[i] != NULL; i++)
    {
      if (strstr (links[i], "://") != NULL || g_path_is_absolute (links[i]))
        g_strv_builder_add (b, links[i]);
      else
        {
          g_autofree char *abs = g_canonicalize_filename (links[i], NULL);
          g_strv_builder_add (b, abs);
        }
    }
  return g_strv_builder_end (b);
}

static int
env_create (IwbPyenv   *env,
            EnvOptions *o,
            const char *folder)
{
  GCancellable *cancellable = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) links = absolute_links (o->find_links);
  CreateState state = { 0 };
  gboolean ok;

  state.machine = g_strcmp0 (o->format, "json") == 0;
  state.tty = isatty (fileno (stderr));
  for (guint i = 0; links[i] != NULL; i++)
    if (strstr (links[i], "://") == NULL && !g_file_test (links[i], G_FILE_TEST_IS_DIR) &&
        !g_file_test (links[i], G_FILE_TEST_IS_REGULAR))
      {
        fprintf (stderr, _("iwb env: --find-links %s: no such folder or file\n"), links[i]);
        return IWB_EXIT_USAGE;
      }

  iwb_pyenv_set_isolated (env, o->isolated);
  iwb_pyenv_set_no_index (env, o->no_index);
  iwb_pyenv_set_index_url (env, o->index_url);
  iwb_pyenv_set_extra_index_urls (env, (const char * const *) o->extra_index_urls);
  iwb_pyenv_set_find_links (env, (const char * const *) links);
  iwb_pyenv_set_proxy (env, o->proxy);

  g_signal_connect (env, "output", G_CALLBACK (on_output), &state);
  g_signal_connect (env, "progress", G_CALLBACK (on_progress), &state);
  /* Every signal that would end iwb (HUP, QUIT, USR1... as well as INT and
   * TERM) cancels the creation, which ends venv and pip and removes the
   * half-made environment; iwb_cli_finish() then dies of the signal like
   * every other command. Only INT and TERM were caught: a SIGHUP (a closed
   * terminal) left a broken environment behind. */
  cancellable = iwb_cli_signals_install ();
  iwb_pyenv_create_async (env, cancellable, on_created, &state);
  while (state.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ok = iwb_pyenv_create_finish (env, state.result, &error);
  g_object_unref (state.result);
  g_free (state.last_step);
  g_signal_handlers_disconnect_by_data (env, &state);

  if (state.machine)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "event");
      json_builder_add_string_value (b, "finished");
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, iwb_pyenv_state_to_string (iwb_pyenv_get_state (env)));
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, iwb_pyenv_get_path (env));
      if (!ok)
        {
          json_builder_set_member_name (b, "error");
          json_builder_add_string_value (b, error->message);
        }
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      iwb_cli_print_json_line (stdout, node);
    }
  fflush (stdout);
  if (!ok)
    {
      fprintf (stderr, "iwb env: %s\n", error->message);
      return g_error_matches (error, IWB_ERROR, IWB_ERROR_CANCELLED) ? IWB_EXIT_TIMEOUT
                                                                     : IWB_EXIT_FAILED;
    }
  if (!state.machine)
    printf (_("Environment of %s ready: %s\n`iwb inspect`, `validate` and `run` use it now.\n"),
            folder, iwb_pyenv_get_interpreter (env));
  return IWB_EXIT_OK;
}

static int
env_status (IwbPyenv   *env,
            EnvOptions *o,
            const char *folder)
{
  IwbPyenvState state = iwb_pyenv_get_state (env);
  const char *problem = iwb_pyenv_get_problem (env);

  if (g_strcmp0 (o->format, "json") == 0)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *folder_path = g_file_get_path (iwb_pyenv_get_folder (env));

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "folder");
      json_builder_add_string_value (b, folder_path);
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, iwb_pyenv_state_to_string (state));
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, iwb_pyenv_get_path (env));
      json_builder_set_member_name (b, "interpreter");
      json_builder_add_string_value (b, iwb_pyenv_get_interpreter (env));
      json_builder_set_member_name (b, "baseInterpreter");
      json_builder_add_string_value (b, iwb_python_resolve (iwb_pyenv_get_base (env), NULL));
      json_builder_set_member_name (b, "pythonVersion");
      json_builder_add_string_value (b, iwb_pyenv_get_python_version (env));
      json_builder_set_member_name (b, "isolated");
      json_builder_add_boolean_value (b, iwb_pyenv_get_isolated (env));
      json_builder_set_member_name (b, "hasRequirements");
      json_builder_add_boolean_value (b, iwb_pyenv_has_requirements (env));
      json_builder_set_member_name (b, "problem");
      json_builder_add_string_value (b, problem);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      iwb_cli_print_json_line (stdout, node);
      return IWB_EXIT_OK;
    }

  printf (_("Environment of %s: %s\n"), folder, iwb_pyenv_state_to_string (state));
  if (state != IWB_PYENV_STATE_NONE)
    {
      printf (_("  folder       %s\n"), iwb_pyenv_get_path (env));
      printf (_("  interpreter  %s (Python %s)\n"), iwb_pyenv_get_interpreter (env),
              iwb_pyenv_get_python_version (env) ? iwb_pyenv_get_python_version (env) : "?");
      printf (_("  system packages  %s\n"), iwb_pyenv_get_isolated (env)
                                            ? _("hidden (isolated)") : _("visible"));
    }
  if (problem != NULL)
    printf ("  %s\n", problem);
  if (state == IWB_PYENV_STATE_NONE && iwb_pyenv_get_path (env) != NULL)
    {
      if (iwb_pyenv_has_requirements (env))
        printf (_("requirements.txt lists its packages: iwb env create %s installs them.\n"),
                folder);
      else
        printf (_("The folder has no requirements.txt: it needs no environment of its own.\n"));
    }
  else if (state == IWB_PYENV_STATE_STALE || state == IWB_PYENV_STATE_BROKEN)
    printf (_("Rebuild it: iwb env create %s\n"), folder);
  return IWB_EXIT_OK;
}

static int
env_delete (IwbPyenv   *env,
            const char *folder)
{
  g_autoptr(GError) error = NULL;
  gboolean existed = iwb_pyenv_get_state (env) != IWB_PYENV_STATE_NONE;

  if (!iwb_pyenv_delete (env, &error))
    {
      fprintf (stderr, "iwb env: %s\n", error->message);
      return IWB_EXIT_FAILED;
    }
  if (existed)
    printf (_("Deleted the environment of %s (%s)\n"), folder, iwb_pyenv_get_path (env));
  else
    printf (_("%s has no environment: nothing to delete\n"), folder);
  return IWB_EXIT_OK;
}

int
iwb_cmd_env (int    argc,
             char **argv)
{
  g_auto(EnvOptions) o = { 0 };
  GOptionEntry entries[] = {
    { "find-links", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.find_links, NULL, NULL },
    { "index-url", 0, 0, G_OPTION_ARG_STRING, &o.index_url, NULL, NULL },
    { "extra-index-url", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.extra_index_urls, NULL, NULL },
    { "no-index", 0, 0, G_OPTION_ARG_NONE, &o.no_index, NULL, NULL },
    { "proxy", 0, 0, G_OPTION_ARG_STRING, &o.proxy, NULL, NULL },
    { "isolated", 0, 0, G_OPTION_ARG_NONE, &o.isolated, NULL, NULL },
    { "python", 0, 0, G_OPTION_ARG_FILENAME, &o.python, NULL, NULL },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &o.format, NULL, NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbPython) base = NULL;
  g_autoptr(IwbPyenv) env = NULL;
  g_autoptr(GFile) file = NULL;
  const char *command, *folder;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
      {
        print_env_usage (stdout);
        return IWB_EXIT_OK;
      }
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);

  if (o.rest == NULL || o.rest[0] == NULL)
    return usage_error (_("missing command: create, status or delete"));
  command = o.rest[0];
  if (!g_str_equal (command, "create") && !g_str_equal (command, "status") &&
      !g_str_equal (command, "delete"))
    {
      g_autofree char *m = g_strdup_printf (_("unknown command “%s”: use create, status or "
                                              "delete"), command);
      return usage_error (m);
    }
  if (o.rest[1] == NULL)
    return usage_error (_("missing FOLDER (the integration folder)"));
  if (o.rest[2] != NULL)
    {
      g_autofree char *m = g_strdup_printf (_("unexpected argument “%s”: give one FOLDER"),
                                            o.rest[2]);
      return usage_error (m);
    }
  folder = o.rest[1];
  if (o.format != NULL && !g_str_equal (o.format, "text") && !g_str_equal (o.format, "json"))
    return usage_error (_("--format: use text or json"));
  if (g_strcmp0 (o.format, "json") == 0)
    iwb_cli_report_machine_locale ();
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      fprintf (stderr, _("iwb env: %s is not a folder: give the integration folder (the one "
                         "with its .py files and requirements.txt)\n"), folder);
      return IWB_EXIT_FAILED;
    }

  /* The SDK choice does not change the environment, only the runs. */
  base = iwb_python_new (o.python, IWB_SDK_BUNDLED);
  if (iwb_python_resolve (base, &error) == NULL)
    {
      fprintf (stderr, "iwb env: %s\n", error->message);
      return IWB_EXIT_FAILED;
    }
  file = g_file_new_for_commandline_arg (folder);
  env = iwb_pyenv_new (file, base);

  if (g_str_equal (command, "create"))
    return env_create (env, &o, folder);
  if (g_str_equal (command, "status"))
    return env_status (env, &o, folder);
  return env_delete (env, folder);
}
