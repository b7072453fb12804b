/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbChild: see iwb-child.h. Spawning and ending here; what a tree is and
 * how it is killed in iwb-child-tree.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "iwb-child.h"
#include "iwb-child-private.h"
#include "iwb-error.h"
#include "iwb-pipe-source.h"
#include "iwb-utf8.h"

#define READ_CHUNK       (64 * 1024)
#define READ_COALESCE_MS 4
#define EVENTS_FD        3

typedef struct
{
  IwbChild       *child;   /* unowned: the source goes before the child */
  IwbChildStream  stream;
  int             fd;
  GSource        *source;  /* iwb-pipe-source.h */
  GString        *line;
  guint64         dropped;
  gboolean        active;
  gboolean        eof;
} Reader;

struct _IwbChild
{
  GObject           parent_instance;

  char            **argv;
  char             *cwd;
  char            **envp;
  IwbChildFlags     flags;
  IwbChildLineFunc  line_func;
  gpointer          line_data;
  gsize             line_limit;
  guint             timeout_ms;
  guint             grace_ms;

  GMainContext     *context;
  GSource          *exit_source;   /* child watch */
  GPid              pid;
  GOutputStream    *stdin_stream;
  Reader            readers[3];
  GSource          *timeout_source;
  GSource          *kill_source;
  GSource          *eof_source;
  GSource          *cancel_source;
  GTask            *task;

  int               wait_status;
  guint             spawned : 1;
  guint             exited : 1;
  guint             done : 1;
  guint             terminating : 1;
  guint             timed_out : 1;
  guint             cancelled : 1;
};

G_DEFINE_FINAL_TYPE (IwbChild, iwb_child, G_TYPE_OBJECT)

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
iwb_child_dispose (GObject *object)
{
  IwbChild *self = IWB_CHILD (object);

  /* A child dropped while it runs must not leave anything behind. */
  if (self->spawned && !self->exited && self->pid > 1)
    _iwb_child_kill_tree (self->pid);
  for (guint i = 0; i < G_N_ELEMENTS (self->readers); i++)
    clear_source (&self->readers[i].source);
  clear_source (&self->timeout_source);
  clear_source (&self->kill_source);
  clear_source (&self->eof_source);
  clear_source (&self->cancel_source);

  G_OBJECT_CLASS (iwb_child_parent_class)->dispose (object);
}

static void
iwb_child_finalize (GObject *object)
{
  IwbChild *self = IWB_CHILD (object);

  g_strfreev (self->argv);
  g_free (self->cwd);
  g_strfreev (self->envp);
  g_clear_object (&self->stdin_stream);
  for (guint i = 0; i < G_N_ELEMENTS (self->readers); i++)
    {
      if (self->readers[i].active && self->readers[i].fd >= 0)
        close (self->readers[i].fd);
      if (self->readers[i].line != NULL)
        g_string_free (self->readers[i].line, TRUE);
    }
  g_clear_object (&self->task);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (iwb_child_parent_class)->finalize (object);
}

static void
iwb_child_class_init (IwbChildClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = iwb_child_dispose;
  object_class->finalize = iwb_child_finalize;

  /* A child that closes its stdin must cost an EPIPE on our write, never
   * the whole process. */
  signal (SIGPIPE, SIG_IGN);
}

static void
iwb_child_init (IwbChild *self)
{
  self->line_limit = IWB_CHILD_DEFAULT_LINE_LIMIT;
  self->grace_ms = IWB_CHILD_DEFAULT_GRACE_MS;
  self->wait_status = -1;
}

IwbChild *
iwb_child_new (const char * const *argv,
               const char         *cwd,
               const char * const *envp,
               IwbChildFlags       flags)
{
  IwbChild *self;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  self = g_object_new (IWB_TYPE_CHILD, NULL);
  self->argv = g_strdupv ((char **) argv);
  self->cwd = g_strdup (cwd);
  self->envp = envp ? g_strdupv ((char **) envp) : g_get_environ ();
  self->flags = flags;
  return self;
}

void
iwb_child_set_line_func (IwbChild         *self,
                         IwbChildLineFunc  func,
                         gpointer          user_data)
{
  g_return_if_fail (IWB_IS_CHILD (self));
  self->line_func = func;
  self->line_data = user_data;
}

void
iwb_child_set_line_limit (IwbChild *self,
                          gsize     bytes)
{
  g_return_if_fail (IWB_IS_CHILD (self));
  self->line_limit = MAX (bytes, 256);
}

static gboolean on_timeout (gpointer user_data);

static void
arm_timeout (IwbChild *self)
{
  clear_source (&self->timeout_source);
  if (self->timeout_ms == 0 || self->exited || self->terminating)
    return;
  self->timeout_source = g_timeout_source_new (self->timeout_ms);
  g_source_set_static_name (self->timeout_source, "[iwb] child timeout");
  g_source_set_callback (self->timeout_source, on_timeout, self, NULL);
  g_source_attach (self->timeout_source, self->context);
}

/* Before the spawn: counted from the spawn. After it: counted from now
 * (a child started ahead of its work, iwb_run_prestart()). */
void
iwb_child_set_timeout_ms (IwbChild *self,
                          guint     ms)
{
  g_return_if_fail (IWB_IS_CHILD (self));
  self->timeout_ms = ms;
  if (self->spawned)
    arm_timeout (self);
}

void
iwb_child_set_grace_ms (IwbChild *self,
                        guint     ms)
{
  g_return_if_fail (IWB_IS_CHILD (self));
  self->grace_ms = ms;
}

GOutputStream *
iwb_child_get_stdin (IwbChild *self)
{
  g_return_val_if_fail (IWB_IS_CHILD (self), NULL);
  return self->stdin_stream;
}

GPid
iwb_child_get_pid (IwbChild *self)
{
  g_return_val_if_fail (IWB_IS_CHILD (self), 0);
  return self->pid;
}

gboolean
iwb_child_get_exited (IwbChild *self)
{
  g_return_val_if_fail (IWB_IS_CHILD (self), FALSE);
  return self->exited;
}

IwbChildOutcome
iwb_child_get_outcome (IwbChild *self)
{
  g_return_val_if_fail (IWB_IS_CHILD (self), IWB_CHILD_OUTCOME_RUNNING);

  if (!self->exited)
    return IWB_CHILD_OUTCOME_RUNNING;
  if (self->timed_out)
    return IWB_CHILD_OUTCOME_TIMED_OUT;
  if (self->cancelled)
    return IWB_CHILD_OUTCOME_CANCELLED;
  if (WIFSIGNALED (self->wait_status))
    return IWB_CHILD_OUTCOME_SIGNALED;
  return IWB_CHILD_OUTCOME_EXITED;
}

int
iwb_child_get_exit_status (IwbChild *self)
{
  g_return_val_if_fail (IWB_IS_CHILD (self), -1);
  if (!self->exited || !WIFEXITED (self->wait_status))
    return -1;
  return WEXITSTATUS (self->wait_status);
}

int
iwb_child_get_term_sig (IwbChild *self)
{
  g_return_val_if_fail (IWB_IS_CHILD (self), 0);
  if (!self->exited || !WIFSIGNALED (self->wait_status))
    return 0;
  return WTERMSIG (self->wait_status);
}

/* ---- lines ---------------------------------------------------------------- */

/* @data[@len] may be overwritten (it is the newline, or spare room). */
static void
deliver (Reader *r,
         char   *data,
         gsize   len)
{
  IwbChild *self = r->child;
  guint64 dropped = r->dropped;
  gboolean valid;

  r->dropped = 0;
  if (self->done || self->line_func == NULL)
    return;
  if (len > 0 && data[len - 1] == '\r' && dropped == 0)
    len--;
  data[len] = '\0';
  /* A NUL would end the C string early: make it an invalid byte, which
   * g_utf8_make_valid() turns into U+FFFD like any other. */
  for (char *nul = memchr (data, '\0', len); nul != NULL; nul = memchr (nul, '\0', data + len - nul))
    *nul = (char) 0xff;
  valid = iwb_utf8_validate (data, len);
  if (valid)
    self->line_func (self, r->stream, data, len, dropped, TRUE, self->line_data);
  else
    {
      g_autofree char *fixed = g_utf8_make_valid (data, len);

      self->line_func (self, r->stream, fixed, strlen (fixed), dropped, FALSE, self->line_data);
    }
}

static void
reader_feed (Reader *r,
             char   *data,
             gsize   len)
{
  IwbChild *self = r->child;
  char *p = data;
  char *end = data + len;

  while (p < end && !self->done)
    {
      char *nl = memchr (p, '\n', end - p);
      gsize seg = (nl ? nl : end) - p;

      if (nl != NULL && r->line->len == 0 && r->dropped == 0 && seg <= self->line_limit)
        {
          /* The whole line is in the buffer: no copy. */
          deliver (r, p, seg);
          p = nl + 1;
          continue;
        }
      {
        gsize room = self->line_limit > r->line->len ? self->line_limit - r->line->len : 0;

        if (seg <= room)
          g_string_append_len (r->line, p, seg);
        else
          {
            g_string_append_len (r->line, p, room);
            r->dropped += seg - room;
          }
      }
      if (nl == NULL)
        break;
      deliver (r, r->line->str, r->line->len);
      /* Give back the memory of a huge line. */
      if (r->line->allocated_len > 64 * 1024)
        {
          g_string_free (r->line, TRUE);
          r->line = g_string_sized_new (256);
        }
      else
        g_string_truncate (r->line, 0);
      p = nl + 1;
    }
}

static void
reader_flush (Reader *r)
{
  if (r->line != NULL && (r->line->len > 0 || r->dropped > 0))
    {
      deliver (r, r->line->str, r->line->len);
      g_string_truncate (r->line, 0);
    }
}

static void maybe_complete (IwbChild *self);

static void
reader_end (Reader *r)
{
  clear_source (&r->source);
  if (r->fd >= 0)
    {
      close (r->fd);
      r->fd = -1;
    }
  r->eof = TRUE;
}

static void
on_pipe_read (gpointer  user_data,
              char     *buf,
              gssize    n,
              int       errsv)
{
  Reader *r = user_data;
  IwbChild *self = r->child;

  if (n > 0)
    {
      if (!self->done)
        reader_feed (r, buf, (gsize) n);
      return;
    }
  if (n < 0)
    g_debug ("Reading the output of %s: %s", self->argv[0], g_strerror (errsv));
  reader_flush (r);
  reader_end (r);
  /* the child may go with this call */
  g_object_ref (self);
  maybe_complete (self);
  g_object_unref (self);
}

static void
reader_start (IwbChild       *self,
              IwbChildStream  stream,
              int             fd)
{
  Reader *r = &self->readers[stream];

  r->child = self;
  r->stream = stream;
  r->fd = fd;
  r->line = g_string_sized_new (256);
  r->active = TRUE;
  g_unix_set_fd_nonblocking (fd, TRUE, NULL);
  /* Results come on stdout: a child that prints faster than we take its
   * lines in (a few milliseconds' worth, see below) would otherwise wait
   * on a full 64 KiB pipe. */
  if (stream == IWB_CHILD_STDOUT)
    iwb_pipe_grow (fd, 1024 * 1024);
  /* A child printing line by line would otherwise wake us for every
   * line: when little came, the pipe collects a few milliseconds of
   * output first. */
  r->source = iwb_pipe_reader_source_new (fd, READ_CHUNK, READ_COALESCE_MS, on_pipe_read, r);
  g_source_attach (r->source, self->context);
}

/* ---- ending --------------------------------------------------------------- */

static void
complete (IwbChild *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->done)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (self->readers); i++)
    if (self->readers[i].active)
      reader_flush (&self->readers[i]);
  self->done = TRUE;
  clear_source (&self->timeout_source);
  clear_source (&self->kill_source);
  clear_source (&self->eof_source);
  clear_source (&self->cancel_source);
  /* Abandon the reads of pipes something outside the tree holds open. */
  for (guint i = 0; i < G_N_ELEMENTS (self->readers); i++)
    if (self->readers[i].active)
      reader_end (&self->readers[i]);

  task = g_steal_pointer (&self->task);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static void
maybe_complete (IwbChild *self)
{
  if (self->done || !self->exited)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (self->readers); i++)
    if (self->readers[i].active && !self->readers[i].eof)
      return;
  complete (self);
}

static gboolean
eof_grace_expired (gpointer user_data)
{
  IwbChild *self = user_data;

  g_clear_pointer (&self->eof_source, g_source_unref);
  complete (self);
  return G_SOURCE_REMOVE;
}

static void
on_exited (GPid     pid,
           int      wait_status,
           gpointer user_data)
{
  IwbChild *self = user_data;

  g_clear_pointer (&self->exit_source, g_source_unref);
  self->wait_status = wait_status;
  self->exited = TRUE;
  _iwb_child_unregister (self->pid);
  clear_source (&self->timeout_source);
  clear_source (&self->kill_source);

  /* Whatever the child left behind (daemons, forgotten subprocesses) was
   * re-parented to us when it died: it goes too, and releases the pipes it
   * inherited. Nothing outlives a child. */
  _iwb_child_kill_tree (0);

  if (self->done)
    return;
  /* The watch's reference keeps us alive through this call only. */
  self->eof_source = g_timeout_source_new (IWB_CHILD_EOF_GRACE_MS);
  g_source_set_static_name (self->eof_source, "[iwb] child end-of-file grace");
  g_source_set_callback (self->eof_source, eof_grace_expired, self, NULL);
  g_source_attach (self->eof_source, self->context);
  maybe_complete (self);
}

static gboolean
grace_expired (gpointer user_data)
{
  IwbChild *self = user_data;

  g_clear_pointer (&self->kill_source, g_source_unref);
  if (!self->exited)
    _iwb_child_kill_tree (self->pid);
  return G_SOURCE_REMOVE;
}

void
iwb_child_terminate (IwbChild *self)
{
  g_return_if_fail (IWB_IS_CHILD (self));

  if (!self->spawned || self->exited || self->terminating)
    return;
  if (!self->timed_out)
    self->cancelled = TRUE;
  self->terminating = TRUE;
  if (self->grace_ms == 0)
    {
      _iwb_child_kill_tree (self->pid);
      return;
    }
  _iwb_child_signal_tree (self->pid, SIGTERM);
  /* A stopped process cannot act on SIGTERM. */
  _iwb_child_signal_tree (self->pid, SIGCONT);
  self->kill_source = g_timeout_source_new (self->grace_ms);
  g_source_set_static_name (self->kill_source, "[iwb] child kill grace");
  g_source_set_callback (self->kill_source, grace_expired, self, NULL);
  g_source_attach (self->kill_source, self->context);
}

void
iwb_child_force_exit (IwbChild *self)
{
  g_return_if_fail (IWB_IS_CHILD (self));

  if (!self->spawned || self->exited)
    return;
  if (!self->timed_out)
    self->cancelled = TRUE;
  self->terminating = TRUE;
  clear_source (&self->kill_source);
  _iwb_child_kill_tree (self->pid);
}

static gboolean
on_timeout (gpointer user_data)
{
  IwbChild *self = user_data;

  g_clear_pointer (&self->timeout_source, g_source_unref);
  if (!self->exited && !self->terminating)
    {
      self->timed_out = TRUE;
      iwb_child_terminate (self);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  IwbChild *self = user_data;

  g_clear_pointer (&self->cancel_source, g_source_unref);
  iwb_child_terminate (self);
  return G_SOURCE_REMOVE;
}

/* ---- starting ------------------------------------------------------------- */

gboolean
iwb_child_spawn (IwbChild  *self,
                 GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) envp = g_strdupv (self->envp);
  int events[2] = { -1, -1 };
  int in_fd = -1, out_fd = -1, err_fd = -1;

  g_return_val_if_fail (IWB_IS_CHILD (self), FALSE);
  g_return_val_if_fail (!self->spawned, FALSE);

  if (self->flags & IWB_CHILD_FLAGS_EVENTS_PIPE)
    {
      if (!g_unix_open_pipe (events, FD_CLOEXEC, &local_error))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                       _("Cannot create the events pipe for %s: %s"),
                       self->argv[0], local_error->message);
          return FALSE;
        }
      envp = g_environ_setenv (envp, "IWB_EVENTS_FD", G_STRINGIFY (EVENTS_FD), TRUE);
    }

  self->context = g_main_context_ref_thread_default ();
  /* The pid comes from the spawn itself (a GSubprocess forgets it once
   * the child is reaped, which a quick child may be at once). */
  if (!_iwb_child_spawn_fds ((const char * const *) self->argv, (const char * const *) envp,
                             self->cwd, (self->flags & IWB_CHILD_FLAGS_STDIN_PIPE) != 0,
                             events[1], &self->pid, &in_fd, &out_fd, &err_fd, &local_error))
    {
      if (events[0] >= 0)
        {
          close (events[0]);
          close (events[1]);
        }
      if (self->cwd != NULL && !g_file_test (self->cwd, G_FILE_TEST_IS_DIR))
        /* The folder went away (or became unreadable), not the interpreter. */
        g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED, _("Cannot start %s: %s"),
                     self->argv[0], local_error->message);
      else
        g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                     _("Cannot start %s: %s; check the interpreter (Preferences or --python)"),
                     self->argv[0], local_error->message);
      return FALSE;
    }
  /* Our copy of the write end must go, or its end of file would never come. */
  if (events[1] >= 0)
    close (events[1]);

  self->spawned = TRUE;

  if (in_fd >= 0)
    {
      /* A blocking pipe would make a big "async" write block the main loop
       * until the child reads everything: with O_NONBLOCK GIO writes what
       * fits and waits for the pipe to drain without blocking. */
      g_unix_set_fd_nonblocking (in_fd, TRUE, NULL);
      self->stdin_stream = g_unix_output_stream_new (in_fd, TRUE);
    }
  reader_start (self, IWB_CHILD_STDOUT, out_fd);
  reader_start (self, IWB_CHILD_STDERR, err_fd);
  if (events[0] >= 0)
    reader_start (self, IWB_CHILD_EVENTS, events[0]);

  self->exit_source = g_child_watch_source_new (self->pid);
  g_source_set_static_name (self->exit_source, "[iwb] child exit");
  g_source_set_callback (self->exit_source, G_SOURCE_FUNC (on_exited), g_object_ref (self),
                         g_object_unref);
  g_source_attach (self->exit_source, self->context);

  arm_timeout (self);
  return TRUE;
}

void
iwb_child_wait_async (IwbChild            *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (IWB_IS_CHILD (self));
  g_return_if_fail (self->spawned);
  g_return_if_fail (self->task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, iwb_child_wait_async);
  /* Cancelling ends the child; the wait reports how it ended. */
  g_task_set_check_cancellable (task, FALSE);
  if (self->done)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_static_name (self->cancel_source, "[iwb] child cancel");
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (on_cancelled), self, NULL);
      g_source_attach (self->cancel_source, self->context);
    }
}

gboolean
iwb_child_wait_finish (IwbChild      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (IWB_IS_CHILD (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
