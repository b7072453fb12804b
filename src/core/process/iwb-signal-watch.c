/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "iwb-signal-watch.h"

static const int watched[] = {
  SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM, SIGUSR1, SIGUSR2,
  SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ,
#ifdef SIGPWR
  SIGPWR,
#endif
  0
};

static int wake_fds[2] = { -1, -1 };
static IwbSignalFunc watch_func;
static gpointer watch_data;
static IwbSignalFromChildFunc child_func;
static gpointer child_data;

/* What the handler passes to the main context: the signal and, when a
 * process sent it with kill() (SI_USER, SI_QUEUE, SI_TKILL), its pid. One
 * write of 8 bytes: atomic on a pipe. */
typedef struct
{
  gint32 signum;
  gint32 sender;
} Record;

static void
on_signal (int        signum,
           siginfo_t *info,
           void      *context)
{
  int saved = errno;
  Record record = { signum, 0 };

  if (info != NULL && info->si_code <= 0) /* sent by a process, not the kernel */
    record.sender = (gint32) info->si_pid;
  /* Non-blocking: a full pipe means a signal is already pending. */
  if (write (wake_fds[1], &record, sizeof record) < 0)
    {
      /* nothing safe to do here */
    }
  errno = saved;
}

/* The parent of @pid, from /proc; 0 when unknown (gone, no /proc). */
static pid_t
parent_of (pid_t pid)
{
  char path[64], buf[512];
  const char *close_paren;
  int ppid = 0;
  ssize_t n;
  int fd;

  g_snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  n = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (n <= 0)
    return 0;
  buf[n] = '\0';
  /* "pid (comm) state ppid ...": comm may hold spaces and parentheses */
  close_paren = strrchr (buf, ')');
  if (close_paren == NULL || sscanf (close_paren + 1, " %*c %d", &ppid) != 1)
    return 0;
  return (pid_t) ppid;
}

gboolean
iwb_signal_watch_is_descendant (pid_t pid)
{
  pid_t self = getpid ();

  /* a chain of processes is short; the bound only guards against a loop
   * seen through pid reuse while walking */
  for (guint depth = 0; pid > 1 && depth < 256; depth++)
    {
      pid = parent_of (pid);
      if (pid == self)
        return TRUE;
    }
  return FALSE;
}

static gboolean
on_readable (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  Record records[16];
  ssize_t n;

  while ((n = read (fd, records, sizeof records)) > 0)
    for (ssize_t i = 0; i < n / (ssize_t) sizeof (Record); i++)
      {
        /* A process the program started (an integration, something it
         * forked) does not get to end the program: the signal is ignored
         * and reported, the run goes on (and its timeout still holds). */
        if (records[i].sender > 0 && iwb_signal_watch_is_descendant (records[i].sender))
          {
            if (child_func != NULL)
              child_func (records[i].signum, records[i].sender, child_data);
            continue;
          }
        if (watch_func != NULL)
          watch_func (records[i].signum, watch_data);
      }
  return G_SOURCE_CONTINUE;
}

void
iwb_signal_watch_set_from_child_func (IwbSignalFromChildFunc func,
                                      gpointer               user_data)
{
  child_func = func;
  child_data = user_data;
}

const int *
iwb_signal_watch_signals (void)
{
  return watched;
}

gboolean
iwb_signal_watch_install (IwbSignalFunc func,
                          gpointer      user_data)
{
  struct sigaction action;

  watch_func = func;
  watch_data = user_data;
  if (wake_fds[0] >= 0)
    return TRUE;
  if (!g_unix_open_pipe (wake_fds, FD_CLOEXEC, NULL))
    return FALSE;
  g_unix_set_fd_nonblocking (wake_fds[0], TRUE, NULL);
  g_unix_set_fd_nonblocking (wake_fds[1], TRUE, NULL);
  g_unix_fd_add (wake_fds[0], G_IO_IN, on_readable, NULL);

  memset (&action, 0, sizeof action);
  action.sa_sigaction = on_signal;
  action.sa_flags = SA_RESTART | SA_SIGINFO;
  sigemptyset (&action.sa_mask);
  for (guint i = 0; watched[i] != 0; i++)
    sigaction (watched[i], &action, NULL);
  return TRUE;
}

void
iwb_signal_watch_die_of (int signum)
{
  sigset_t set;

  signal (signum, SIG_DFL);
  sigemptyset (&set);
  sigaddset (&set, signum);
  sigprocmask (SIG_UNBLOCK, &set, NULL);
  raise (signum);
}
