/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-spice-session"

#include "config.h"

#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "vmd-libvirt.h"
#include "vmd-machine-private.h"
#include "vmd-spice-session.h"

#define RECONNECT_MS 1000

/* A SPICE session to a running guest. The guest's SPICE server listens on
 * no TCP port: every channel gets its own socket from
 * virDomainOpenGraphicsFD (fetched off the main thread). The session
 * follows the machine: it connects when the guest runs, reconnects when
 * QEMU restarts it, and tears down when the guest stops. */
struct _VmdSpiceSession
{
  GObject              parent_instance;

  VmdMachine          *machine;
  SpiceSession        *session;
  SpiceMainChannel    *main;
  SpiceDisplayChannel *display;
  SpiceInputsChannel  *inputs;
  SpiceCursorChannel  *cursor;
  GCancellable        *cancellable;
  GHashTable          *pending;       /* SpiceChannel waiting for its socket */
  char                *error;
  VmdSpiceState        state;
  guint                reconnect_source;
  guint                wanted : 1;
  guint                agent : 1;
};

G_DEFINE_FINAL_TYPE (VmdSpiceSession, vmd_spice_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (VmdSpiceState, vmd_spice_state,
  G_DEFINE_ENUM_VALUE (VMD_SPICE_STATE_DISCONNECTED, "disconnected"),
  G_DEFINE_ENUM_VALUE (VMD_SPICE_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (VMD_SPICE_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (VMD_SPICE_STATE_FAILED, "failed"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_ERROR,
  PROP_DISPLAY,
  PROP_INPUTS,
  PROP_CURSOR,
  PROP_MAIN,
  PROP_AGENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_session (VmdSpiceSession *self);

static void
set_state (VmdSpiceSession *self,
           VmdSpiceState    state,
           const char      *error)
{
  if (g_strcmp0 (self->error, error) != 0)
    {
      g_free (self->error);
      self->error = g_strdup (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

/* -- sockets from libvirt --------------------------------------------- */

static void
open_fd_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  virDomainPtr domain = task_data;
  int fd = virDomainOpenGraphicsFD (domain, 0, VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH);

  if (fd < 0)
    g_task_return_error (task, _vmd_error_from_libvirt (_("Could not reach the machine’s screen")));
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

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->session == NULL)
    {
      if (fd >= 0 && error == NULL)
        close (fd);
      return;
    }

  if (error != NULL)
    {
      g_message ("%s", error->message);
      set_state (self, VMD_SPICE_STATE_FAILED, error->message);
      return;
    }

  if (target == NULL)
    spice_session_open_fd (self->session, fd);
  else if (g_hash_table_remove (self->pending, target))
    spice_channel_open_fd (SPICE_CHANNEL (target), fd);
  else
    close (fd);
}

static void
request_fd (VmdSpiceSession *self,
            SpiceChannel    *channel)
{
  virDomainPtr domain = _vmd_machine_dup_domain (self->machine);
  g_autoptr(GTask) task = NULL;
  FdRequest *request;

  if (domain == NULL)
    {
      set_state (self, VMD_SPICE_STATE_FAILED, _("The virtualization service is not reachable."));
      return;
    }

  request = g_new0 (FdRequest, 1);
  request->self = g_object_ref (self);
  request->target = channel ? g_object_ref (channel) : NULL;

  task = g_task_new (NULL, self->cancellable, on_fd, request);
  g_task_set_task_data (task, domain, _vmd_domain_unref);
  g_task_run_in_thread (task, open_fd_thread);
}

static void
on_open_fd (SpiceChannel    *channel,
            int              with_tls,
            VmdSpiceSession *self)
{
  /* One socket per request: a channel that asks again while its first
   * socket is on the way gets that one. */
  if (g_hash_table_contains (self->pending, channel))
    return;
  g_hash_table_add (self->pending, channel);
  request_fd (self, channel);
}

/* -- channels ---------------------------------------------------------- */

static void
schedule_reconnect (VmdSpiceSession *self);

static void
on_main_event (SpiceChannel     *channel,
               SpiceChannelEvent event,
               VmdSpiceSession  *self)
{
  switch (event)
    {
    case SPICE_CHANNEL_OPENED:
      set_state (self, VMD_SPICE_STATE_CONNECTED, NULL);
      /* Absolute pointer through the tablet, where the guest allows. */
      spice_main_channel_request_mouse_mode (self->main, SPICE_MOUSE_MODE_CLIENT);
      break;
    case SPICE_CHANNEL_CLOSED:
    case SPICE_CHANNEL_SWITCHING:
      set_state (self, VMD_SPICE_STATE_DISCONNECTED, NULL);
      schedule_reconnect (self);
      break;
    case SPICE_CHANNEL_ERROR_CONNECT:
    case SPICE_CHANNEL_ERROR_TLS:
    case SPICE_CHANNEL_ERROR_LINK:
    case SPICE_CHANNEL_ERROR_AUTH:
    case SPICE_CHANNEL_ERROR_IO:
      set_state (self, VMD_SPICE_STATE_FAILED, _("The connection to the machine’s screen failed."));
      schedule_reconnect (self);
      break;
    case SPICE_CHANNEL_NONE:
    default:
      break;
    }
}

static void
on_agent (VmdSpiceSession *self)
{
  gboolean agent = FALSE;

  if (self->main != NULL)
    g_object_get (self->main, "agent-connected", &agent, NULL);
  if (self->agent == agent)
    return;
  self->agent = agent;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT]);
}

static void
on_channel_new (SpiceSession    *session,
                SpiceChannel    *channel,
                VmdSpiceSession *self)
{
  int id;

  g_signal_connect_object (channel, "open-fd", G_CALLBACK (on_open_fd), self, 0);
  g_object_get (channel, "channel-id", &id, NULL);

  if (SPICE_IS_MAIN_CHANNEL (channel))
    {
      g_set_object (&self->main, SPICE_MAIN_CHANNEL (channel));
      g_signal_connect_object (channel, "channel-event", G_CALLBACK (on_main_event), self, 0);
      g_signal_connect_object (channel, "notify::agent-connected", G_CALLBACK (on_agent), self,
                               G_CONNECT_SWAPPED);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAIN]);
    }
  else if (SPICE_IS_DISPLAY_CHANNEL (channel) && id == 0)
    {
      g_set_object (&self->display, SPICE_DISPLAY_CHANNEL (channel));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY]);
    }
  else if (SPICE_IS_INPUTS_CHANNEL (channel))
    {
      g_set_object (&self->inputs, SPICE_INPUTS_CHANNEL (channel));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INPUTS]);
    }
  else if (SPICE_IS_CURSOR_CHANNEL (channel) && id == 0)
    {
      g_set_object (&self->cursor, SPICE_CURSOR_CHANNEL (channel));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR]);
    }
  else
    return;

  if (!SPICE_IS_MAIN_CHANNEL (channel))
    spice_channel_connect (channel);
}

static void
drop_channels (VmdSpiceSession *self)
{
  if (self->display != NULL)
    {
      g_clear_object (&self->display);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY]);
    }
  if (self->inputs != NULL)
    {
      g_clear_object (&self->inputs);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INPUTS]);
    }
  if (self->cursor != NULL)
    {
      g_clear_object (&self->cursor);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR]);
    }
  if (self->main != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->main, self);
      g_clear_object (&self->main);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAIN]);
    }
  on_agent (self);
}

static void
stop_session (VmdSpiceSession *self)
{
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_hash_table_remove_all (self->pending);

  if (self->session != NULL)
    {
      SpiceSession *session = g_steal_pointer (&self->session);

      g_signal_handlers_disconnect_by_data (session, self);
      drop_channels (self);
      spice_session_disconnect (session);
      g_object_unref (session);
    }
}

static void
start_session (VmdSpiceSession *self)
{
  stop_session (self);

  if (vmd_machine_get_state (self->machine) != VMD_MACHINE_STATE_RUNNING &&
      vmd_machine_get_state (self->machine) != VMD_MACHINE_STATE_PAUSED)
    {
      set_state (self, VMD_SPICE_STATE_DISCONNECTED, NULL);
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->session = spice_session_new ();
  /* No GL scanout until a dmabuf path exists: frames come as memory. No
   * sound or USB redirection here either. */
  g_object_set (self->session,
                "gl-scanout", FALSE,
                "enable-audio", FALSE,
                "enable-usbredir", FALSE,
                NULL);
  g_signal_connect_object (self->session, "channel-new", G_CALLBACK (on_channel_new), self, 0);

  set_state (self, VMD_SPICE_STATE_CONNECTING, NULL);
  request_fd (self, NULL);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  VmdSpiceSession *self = user_data;

  self->reconnect_source = 0;
  if (self->wanted)
    start_session (self);
  return G_SOURCE_REMOVE;
}

/* QEMU closes the screen's socket when it restarts the guest: connect
 * again while the guest runs. */
static void
schedule_reconnect (VmdSpiceSession *self)
{
  VmdMachineState state = vmd_machine_get_state (self->machine);

  if (!self->wanted || self->reconnect_source != 0 ||
      (state != VMD_MACHINE_STATE_RUNNING && state != VMD_MACHINE_STATE_PAUSED &&
       state != VMD_MACHINE_STATE_SHUTTING_DOWN))
    return;
  self->reconnect_source = g_timeout_add (RECONNECT_MS, reconnect_cb, self);
}

static void
on_machine_state (VmdSpiceSession *self)
{
  VmdMachineState state = vmd_machine_get_state (self->machine);

  if (!self->wanted)
    return;

  if (state == VMD_MACHINE_STATE_RUNNING || state == VMD_MACHINE_STATE_PAUSED)
    {
      if (self->session == NULL || self->state == VMD_SPICE_STATE_FAILED)
        start_session (self);
    }
  else if (state == VMD_MACHINE_STATE_SHUT_OFF || state == VMD_MACHINE_STATE_CRASHED)
    {
      stop_session (self);
      set_state (self, VMD_SPICE_STATE_DISCONNECTED, NULL);
    }
}

/* -- GObject ----------------------------------------------------------- */

static void
vmd_spice_session_dispose (GObject *object)
{
  VmdSpiceSession *self = (VmdSpiceSession *) object;

  self->wanted = FALSE;
  stop_session (self);
  if (self->machine != NULL)
    g_signal_handlers_disconnect_by_data (self->machine, self);
  g_clear_object (&self->machine);

  G_OBJECT_CLASS (vmd_spice_session_parent_class)->dispose (object);
}

static void
vmd_spice_session_finalize (GObject *object)
{
  VmdSpiceSession *self = (VmdSpiceSession *) object;

  g_free (self->error);
  g_hash_table_unref (self->pending);

  G_OBJECT_CLASS (vmd_spice_session_parent_class)->finalize (object);
}

static void
vmd_spice_session_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VmdSpiceSession *self = VMD_SPICE_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_DISPLAY:
      g_value_set_object (value, self->display);
      break;
    case PROP_INPUTS:
      g_value_set_object (value, self->inputs);
      break;
    case PROP_CURSOR:
      g_value_set_object (value, self->cursor);
      break;
    case PROP_MAIN:
      g_value_set_object (value, self->main);
      break;
    case PROP_AGENT:
      g_value_set_boolean (value, self->agent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_spice_session_class_init (VmdSpiceSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = vmd_spice_session_dispose;
  object_class->finalize = vmd_spice_session_finalize;
  object_class->get_property = vmd_spice_session_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, VMD_TYPE_SPICE_STATE, VMD_SPICE_STATE_DISCONNECTED, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  properties[PROP_DISPLAY] =
    g_param_spec_object ("display", NULL, NULL, SPICE_TYPE_DISPLAY_CHANNEL, ro);
  properties[PROP_INPUTS] =
    g_param_spec_object ("inputs", NULL, NULL, SPICE_TYPE_INPUTS_CHANNEL, ro);
  properties[PROP_CURSOR] =
    g_param_spec_object ("cursor", NULL, NULL, SPICE_TYPE_CURSOR_CHANNEL, ro);
  properties[PROP_MAIN] = g_param_spec_object ("main", NULL, NULL, SPICE_TYPE_MAIN_CHANNEL, ro);
  properties[PROP_AGENT] = g_param_spec_boolean ("agent", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_spice_session_init (VmdSpiceSession *self)
{
  self->pending = g_hash_table_new (g_direct_hash, g_direct_equal);
}

VmdSpiceSession *
vmd_spice_session_new (VmdMachine *machine)
{
  VmdSpiceSession *self;

  g_return_val_if_fail (VMD_IS_MACHINE (machine), NULL);

  self = g_object_new (VMD_TYPE_SPICE_SESSION, NULL);
  self->machine = g_object_ref (machine);
  g_signal_connect_object (machine, "notify::state", G_CALLBACK (on_machine_state), self,
                           G_CONNECT_SWAPPED);
  return self;
}

void
vmd_spice_session_connect (VmdSpiceSession *self)
{
  g_return_if_fail (VMD_IS_SPICE_SESSION (self));

  self->wanted = TRUE;
  if (self->session == NULL)
    start_session (self);
}

void
vmd_spice_session_disconnect (VmdSpiceSession *self)
{
  g_return_if_fail (VMD_IS_SPICE_SESSION (self));

  self->wanted = FALSE;
  stop_session (self);
  set_state (self, VMD_SPICE_STATE_DISCONNECTED, NULL);
}

VmdMachine *
vmd_spice_session_get_machine (VmdSpiceSession *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_SESSION (self), NULL);
  return self->machine;
}

VmdSpiceState
vmd_spice_session_get_state (VmdSpiceSession *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_SESSION (self), VMD_SPICE_STATE_DISCONNECTED);
  return self->state;
}

const char *
vmd_spice_session_get_error (VmdSpiceSession *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_SESSION (self), NULL);
  return self->error;
}

SpiceSession *
vmd_spice_session_get_session (VmdSpiceSession *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_SESSION (self), NULL);
  return self->session;
}

SpiceMainChannel *
vmd_spice_session_get_main (VmdSpiceSession *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_SESSION (self), NULL);
  return self->main;
}

SpiceDisplayChannel *
vmd_spice_session_get_display (VmdSpiceSession *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_SESSION (self), NULL);
  return self->display;
}

SpiceInputsChannel *
vmd_spice_session_get_inputs (VmdSpiceSession *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_SESSION (self), NULL);
  return self->inputs;
}

SpiceCursorChannel *
vmd_spice_session_get_cursor (VmdSpiceSession *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_SESSION (self), NULL);
  return self->cursor;
}

gboolean
vmd_spice_session_get_agent (VmdSpiceSession *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_SESSION (self), FALSE);
  return self->agent;
}
