/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-ssh-tunnel"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "vmd-error.h"
#include "vmd-ssh-tunnel.h"

/* A guest's screen on another computer, reached over SSH. libvirt cannot
 * pass the screen's socket over its SSH connection (virDomainOpenGraphicsFD
 * hands a file descriptor over a local socket only), so VmDesk runs an ssh
 * of its own to the same host, user and port as the libvirt URI, with
 * OpenSSH's forwarding from a socket of VmDesk's (0700, in the runtime
 * folder) to the guest's SPICE socket on that host, or to its port on the
 * host's loopback. Each SPICE channel connects to the local socket; ssh
 * opens one forwarded stream per connection. Nothing listens on the
 * network, on either side.
 *
 * ssh runs in a session of its own, with no terminal: a password or an
 * unknown host key goes to the desktop's SSH_ASKPASS, shown to the person,
 * or fails; never answered for them. Authentication is theirs (agent,
 * keys, known_hosts). The tunnel starts on the first connect(), and again
 * after ssh went (the link was cut).
 *
 * ssh goes with VmDesk, however VmDesk ends: on the remote side it runs a
 * command that reads its input to the end, and that input is a pipe only
 * VmDesk holds. When VmDesk's end closes, the command and ssh end. */

#define READY_MARK "vmdesk-tunnel-ready"

struct _VmdSshTunnel
{
  GObject      parent_instance;

  GMutex       lock;
  GCond        cond;
  GSubprocess *ssh;
  GThread     *reader;
  char        *local;      /* our end: a socket path */
  char        *target;     /* theirs: a socket path, or host:port */
  char        *uri;
  char        *last_line;  /* what ssh said last */
  gboolean     ready;
  gboolean     exited;
};

G_DEFINE_FINAL_TYPE (VmdSshTunnel, vmd_ssh_tunnel, G_TYPE_OBJECT)

/* -- ssh's command line ------------------------------------------------- */

static gboolean
is_ssh_scheme (const char *scheme)
{
  return scheme != NULL && (g_str_has_suffix (scheme, "+ssh") ||
                            g_str_has_suffix (scheme, "+libssh") ||
                            g_str_has_suffix (scheme, "+libssh2"));
}

/* The value of a URI query parameter, or NULL. */
static char *
query_param (GUri       *uri,
             const char *name)
{
  g_autoptr(GHashTable) params = NULL;
  const char *query = g_uri_get_query (uri);

  if (query == NULL)
    return NULL;
  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  return params ? g_strdup (g_hash_table_lookup (params, name)) : NULL;
}

/* ssh to the URI's user, host and port, with its keyfile: the
 * forward if any, then the remote command. */
static GStrv
build_argv (const char  *uri,
            const char  *forward,
            const char  *command,
            GError     **error)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_autofree char *keyfile = NULL, *port = NULL;
  const char *host;

  if (parsed == NULL || !is_ssh_scheme (g_uri_get_scheme (parsed)) ||
      (host = g_uri_get_host (parsed)) == NULL || *host == '\0' || *host == '-')
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                   _("The screens of machines on “%s” can only be shown over SSH (qemu+ssh://)"),
                   uri);
      return NULL;
    }

  keyfile = query_param (parsed, "keyfile");
  g_strv_builder_add_many (argv, "ssh", "-T",
                           "-o", "ControlPath=none",
                           "-o", "ConnectTimeout=30", NULL);
  if (forward != NULL)
    g_strv_builder_add_many (argv,
                             "-o", "ExitOnForwardFailure=yes",
                             /* A cut link is noticed within 15 s. */
                             "-o", "ServerAliveInterval=5",
                             "-o", "ServerAliveCountMax=3",
                             "-o", "PermitLocalCommand=yes",
                             "-o", "LocalCommand=echo " READY_MARK,
                             "-L", forward, NULL);
  if (g_uri_get_port (parsed) > 0)
    {
      port = g_strdup_printf ("%d", g_uri_get_port (parsed));
      g_strv_builder_add_many (argv, "-p", port, NULL);
    }
  if (g_uri_get_user (parsed) != NULL)
    g_strv_builder_add_many (argv, "-l", g_uri_get_user (parsed), NULL);
  if (keyfile != NULL)
    g_strv_builder_add_many (argv, "-i", keyfile, NULL);
  g_strv_builder_add_many (argv, "--", host, command, NULL);
  return g_strv_builder_end (argv);
}

/**
 * vmd_ssh_tunnel_build_argv:
 * @uri: a libvirt URI over SSH (qemu+ssh://user@host:port/session)
 * @local: the socket to listen on here
 * @target: where the forwarded streams go on the remote host: a socket's
 *   absolute path, or host:port
 *
 * The ssh command line of a tunnel: the URI's user, host, port and
 * keyfile, as libvirt's own ssh uses them.
 *
 * Returns: (transfer full): the argument vector, or %NULL with @error set
 */
GStrv
vmd_ssh_tunnel_build_argv (const char  *uri,
                           const char  *local,
                           const char  *target,
                           GError     **error)
{
  g_autofree char *forward = g_strdup_printf ("%s:%s", local, target);

  return build_argv (uri, forward, "exec cat >/dev/null", error);
}

static void
child_setup (gpointer data)
{
  /* No terminal: prompts go to SSH_ASKPASS, before the person. */
  setsid ();
}

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  if (g_getenv ("SSH_ASKPASS") != NULL)
    g_subprocess_launcher_setenv (launcher, "SSH_ASKPASS_REQUIRE", "prefer", FALSE);
  return launcher;
}

/**
 * vmd_ssh_run_sync:
 * @uri: a libvirt URI over SSH
 * @command: a shell command for the other computer
 *
 * Runs @command on the URI's host as its user, as the tunnel reaches it.
 * Blocks: for a worker thread.
 *
 * Returns: (transfer full): what it printed, or %NULL with @error set
 */
char *
vmd_ssh_run_sync (const char    *uri,
                  const char    *command,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) ssh = NULL;
  g_auto(GStrv) argv = build_argv (uri, NULL, command, error);
  g_autofree char *out = NULL, *err = NULL;

  if (argv == NULL)
    return NULL;
  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                           G_SUBPROCESS_FLAGS_STDERR_PIPE);
  ssh = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, error);
  if (ssh == NULL || !g_subprocess_communicate_utf8 (ssh, NULL, cancellable, &out, &err, error))
    return NULL;
  if (!g_subprocess_get_successful (ssh))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_NETWORK, _("ssh failed: %s"),
                   err != NULL ? g_strstrip (err) : "");
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* -- the ssh process ---------------------------------------------------- */

/* What ssh says, line by line, until it ends: its mark once the forward
 * listens, its errors otherwise. */
typedef struct
{
  VmdSshTunnel *self;
  GSubprocess  *ssh;     /* the one this thread reads, whatever runs later */
} Reader;

static gpointer
read_ssh (gpointer data)
{
  Reader *reader = data;
  g_autoptr(VmdSshTunnel) self = reader->self;
  g_autoptr(GSubprocess) ssh = reader->ssh;
  g_autoptr(GDataInputStream) lines = NULL;
  char *raw;

  g_free (reader);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (ssh));
  /* Bytes, not UTF-8: a banner in another encoding is not its end. */
  while ((raw = g_data_input_stream_read_line (lines, NULL, NULL, NULL)) != NULL)
    {
      g_autofree char *line = g_strstrip (g_utf8_make_valid (raw, -1));

      g_free (raw);
      g_mutex_lock (&self->lock);
      if (self->ssh == ssh && g_str_equal (line, READY_MARK))
        self->ready = TRUE;
      else if (self->ssh == ssh && *line != '\0')
        {
          g_debug ("ssh: %s", line);
          g_free (self->last_line);
          self->last_line = g_steal_pointer (&line);
        }
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
    }
  g_subprocess_wait (ssh, NULL, NULL);

  g_mutex_lock (&self->lock);
  if (self->ssh == ssh)
    self->exited = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return NULL;
}

/* ssh and what it started (a question's dialog, in its process group:
 * ssh runs in a session of its own) go together. */
static void
end_ssh (GSubprocess *ssh)
{
  const char *id = g_subprocess_get_identifier (ssh);
  GPid pid = id ? (GPid) g_ascii_strtoll (id, NULL, 10) : 0;

  g_output_stream_close (g_subprocess_get_stdin_pipe (ssh), NULL, NULL);
  if (pid > 0)
    kill (-pid, SIGTERM);
  g_subprocess_force_exit (ssh);
}

/* Called with the lock held. */
static void
stop_locked (VmdSshTunnel *self)
{
  if (self->ssh != NULL)
    end_ssh (self->ssh);
  g_clear_object (&self->ssh);
  if (self->reader != NULL)
    {
      /* The reader sees the end of ssh's output and goes: not joined
       * under the lock it takes. */
      g_thread_unref (self->reader);
      self->reader = NULL;
    }
  if (self->local != NULL)
    g_unlink (self->local);
  self->ready = FALSE;
  self->exited = FALSE;
  g_clear_pointer (&self->last_line, g_free);
  g_cond_broadcast (&self->cond);
}

static char *
make_local_path (GError **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_runtime_dir (), "vmdesk", NULL);
  g_autofree char *name = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", dir,
                   g_strerror (saved));
      return NULL;
    }
  name = g_strdup_printf ("ssh-%08x.sock", g_random_int ());
  return g_build_filename (dir, name, NULL);
}

static gboolean
start_locked (VmdSshTunnel  *self,
              const char    *uri,
              const char    *target,
              GError       **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *local = make_local_path (error);
  Reader *reader;

  if (local == NULL)
    return FALSE;
  argv = vmd_ssh_tunnel_build_argv (uri, local, target, error);
  if (argv == NULL)
    return FALSE;

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                           G_SUBPROCESS_FLAGS_STDERR_MERGE);
  self->ssh = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, error);
  if (self->ssh == NULL)
    return FALSE;

  g_free (self->local);
  self->local = g_steal_pointer (&local);
  g_free (self->target);
  self->target = g_strdup (target);
  g_free (self->uri);
  self->uri = g_strdup (uri);
  reader = g_new0 (Reader, 1);
  reader->self = g_object_ref (self);
  reader->ssh = g_object_ref (self->ssh);
  self->reader = g_thread_new ("vmd-ssh-tunnel", read_ssh, reader);
  return TRUE;
}

static void
wake (GCancellable *cancellable,
      VmdSshTunnel *self)
{
  g_mutex_lock (&self->lock);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static int
connect_local (const char  *path,
               GError     **error)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (fd < 0 || connect (fd, (struct sockaddr *) &addr,
                         (g_strlcpy (addr.sun_path, path, sizeof addr.sun_path),
                          sizeof addr)) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, VMD_ERROR, VMD_ERROR_NETWORK,
                   _("The SSH link to the machine’s screen is down: %s"), g_strerror (saved));
      return -1;
    }
  return fd;
}

/**
 * vmd_ssh_tunnel_connect:
 * @uri: the libvirt URI of the machine's host
 * @target: the guest's SPICE socket on that host, or host:port there
 * @cancellable: (nullable): gives up waiting for ssh
 *
 * A new stream to the guest's screen. Blocks until ssh is up (the first
 * time, and after it went): for a worker thread.
 *
 * Returns: a connected socket, or -1 with @error set
 */
int
vmd_ssh_tunnel_connect (VmdSshTunnel  *self,
                        const char    *uri,
                        const char    *target,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autofree char *local = NULL;
  GSubprocess *ssh;
  gulong cancel_id = 0;

  g_return_val_if_fail (VMD_IS_SSH_TUNNEL (self), -1);

  if (cancellable != NULL)
    cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (wake), self, NULL);

  g_mutex_lock (&self->lock);
  /* Closed (the session stopped) while this thread read the definition:
   * no ssh starts after that. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_mutex_unlock (&self->lock);
      g_cancellable_disconnect (cancellable, cancel_id);
      return -1;
    }
  if (self->ssh != NULL &&
      (self->exited || g_strcmp0 (self->target, target) != 0 || g_strcmp0 (self->uri, uri) != 0))
    stop_locked (self);
  if (self->ssh == NULL && !start_locked (self, uri, target, error))
    {
      stop_locked (self);
      g_mutex_unlock (&self->lock);
      g_cancellable_disconnect (cancellable, cancel_id);
      return -1;
    }
  ssh = self->ssh;
  while (self->ssh == ssh && !self->ready && !self->exited &&
         !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&self->cond, &self->lock);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_mutex_unlock (&self->lock);
      g_cancellable_disconnect (cancellable, cancel_id);
      return -1;
    }
  if (self->ssh != ssh)
    {
      /* Closed meanwhile. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "closed");
      g_mutex_unlock (&self->lock);
      g_cancellable_disconnect (cancellable, cancel_id);
      return -1;
    }
  if (self->exited && !self->ready)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_NETWORK,
                   _("Could not reach the machine’s screen over SSH: %s"),
                   self->last_line ? self->last_line : _("ssh ended"));
      stop_locked (self);
      g_mutex_unlock (&self->lock);
      g_cancellable_disconnect (cancellable, cancel_id);
      return -1;
    }
  local = g_strdup (self->local);
  g_mutex_unlock (&self->lock);
  g_cancellable_disconnect (cancellable, cancel_id);

  return connect_local (local, error);
}

/* Ends ssh: every stream through it ends. */
void
vmd_ssh_tunnel_close (VmdSshTunnel *self)
{
  g_return_if_fail (VMD_IS_SSH_TUNNEL (self));

  g_mutex_lock (&self->lock);
  stop_locked (self);
  g_mutex_unlock (&self->lock);
}

static void
vmd_ssh_tunnel_finalize (GObject *object)
{
  VmdSshTunnel *self = (VmdSshTunnel *) object;

  stop_locked (self);
  g_free (self->local);
  g_free (self->target);
  g_free (self->uri);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (vmd_ssh_tunnel_parent_class)->finalize (object);
}

static void
vmd_ssh_tunnel_class_init (VmdSshTunnelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vmd_ssh_tunnel_finalize;
}

static void
vmd_ssh_tunnel_init (VmdSshTunnel *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

VmdSshTunnel *
vmd_ssh_tunnel_new (void)
{
  return g_object_new (VMD_TYPE_SSH_TUNNEL, NULL);
}
