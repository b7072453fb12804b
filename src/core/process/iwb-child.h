/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbChild: one child process that runs integration code, from spawn to the
 * last line of its output. The one place that knows how a child is started
 * and ended (GNOME Builder's launcher / subprocess / supervisor split, in one
 * small object):
 *
 *  - spawn with the environment it is given (iwb_python_build_environ()
 *    builds the allow-listed one) under iwb-reaper, a supervisor in its own
 *    session and process group and a child subreaper, so that whatever the
 *    child starts (forked, double-forked, setsid()) stays in its tree, and
 *    which kills that tree when the workbench dies, however it dies
 *    (SIGKILL, a crash: see iwb-child-tree.c and iwb-reaper.c);
 *  - stdin: a non-blocking pipe for the caller to write to, or end of file;
 *  - stdout, stderr and the optional events pipe (the child's fd 3,
 *    IWB_EVENTS_FD=3) read as lines: bounded length (the rest of an overlong
 *    line is counted, not kept), made valid UTF-8, a trailing CR removed,
 *    delivered to one callback in the thread-default main context of
 *    iwb_child_spawn();
 *  - a timeout, and cancelling (through iwb_child_wait_async()'s
 *    cancellable, or iwb_child_terminate()): SIGTERM to the whole tree, then
 *    SIGKILL after a grace period;
 *  - once the child exited, everything it left behind is killed (the whole
 *    descendant tree, found through /proc, killed until none remains) and
 *    reaped, and the wait completes when the pipes reached end of file (or a
 *    short grace later, should some process outside the tree hold them).
 *
 * The workbench process itself is made a child subreaper on the first
 * spawn, so a tree whose leader died is re-parented to it, and killed and
 * reaped here, never to init. iwb_child_kill_all() kills every tree at once
 * (quitting, SIGTERM/SIGINT/SIGHUP).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  IWB_CHILD_STDOUT,
  IWB_CHILD_STDERR,
  IWB_CHILD_EVENTS, /* the child's fd 3 */
} IwbChildStream;

typedef enum
{
  IWB_CHILD_FLAGS_NONE        = 0,
  IWB_CHILD_FLAGS_STDIN_PIPE  = 1 << 0, /* else stdin reads end of file (/dev/null) */
  IWB_CHILD_FLAGS_EVENTS_PIPE = 1 << 1, /* fd 3 in the child, IWB_EVENTS_FD=3 */
} IwbChildFlags;

typedef enum
{
  IWB_CHILD_OUTCOME_RUNNING,
  IWB_CHILD_OUTCOME_EXITED,    /* exit status in iwb_child_get_exit_status() */
  IWB_CHILD_OUTCOME_SIGNALED,  /* died of a signal we did not send */
  IWB_CHILD_OUTCOME_TIMED_OUT,
  IWB_CHILD_OUTCOME_CANCELLED,
} IwbChildOutcome;

#define IWB_CHILD_DEFAULT_LINE_LIMIT (4 * 1024 * 1024)
#define IWB_CHILD_DEFAULT_GRACE_MS   1000  /* SIGTERM -> SIGKILL */
#define IWB_CHILD_EOF_GRACE_MS       2000  /* exited -> stop waiting for end of file */

#define IWB_TYPE_CHILD (iwb_child_get_type ())
G_DECLARE_FINAL_TYPE (IwbChild, iwb_child, IWB, CHILD, GObject)

/**
 * IwbChildLineFunc:
 * @text: the line without its newline (and without a trailing CR): valid
 *   UTF-8, NUL-terminated, no NUL inside; borrowed for the call
 * @len: its length in bytes
 * @dropped: bytes cut off the end of the line (over the line limit)
 * @was_valid: %FALSE when invalid bytes (or NULs) were replaced by U+FFFD
 */
typedef void (*IwbChildLineFunc) (IwbChild       *child,
                                  IwbChildStream  stream,
                                  const char     *text,
                                  gsize           len,
                                  guint64         dropped,
                                  gboolean        was_valid,
                                  gpointer        user_data);

/* @argv: the program (an absolute path) and its arguments; @envp: the
 * complete environment (IWB_EVENTS_FD is added with the events pipe). */
IwbChild        *iwb_child_new              (const char * const *argv,
                                             const char         *cwd,
                                             const char * const *envp,
                                             IwbChildFlags       flags);
/* Before spawning. */
void             iwb_child_set_line_func    (IwbChild           *self,
                                             IwbChildLineFunc    func,
                                             gpointer            user_data);
void             iwb_child_set_line_limit   (IwbChild           *self,
                                             gsize               bytes);
void             iwb_child_set_timeout_ms   (IwbChild           *self,
                                             guint               ms);   /* 0 = none */
void             iwb_child_set_grace_ms     (IwbChild           *self,
                                             guint               ms);

/* Starts the child and its readers in the thread-default main context.
 * Fails (with the errno's message) when the program cannot be executed.
 * Without the reaper ($IWB_REAPER=none) call it from a thread that outlives
 * the child: PR_SET_PDEATHSIG fires when the spawning *thread* ends. */
gboolean         iwb_child_spawn            (IwbChild           *self,
                                             GError            **error);
/* The child's stdin (non-blocking), or NULL without IWB_CHILD_FLAGS_STDIN_PIPE. */
GOutputStream   *iwb_child_get_stdin        (IwbChild           *self);
/* The leader of the child's tree: the supervisor (iwb-reaper) whose child
 * the program is, or the program itself without one. For killing the tree. */
GPid             iwb_child_get_pid          (IwbChild           *self);
/* Asks the tree to end: SIGTERM now, SIGKILL after the grace period.
 * The outcome is CANCELLED unless the child had exited already. */
void             iwb_child_terminate        (IwbChild           *self);
/* Kills the tree now (SIGKILL, until none remains): for a child dropped
 * while it runs. The outcome is CANCELLED unless it had exited already. */
void             iwb_child_force_exit       (IwbChild           *self);

/* Completes once the child exited, what it left behind was killed, and every
 * line was delivered. Cancelling @cancellable terminates the child (the
 * wait still completes normally, with outcome CANCELLED). Never fails: the
 * outcome says how the child ended. */
void             iwb_child_wait_async       (IwbChild           *self,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
gboolean         iwb_child_wait_finish      (IwbChild           *self,
                                             GAsyncResult       *result,
                                             GError            **error);

IwbChildOutcome  iwb_child_get_outcome      (IwbChild           *self);
int              iwb_child_get_exit_status  (IwbChild           *self); /* -1 unless EXITED */
int              iwb_child_get_term_sig     (IwbChild           *self); /* 0 unless killed by a signal */
gboolean         iwb_child_get_exited       (IwbChild           *self); /* the leader was reaped */

/* -- every child tree of the process (iwb-child-tree.c) ------------------ */

/* Makes this process a child subreaper (idempotent; done by the first spawn
 * too). FALSE when the kernel refuses. */
gboolean         iwb_child_become_subreaper (void);
/* Kills every child tree started by this process, and the orphans they left,
 * and waits (bounded) until none remains. Main thread; for quitting and for
 * SIGTERM/SIGINT/SIGHUP handlers installed with g_unix_signal_add(). Returns
 * how many processes were signalled. */
guint            iwb_child_kill_all         (void);
/* Processes of the tree of @leader, left orphans included (for tests and
 * diagnostics); @leader itself counts while it is not reaped. */
guint            iwb_child_count_tree       (GPid                leader);

G_END_DECLS
