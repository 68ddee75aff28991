/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-spice-session"

#include "config.h"


#include <glib/gi18n-lib.h>

#include "vmd-machine-private.h"
#include "vmd-machine-settings.h"
#include "vmd-spice-session-private.h"
#include "vmd-spice-session-screen.h"

#define RECONNECT_MS 1000
#define CUT_RECONNECT_MS 3000
/* How long a session nobody shows stays connected: a screen opened again
 * meanwhile is there at once, and a user going back and forth never tears
 * a session down. */
#define LINGER_MS    3000
/* At most this long for every channel to finish linking before a session
 * is torn down anyway. */
#define SETTLE_MS    10000

/* A SPICE session to a running guest, one per machine, shared by whoever
 * shows it. The guest's SPICE server listens on no TCP port: every channel
 * gets its own socket from virDomainOpenGraphicsFD (fetched off the main
 * thread). The session follows the machine: it connects when the guest
 * runs, reconnects when QEMU restarts it, and tears down when the guest
 * stops.
 *
 * It is never torn down while a channel is linking: closing a channel's
 * socket in the middle of its handshake crashed spice-server's worker in
 * the guest's QEMU (and left spice-client-glib's coroutine reading a
 * session it no longer had). A session nobody shows any more lingers a few
 * seconds, then waits for its channels to settle, then disconnects. */

static GQuark machine_session_quark;

G_DEFINE_FINAL_TYPE (VmdSpiceSession, vmd_spice_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (VmdSpiceState, vmd_spice_state,
  G_DEFINE_ENUM_VALUE (VMD_SPICE_STATE_DISCONNECTED, "disconnected"),
  G_DEFINE_ENUM_VALUE (VMD_SPICE_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (VMD_SPICE_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (VMD_SPICE_STATE_FAILED, "failed"))

G_DEFINE_ENUM_TYPE (VmdSpiceFolder, vmd_spice_folder,
  G_DEFINE_ENUM_VALUE (VMD_SPICE_FOLDER_UNAVAILABLE, "unavailable"),
  G_DEFINE_ENUM_VALUE (VMD_SPICE_FOLDER_OFF, "off"),
  G_DEFINE_ENUM_VALUE (VMD_SPICE_FOLDER_WAITING, "waiting"),
  G_DEFINE_ENUM_VALUE (VMD_SPICE_FOLDER_SHARED, "shared"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_ERROR,
  PROP_DISPLAY,
  PROP_CURSOR,
  PROP_AGENT,
  PROP_FOLDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_session (VmdSpiceSession *self);

/* Whether the guest's QEMU is there to serve its screen. */
static gboolean
has_qemu (VmdMachineState state)
{
  return state == VMD_MACHINE_STATE_RUNNING || state == VMD_MACHINE_STATE_PAUSED ||
         state == VMD_MACHINE_STATE_SHUTTING_DOWN;
}

void
_vmd_spice_session_set_state (VmdSpiceSession *self,
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

/* -- channels ---------------------------------------------------------- */


static void
on_main_event (SpiceChannel     *channel,
               SpiceChannelEvent event,
               VmdSpiceSession  *self)
{
  switch (event)
    {
    case SPICE_CHANNEL_OPENED:
      self->cut = FALSE;
      _vmd_spice_session_set_state (self, VMD_SPICE_STATE_CONNECTED, NULL);
      /* Absolute pointer through the tablet, where the guest allows. */
      spice_main_channel_request_mouse_mode (self->main, SPICE_MOUSE_MODE_CLIENT);
      break;
    case SPICE_CHANNEL_CLOSED:
    case SPICE_CHANNEL_SWITCHING:
    case SPICE_CHANNEL_ERROR_CONNECT:
    case SPICE_CHANNEL_ERROR_TLS:
    case SPICE_CHANNEL_ERROR_LINK:
    case SPICE_CHANNEL_ERROR_AUTH:
    case SPICE_CHANNEL_ERROR_IO:
      /* Over SSH, the link is what goes: said until the screen is back. */
      if (self->remote && self->state == VMD_SPICE_STATE_CONNECTED)
        {
          self->cut = TRUE;
          _vmd_spice_session_set_state (self, VMD_SPICE_STATE_DISCONNECTED,
                                        _("The SSH link to the machine’s screen was cut."));
        }
      else if (event == SPICE_CHANNEL_CLOSED || event == SPICE_CHANNEL_SWITCHING)
        _vmd_spice_session_set_state (self, VMD_SPICE_STATE_DISCONNECTED, NULL);
      else
        _vmd_spice_session_set_state (self, VMD_SPICE_STATE_FAILED,
                                      _("The connection to the machine’s screen failed."));
      _vmd_spice_session_schedule_reconnect (self);
      break;
    case SPICE_CHANNEL_NONE:
    default:
      break;
    }
}

static void retire_if_settled (VmdSpiceSession *self);

static void
settled (VmdSpiceSession *self,
         SpiceChannel    *channel)
{
  if (g_hash_table_remove (self->linking, channel))
    retire_if_settled (self);
}

/* A channel has linked, or failed to. The display and the cursor are only
 * settled once the server's worker thread, which takes them over after the
 * link, has spoken on them: a reset while it sets them up is what crashed
 * it. */
static void
on_channel_event (SpiceChannel     *channel,
                  SpiceChannelEvent event,
                  VmdSpiceSession  *self)
{
  if (event == SPICE_CHANNEL_NONE || event == SPICE_CHANNEL_SWITCHING)
    return;
  if (event == SPICE_CHANNEL_OPENED &&
      (SPICE_IS_DISPLAY_CHANNEL (channel) || SPICE_IS_CURSOR_CHANNEL (channel)))
    return;
  settled (self, channel);
}

static void
on_display_mark (SpiceChannel    *channel,
                 int              mark,
                 VmdSpiceSession *self)
{
  settled (self, channel);
}

static void
on_display_primary (SpiceChannel    *channel,
                    int              format,
                    int              width,
                    int              height,
                    int              stride,
                    int              shmid,
                    gpointer         data,
                    VmdSpiceSession *self)
{
  settled (self, channel);
}

static void
on_cursor_reset (SpiceChannel    *channel,
                 VmdSpiceSession *self)
{
  settled (self, channel);
}


static void
on_channel_destroy (SpiceSession    *session,
                    SpiceChannel    *channel,
                    VmdSpiceSession *self)
{
  g_hash_table_remove (self->pending, channel);
  g_hash_table_remove (self->sockets, channel);
  _vmd_spice_audio_remove_channel (self->audio, channel);
  if (channel == self->webdav)
    {
      g_clear_object (&self->webdav);
      _vmd_spice_session_update_folder (self);
    }
  if (g_hash_table_remove (self->linking, channel))
    retire_if_settled (self);
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
  /* A new agent (the guest rebooted, or has just started one) knows
   * nothing of what the last one was asked. */
  self->sent_width = self->sent_height = 0;
  _vmd_spice_session_send_resolution (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT]);
}

static void
on_channel_new (SpiceSession    *session,
                SpiceChannel    *channel,
                VmdSpiceSession *self)
{
  int id;

  g_signal_connect_object (channel, "open-fd", G_CALLBACK (_vmd_spice_session_on_open_fd), self, 0);
  g_signal_connect_object (channel, "channel-event", G_CALLBACK (on_channel_event), self, 0);
  g_object_get (channel, "channel-id", &id, NULL);

  if (SPICE_IS_MAIN_CHANNEL (channel))
    {
      g_set_object (&self->main, SPICE_MAIN_CHANNEL (channel));
      g_signal_connect_object (channel, "channel-event", G_CALLBACK (on_main_event), self, 0);
      g_signal_connect_object (channel, "notify::agent-connected", G_CALLBACK (on_agent), self,
                               G_CONNECT_SWAPPED);
      _vmd_spice_input_set_channels (self->input, self->inputs, self->main);
      _vmd_spice_clipboard_set_main (self->clipboard, self->main);
    }
  else if (SPICE_IS_DISPLAY_CHANNEL (channel) && id == 0)
    {
      g_signal_connect_object (channel, "display-mark", G_CALLBACK (on_display_mark), self, 0);
      g_signal_connect_object (channel, "display-primary-create", G_CALLBACK (on_display_primary),
                               self, 0);
      g_set_object (&self->display, SPICE_DISPLAY_CHANNEL (channel));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY]);
    }
  else if (SPICE_IS_INPUTS_CHANNEL (channel))
    {
      g_set_object (&self->inputs, SPICE_INPUTS_CHANNEL (channel));
      _vmd_spice_input_set_channels (self->input, self->inputs, self->main);
    }
  else if (SPICE_IS_CURSOR_CHANNEL (channel) && id == 0)
    {
      g_signal_connect_object (channel, "cursor-reset", G_CALLBACK (on_cursor_reset), self, 0);
      g_set_object (&self->cursor, SPICE_CURSOR_CHANNEL (channel));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR]);
    }
  else if (SPICE_IS_PLAYBACK_CHANNEL (channel) || SPICE_IS_RECORD_CHANNEL (channel))
    _vmd_spice_audio_add_channel (self->audio, channel);
  else if (SPICE_IS_USBREDIR_CHANNEL (channel))
    _vmd_spice_usb_add_channel (self->usb);
  else if (SPICE_IS_WEBDAV_CHANNEL (channel))
    {
      g_set_object (&self->webdav, channel);
      self->webdav_connected = FALSE;
      g_signal_connect_object (channel, "notify::port-opened", G_CALLBACK (_vmd_spice_session_update_folder), self,
                               G_CONNECT_SWAPPED);
      _vmd_spice_session_sync_folder (self);
      return;
    }
  else
    return;

  g_hash_table_add (self->linking, channel);
  if (!SPICE_IS_MAIN_CHANNEL (channel))
    spice_channel_connect (channel);
}

static void
drop_channels (VmdSpiceSession *self)
{
  g_clear_object (&self->webdav);
  _vmd_spice_session_update_folder (self);
  if (self->display != NULL)
    {
      g_clear_object (&self->display);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY]);
    }
  _vmd_spice_input_set_channels (self->input, NULL, NULL);
  _vmd_spice_clipboard_set_main (self->clipboard, NULL);
  g_clear_object (&self->inputs);
  if (self->cursor != NULL)
    {
      g_clear_object (&self->cursor);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR]);
    }
  if (self->main != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->main, self);
      g_clear_object (&self->main);
    }
  on_agent (self);
}

/* Tears the session down now. */
static void
stop_session (VmdSpiceSession *self)
{
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  g_clear_handle_id (&self->settle_source, g_source_remove);
  self->retiring = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->tunnel != NULL)
    vmd_ssh_tunnel_close (self->tunnel);
  g_hash_table_remove_all (self->pending);
  g_hash_table_remove_all (self->linking);

  if (self->session != NULL)
    {
      SpiceSession *session = g_steal_pointer (&self->session);
      GList *channels = spice_session_get_channels (session);

      for (GList *l = channels; l != NULL; l = l->next)
        {
          g_signal_handlers_disconnect_by_data (l->data, self);
          _vmd_spice_audio_remove_channel (self->audio, l->data);
        }
      g_list_free (channels);
      g_signal_handlers_disconnect_by_data (session, self);
      drop_channels (self);
      _vmd_spice_usb_set_session (self->usb, NULL);
      /* spice-client-glib holds the session until its channels are gone. */
      spice_session_disconnect (session);
      _vmd_spice_session_shut_all_sockets (self);
      g_object_unref (session);
    }
}

static gboolean
settle_timeout_cb (gpointer user_data)
{
  VmdSpiceSession *self = user_data;

  self->settle_source = 0;
  {
    g_autoptr(GString) names = g_string_new (NULL);
    GHashTableIter iter;
    gpointer channel;

    g_hash_table_iter_init (&iter, self->linking);
    while (g_hash_table_iter_next (&iter, &channel, NULL))
      g_string_append_printf (names, " %s%s", G_OBJECT_TYPE_NAME (channel),
                              g_hash_table_contains (self->pending, channel) ? " (no socket yet)" : "");
    g_message ("SPICE channels still linking after %d s, disconnecting:%s", SETTLE_MS / 1000,
               names->str);
  }
  g_hash_table_remove_all (self->linking);
  retire_if_settled (self);
  return G_SOURCE_REMOVE;
}

/* Nobody shows the session: it goes once no channel is linking. */
static void
retire_if_settled (VmdSpiceSession *self)
{
  if (!self->retiring || g_hash_table_size (self->linking) > 0)
    return;
  stop_session (self);
  self->cut = FALSE;
  _vmd_spice_session_set_state (self, VMD_SPICE_STATE_DISCONNECTED, NULL);
  /* The reference the lingering took. */
  g_object_unref (self);
}

static void
retire (VmdSpiceSession *self)
{
  self->retiring = TRUE;
  if (g_hash_table_size (self->linking) > 0)
    self->settle_source = g_timeout_add (SETTLE_MS, settle_timeout_cb, self);
  retire_if_settled (self);
}

/* How long a session nobody shows lingers: LINGER_MS, or
 * VMD_SPICE_LINGER_MS (read once), or what vmd_spice_session_set_linger()
 * said last. -1 while not known. */
static gint linger = -1;

static guint
linger_ms (void)
{
  gint ms = g_atomic_int_get (&linger);

  if (ms < 0)
    {
      const char *env = g_getenv ("VMD_SPICE_LINGER_MS");

      ms = env != NULL ? (gint) MIN (g_ascii_strtoull (env, NULL, 10), G_MAXINT) : LINGER_MS;
      g_atomic_int_compare_and_exchange (&linger, -1, ms);
      ms = g_atomic_int_get (&linger);
    }
  return (guint) ms;
}

/**
 * vmd_spice_session_set_linger:
 * @ms: how long a session nobody shows stays connected (0: it goes at
 *   once; negative: the default)
 *
 * For tests, which change it while threads run: unlike the environment,
 * safe at any time.
 */
void
vmd_spice_session_set_linger (int ms)
{
  g_atomic_int_set (&linger, ms >= 0 ? ms : LINGER_MS);
}

static gboolean
linger_cb (gpointer user_data)
{
  VmdSpiceSession *self = user_data;

  self->linger_source = 0;
  retire (self);
  return G_SOURCE_REMOVE;
}

static void
start_session (VmdSpiceSession *self)
{
  g_autofree char *why = g_strdup (self->error);

  stop_session (self);

  if (!has_qemu (vmd_machine_get_state (self->machine)))
    {
      _vmd_spice_session_set_state (self, VMD_SPICE_STATE_DISCONNECTED, NULL);
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->session = spice_session_new ();
  /* No GL scanout until a dmabuf path exists: frames come as memory.
   * Sound is VmdSpiceAudio's, USB devices VmdSpiceUsb's (spice-client-glib
   * makes no audio or usbredir channel without enable-audio and
   * enable-usbredir). */
  g_object_set (self->session,
                "gl-scanout", FALSE,
                "enable-audio", TRUE,
                "enable-usbredir", TRUE,
                NULL);
  _vmd_spice_usb_set_session (self->usb, self->session);
  g_signal_connect_object (self->session, "channel-new", G_CALLBACK (on_channel_new), self, 0);
  g_signal_connect_object (self->session, "channel-destroy", G_CALLBACK (on_channel_destroy), self,
                           0);

  /* A cut link is still said while the screen comes back. */
  _vmd_spice_session_set_state (self, VMD_SPICE_STATE_CONNECTING, self->cut ? why : NULL);
  _vmd_spice_session_request_fd (self, NULL);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  VmdSpiceSession *self = user_data;

  self->reconnect_source = 0;
  if (self->users > 0)
    start_session (self);
  return G_SOURCE_REMOVE;
}

/* QEMU closes the screen's socket when it restarts the guest: connect
 * again while the guest runs. Over a cut SSH link, every few seconds until
 * the link is back. */
void
_vmd_spice_session_schedule_reconnect (VmdSpiceSession *self)
{
  VmdMachineState state = vmd_machine_get_state (self->machine);

  if (self->users == 0 || self->reconnect_source != 0 || !has_qemu (state))
    return;
  self->reconnect_source = g_timeout_add (self->cut ? CUT_RECONNECT_MS : RECONNECT_MS,
                                          reconnect_cb, self);
}

static void
on_machine_state (VmdSpiceSession *self)
{
  g_autoptr(VmdSpiceSession) hold = g_object_ref (self);
  VmdMachineState state = vmd_machine_get_state (self->machine);

  if (state == VMD_MACHINE_STATE_SHUT_OFF || state == VMD_MACHINE_STATE_CRASHED)
    {
      /* QEMU is gone: no channel is linking with it any more. */
      g_hash_table_remove_all (self->linking);
      if (self->retiring)
        retire_if_settled (self);
      else
        {
          stop_session (self);
          _vmd_spice_session_set_state (self, VMD_SPICE_STATE_DISCONNECTED, NULL);
        }
      return;
    }

  if (self->users > 0 && has_qemu (state) &&
      (self->session == NULL || self->state == VMD_SPICE_STATE_FAILED))
    start_session (self);
}

/* -- GObject ----------------------------------------------------------- */

static void
vmd_spice_session_dispose (GObject *object)
{
  VmdSpiceSession *self = (VmdSpiceSession *) object;

  self->users = 0;
  g_clear_handle_id (&self->linger_source, g_source_remove);
  stop_session (self);
  if (self->machine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->machine, self);
      if (g_object_get_qdata (G_OBJECT (self->machine), machine_session_quark) == self)
        g_object_set_qdata (G_OBJECT (self->machine), machine_session_quark, NULL);
    }
  g_clear_object (&self->machine);
  g_clear_object (&self->audio);
  g_clear_object (&self->usb);
  g_clear_object (&self->input);
  g_clear_object (&self->clipboard);
  g_clear_object (&self->tunnel);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (vmd_spice_session_parent_class)->dispose (object);
}

static void
vmd_spice_session_finalize (GObject *object)
{
  VmdSpiceSession *self = (VmdSpiceSession *) object;

  g_free (self->error);
  g_hash_table_unref (self->pending);
  g_hash_table_unref (self->linking);
  g_hash_table_unref (self->sockets);

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
    case PROP_CURSOR:
      g_value_set_object (value, self->cursor);
      break;
    case PROP_AGENT:
      g_value_set_boolean (value, self->agent);
      break;
    case PROP_FOLDER:
      g_value_set_enum (value, self->folder);
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
  properties[PROP_CURSOR] =
    g_param_spec_object ("cursor", NULL, NULL, SPICE_TYPE_CURSOR_CHANNEL, ro);
  properties[PROP_AGENT] = g_param_spec_boolean ("agent", NULL, NULL, FALSE, ro);
  properties[PROP_FOLDER] = g_param_spec_enum ("folder", NULL, NULL, VMD_TYPE_SPICE_FOLDER,
                                               VMD_SPICE_FOLDER_UNAVAILABLE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  machine_session_quark = g_quark_from_static_string ("vmd-spice-session");
}

static void
vmd_spice_session_init (VmdSpiceSession *self)
{
  self->pending = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->linking = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->sockets = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, _vmd_spice_session_drop_socket);
  self->audio = _vmd_spice_audio_new ();
  self->input = _vmd_spice_input_new ();
  self->clipboard = _vmd_spice_clipboard_new ();
  self->tunnel = vmd_ssh_tunnel_new ();
}

/**
 * vmd_spice_session_dup_for_machine:
 * @machine: a machine
 *
 * The machine's SPICE session: the one everybody who shows the machine
 * shares, made on first use.
 *
 * Returns: (transfer full): the session
 */
VmdSpiceSession *
vmd_spice_session_dup_for_machine (VmdMachine *machine)
{
  VmdSpiceSession *self;

  g_return_val_if_fail (VMD_IS_MACHINE (machine), NULL);

  g_type_ensure (VMD_TYPE_SPICE_SESSION);
  self = g_object_get_qdata (G_OBJECT (machine), machine_session_quark);
  if (self != NULL)
    return g_object_ref (self);

  self = g_object_new (VMD_TYPE_SPICE_SESSION, NULL);
  self->machine = g_object_ref (machine);
  g_object_set_qdata (G_OBJECT (machine), machine_session_quark, self);
  g_signal_connect_object (machine, "notify::state", G_CALLBACK (on_machine_state), self,
                           G_CONNECT_SWAPPED);
  self->settings = vmd_machine_settings_new (machine);
  self->usb = _vmd_spice_usb_new (self->settings);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed", G_CALLBACK (_vmd_spice_session_sync_folder), self,
                             G_CONNECT_SWAPPED);
  return self;
}

/* One more user: connects, or keeps a lingering session. */
void
vmd_spice_session_connect (VmdSpiceSession *self)
{
  g_return_if_fail (VMD_IS_SPICE_SESSION (self));

  if (self->users++ > 0)
    return;

  if (self->linger_source != 0)
    {
      /* Back within the linger: the session it kept is this one's. */
      g_clear_handle_id (&self->linger_source, g_source_remove);
      g_object_unref (self);
    }
  else if (self->retiring)
    {
      /* Still waiting for its channels to link: it stays. */
      self->retiring = FALSE;
      g_clear_handle_id (&self->settle_source, g_source_remove);
      g_object_unref (self);
    }

  /* A session that closed while it lingered (its reconnection went with
   * the last user) starts again. */
  if (self->session == NULL || self->state == VMD_SPICE_STATE_DISCONNECTED ||
      self->state == VMD_SPICE_STATE_FAILED)
    start_session (self);
}

/* One user fewer: the last one's session lingers, then goes once its
 * channels have settled. The session keeps itself alive meanwhile. */
void
vmd_spice_session_disconnect (VmdSpiceSession *self)
{
  g_return_if_fail (VMD_IS_SPICE_SESSION (self));
  g_return_if_fail (self->users > 0);

  if (--self->users > 0)
    return;

  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  g_object_ref (self);
  self->linger_source = g_timeout_add (linger_ms (), linger_cb, self);
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

SpiceDisplayChannel *
vmd_spice_session_get_display_channel (VmdSpiceSession *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_SESSION (self), NULL);
  return self->display;
}

SpiceCursorChannel *
vmd_spice_session_get_cursor_channel (VmdSpiceSession *self)
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
