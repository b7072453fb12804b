/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

static void
on_signal (int signum)
{
  int saved = errno;
  unsigned char byte = (unsigned char) signum;

  /* Non-blocking: a full pipe means the number is already pending. */
  if (write (wake_fds[1], &byte, 1) < 0)
    {
      /* nothing safe to do here */
    }
  errno = saved;
}

static gboolean
on_readable (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  unsigned char bytes[64];
  ssize_t n;

  while ((n = read (fd, bytes, sizeof bytes)) > 0)
    for (ssize_t i = 0; i < n; i++)
      if (watch_func != NULL)
        watch_func (bytes[i], watch_data);
  return G_SOURCE_CONTINUE;
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
  action.sa_handler = on_signal;
  action.sa_flags = SA_RESTART;
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
