/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-spice-session"

#include "config.h"

#include <sys/socket.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "vmd-error.h"
#include "vmd-libvirt.h"
#include "vmd-machine-private.h"
#include "vmd-spice-session-private.h"

/* A session's sockets: each channel's from virDomainOpenGraphicsFD, or
 * through the session's SSH tunnel for a guest on another computer, off
 * the main thread; and our own duplicate of it. */

/* spice-client-glib closes a channel only once its coroutine wakes up,
 * which on a still screen is when the guest next sends something: minutes,
 * or never. Each channel's socket is kept duplicated here, and shut down
 * when the channel is to close: the coroutine reads the end at once. The
 * descriptor is ours, so it is never one that was reused meanwhile. */
static void
keep_socket (VmdSpiceSession *self,
             SpiceChannel    *channel,
             int              fd)
{
  int copy = dup (fd);

  if (copy >= 0)
    g_hash_table_insert (self->sockets, channel, GINT_TO_POINTER (copy + 1));
}

static void
shut_socket (VmdSpiceSession *self,
             SpiceChannel    *channel)
{
  int copy = GPOINTER_TO_INT (g_hash_table_lookup (self->sockets, channel)) - 1;

  if (copy < 0)
    return;
  shutdown (copy, SHUT_RDWR);
  /* Closed by the table's destroy function. */
  g_hash_table_remove (self->sockets, channel);
}

void
_vmd_spice_session_drop_socket (gpointer value)
{
  close (GPOINTER_TO_INT (value) - 1);
}

void
_vmd_spice_session_shut_all_sockets (VmdSpiceSession *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->sockets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    shutdown (GPOINTER_TO_INT (value) - 1, SHUT_RDWR);
  g_hash_table_remove_all (self->sockets);
}

typedef struct
{
  virDomainPtr  domain;
  VmdSshTunnel *tunnel;
  gboolean      remote;  /* the socket came through the tunnel */
} FdJob;

static void
fd_job_free (gpointer data)
{
  FdJob *job = data;

  _vmd_domain_unref (job->domain);
  g_object_unref (job->tunnel);
  g_free (job);
}

/* A socket to a guest on another computer: through ssh, to where its
 * SPICE server listens there. */
static int
open_remote_fd (FdJob         *job,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autofree char *xml = virDomainGetXMLDesc (job->domain, 0);
  g_autofree char *uri = virConnectGetURI (virDomainGetConnect (job->domain));
  g_autofree char *target = NULL;

  if (xml == NULL || uri == NULL)
    {
      g_propagate_error (error, _vmd_error_from_libvirt (_("Could not reach the machine’s screen")));
      return -1;
    }
  target = _vmd_domain_xml_get_spice_target (xml);
  if (target == NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                   _("This machine’s screen listens on no socket that VmDesk can reach from another "
                     "computer"));
      return -1;
    }
  return vmd_ssh_tunnel_connect (job->tunnel, uri, target, cancellable, error);
}

static void
open_fd_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  FdJob *job = task_data;
  g_autofree char *uri = virConnectGetURI (virDomainGetConnect (job->domain));
  GError *error = NULL;
  int fd;

  job->remote = uri != NULL && _vmd_uri_screen_needs_tunnel (uri);
  if (job->remote)
    fd = open_remote_fd (job, cancellable, &error);
  else if ((fd = virDomainOpenGraphicsFD (job->domain, 0, VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH)) < 0)
    error = _vmd_error_from_libvirt (_("Could not reach the machine’s screen"));

  if (fd < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, fd);
}

typedef void (*FdReady) (VmdSpiceSession *self, gpointer target, int fd, const GError *error);

typedef struct
{
  VmdSpiceSession *self;
  gpointer         target;  /* SpiceChannel, or NULL for the main channel */
} FdRequest;

static void
on_fd (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  FdRequest *request = user_data;
  g_autoptr(VmdSpiceSession) self = request->self;
  g_autoptr(GObject) target = request->target;
  g_autoptr(GError) error = NULL;
  int fd;

  g_free (request);
  fd = g_task_propagate_int (G_TASK (result), &error);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))) ||
      self->session == NULL)
    {
      if (fd >= 0)
        close (fd);
      return;
    }

  self->remote = ((FdJob *) g_task_get_task_data (G_TASK (result)))->remote;
  if (error != NULL)
    {
      g_message ("%s", error->message);
      /* A link still cut: said, and tried again in a while. */
      if (self->cut)
        {
          _vmd_spice_session_set_state (self, VMD_SPICE_STATE_DISCONNECTED, error->message);
          _vmd_spice_session_schedule_reconnect (self);
          return;
        }
      _vmd_spice_session_set_state (self, VMD_SPICE_STATE_FAILED, error->message);
      return;
    }

  if (target == NULL)
    {
      spice_session_open_fd (self->session, fd);
      if (self->main != NULL)
        keep_socket (self, SPICE_CHANNEL (self->main), fd);
    }
  else if (g_hash_table_remove (self->pending, target))
    {
      shut_socket (self, SPICE_CHANNEL (target));
      keep_socket (self, SPICE_CHANNEL (target), fd);
      spice_channel_open_fd (SPICE_CHANNEL (target), fd);
    }
  else
    close (fd);
}

void
_vmd_spice_session_request_fd (VmdSpiceSession *self,
            SpiceChannel    *channel)
{
  virDomainPtr domain = _vmd_machine_dup_domain (self->machine);
  g_autoptr(GTask) task = NULL;
  FdRequest *request;
  FdJob *job;

  if (domain == NULL)
    {
      _vmd_spice_session_set_state (self, VMD_SPICE_STATE_FAILED, _vmd_not_connected_message ());
      return;
    }

  request = g_new0 (FdRequest, 1);
  request->self = g_object_ref (self);
  request->target = channel ? g_object_ref (channel) : NULL;

  job = g_new0 (FdJob, 1);
  job->domain = domain;
  job->tunnel = g_object_ref (self->tunnel);

  task = g_task_new (NULL, self->cancellable, on_fd, request);
  /* A socket that comes after all is closed by on_fd, not leaked: QEMU
   * would wait on its other end for ever. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, job, fd_job_free);
  g_task_run_in_thread (task, open_fd_thread);
}

void
_vmd_spice_session_on_open_fd (SpiceChannel    *channel,
            int              with_tls,
            VmdSpiceSession *self)
{
  /* One socket per request: a channel that asks again while its first
   * socket is on the way gets that one. */
  if (g_hash_table_contains (self->pending, channel))
    return;
  g_hash_table_add (self->pending, channel);
  _vmd_spice_session_request_fd (self, channel);
}

