/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-spice-audio"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/audio/streamvolume.h>
#include <gst/gst.h>

#include "vmd-spice-session-private.h"

/* The guest's sound card, on the desktop: what its playback channel sends
 * is played through the desktop's sound server, and the desktop's
 * microphone is recorded for its record channel, both with GStreamer.
 *
 * spice-client-glib's own SpiceAudio plays the same streams, but its volume
 * and mute are the guest's, and setting them on the channel does nothing:
 * the volume and mute here are the window's, in a volume element of our
 * own. SpiceAudio only takes channels that nobody connected before it, and
 * the session connects these two as soon as they are made, so both never
 * play one stream. */

struct _VmdSpiceAudio
{
  GObject               parent_instance;

  SpicePlaybackChannel *playback;
  SpiceRecordChannel   *record;
  GstElement           *player;      /* appsrc ! … ! volume ! autoaudiosink */
  GstElement           *recorder;    /* autoaudiosrc ! … ! appsink */
  char                 *error;
  double                volume;
  int                   rate[2];     /* the streams' formats: playback, record */
  int                   channels[2];
  guint                 muted : 1;
  guint                 microphone : 1;
  guint                 playing : 1;
  guint                 recording : 1;
};

G_DEFINE_FINAL_TYPE (VmdSpiceAudio, vmd_spice_audio, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AVAILABLE,
  PROP_PLAYING,
  PROP_RECORDING,
  PROP_ERROR,
  PROP_VOLUME,
  PROP_MUTED,
  PROP_MICROPHONE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { PLAYER, RECORDER };

static void
set_flag (VmdSpiceAudio *self,
          int            prop,
          gboolean       value)
{
  value = !!value;
  if (prop == PROP_PLAYING)
    {
      if (self->playing == value)
        return;
      self->playing = value;
    }
  else
    {
      if (self->recording == value)
        return;
      self->recording = value;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_error (VmdSpiceAudio *self,
           const char    *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
drop_pipeline (GstElement **pipeline)
{
  g_autoptr(GstBus) bus = NULL;

  if (*pipeline == NULL)
    return;
  bus = gst_pipeline_get_bus (GST_PIPELINE (*pipeline));
  gst_bus_remove_watch (bus);
  gst_element_set_state (*pipeline, GST_STATE_NULL);
  gst_clear_object (pipeline);
}

static gboolean
on_bus_message (GstBus        *bus,
                GstMessage    *message,
                VmdSpiceAudio *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *debug = NULL;
  gboolean player;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR)
    return G_SOURCE_CONTINUE;

  player = GST_MESSAGE_SRC (message) != NULL && self->player != NULL &&
           gst_object_has_as_ancestor (GST_MESSAGE_SRC (message), GST_OBJECT (self->player));
  gst_message_parse_error (message, &error, &debug);
  g_message ("%s: %s (%s)", player ? "Playback" : "Recording", error->message,
             debug ? debug : "");
  set_error (self, player ? _("The machine’s sound cannot be played: the desktop has no sound "
                              "output VmDesk can use.")
                          : _("The microphone cannot be recorded: the desktop has no sound "
                              "input VmDesk can use."));
  if (player)
    {
      drop_pipeline (&self->player);
      set_flag (self, PROP_PLAYING, FALSE);
    }
  else
    {
      drop_pipeline (&self->recorder);
      set_flag (self, PROP_RECORDING, FALSE);
    }
  /* Its watch went with the pipeline. */
  return G_SOURCE_CONTINUE;
}

static GstCaps *
stream_caps (int channels,
             int rate)
{
  return gst_caps_new_simple ("audio/x-raw",
                              "format", G_TYPE_STRING, "S16LE",
                              "layout", G_TYPE_STRING, "interleaved",
                              "channels", G_TYPE_INT, channels,
                              "rate", G_TYPE_INT, rate,
                              NULL);
}

/* A pipeline of @names (factory names), linked in order; NULL when one is
 * missing from this machine's GStreamer. */
static GstElement *
make_pipeline (VmdSpiceAudio      *self,
               const char         *name,
               const char * const *factories)
{
  g_autoptr(GstElement) pipeline = gst_pipeline_new (name);
  g_autoptr(GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (pipeline));
  GstElement *previous = NULL;

  for (guint i = 0; factories[i] != NULL; i++)
    {
      GstElement *element = gst_element_factory_make (factories[i], factories[i]);

      if (element == NULL)
        {
          g_message ("GStreamer has no %s: no sound", factories[i]);
          return NULL;
        }
      gst_bin_add (GST_BIN (pipeline), element);
      if (previous != NULL && !gst_element_link (previous, element))
        return NULL;
      previous = element;
    }
  gst_bus_add_watch (bus, (GstBusFunc) on_bus_message, self);
  return g_steal_pointer (&pipeline);
}

static GstElement *
get_element (GstElement *pipeline,
             const char *name)
{
  g_autoptr(GstElement) element = gst_bin_get_by_name (GST_BIN (pipeline), name);

  /* The pipeline holds it as long as it is there. */
  return element;
}

static void
apply_volume (VmdSpiceAudio *self)
{
  GstElement *volume;

  if (self->player == NULL || (volume = get_element (self->player, "volume")) == NULL)
    return;
  g_object_set (volume,
                "volume", gst_stream_volume_convert_volume (GST_STREAM_VOLUME_FORMAT_CUBIC,
                                                            GST_STREAM_VOLUME_FORMAT_LINEAR,
                                                            self->volume),
                "mute", (gboolean) self->muted,
                NULL);
}

/* -- playback ---------------------------------------------------------- */

static void
on_playback_start (SpicePlaybackChannel *channel,
                   int                   format,
                   int                   channels,
                   int                   rate,
                   VmdSpiceAudio        *self)
{
  static const char * const factories[] = { "appsrc", "queue", "audioconvert", "audioresample",
                                             "volume", "autoaudiosink", NULL };
  g_autoptr(GstCaps) caps = NULL;

  g_return_if_fail (format == SPICE_AUDIO_FMT_S16);

  if (self->player != NULL && (self->rate[PLAYER] != rate || self->channels[PLAYER] != channels))
    drop_pipeline (&self->player);
  if (self->player == NULL)
    {
      self->player = make_pipeline (self, "vmd-playback", factories);
      if (self->player == NULL)
        return;
      caps = stream_caps (channels, rate);
      /* Timestamped as they come: the volume element's mute turns buffers
       * into gaps, which need a time. */
      g_object_set (get_element (self->player, "appsrc"),
                    "caps", caps, "format", GST_FORMAT_TIME, "is-live", TRUE,
                    "do-timestamp", TRUE, NULL);
      self->rate[PLAYER] = rate;
      self->channels[PLAYER] = channels;
    }
  apply_volume (self);
  set_error (self, NULL);
  gst_element_set_state (self->player, GST_STATE_PLAYING);
  set_flag (self, PROP_PLAYING, TRUE);
}

static void
on_playback_data (SpicePlaybackChannel *channel,
                  gpointer              data,
                  int                   size,
                  VmdSpiceAudio        *self)
{
  GstElement *source;

  if (self->player == NULL || size <= 0 || (source = get_element (self->player, "appsrc")) == NULL)
    return;
  gst_app_src_push_buffer (GST_APP_SRC (source),
                           gst_buffer_new_wrapped (g_memdup2 (data, (gsize) size), (gsize) size));
}

static void
on_playback_stop (SpicePlaybackChannel *channel,
                  VmdSpiceAudio        *self)
{
  if (self->player != NULL)
    gst_element_set_state (self->player, GST_STATE_READY);
  set_flag (self, PROP_PLAYING, FALSE);
}

/* The guest's clock follows what the desktop still has to play, which
 * keeps its video streams in step with the sound. */
static void
on_playback_get_delay (SpicePlaybackChannel *channel,
                       VmdSpiceAudio        *self)
{
  g_autoptr(GstQuery) query = gst_query_new_latency ();
  GstClockTime min_latency = 0;

  if (self->player == NULL || !gst_element_query (self->player, query))
    return;
  gst_query_parse_latency (query, NULL, &min_latency, NULL);
  spice_playback_channel_set_delay (channel, (guint32) GST_TIME_AS_MSECONDS (min_latency));
}

/* -- record ------------------------------------------------------------ */

static GstFlowReturn
on_new_sample (GstAppSink *sink,
               gpointer    data)
{
  /* A streaming thread: the channel is the main context's, the bus
   * carries the news there. */
  gst_element_post_message (GST_ELEMENT (sink),
                            gst_message_new_application (GST_OBJECT (sink),
                                                         gst_structure_new_empty ("sample")));
  return GST_FLOW_OK;
}

static gboolean
on_recorder_message (GstBus        *bus,
                     GstMessage    *message,
                     VmdSpiceAudio *self)
{
  GstElement *sink;
  GstSample *sample;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_APPLICATION)
    return on_bus_message (bus, message, self);
  if (self->recorder == NULL || self->record == NULL ||
      (sink = get_element (self->recorder, "appsink")) == NULL)
    return G_SOURCE_CONTINUE;

  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 0)) != NULL)
    {
      GstBuffer *buffer = gst_sample_get_buffer (sample);
      GstMapInfo map;

      if (buffer != NULL && gst_buffer_map (buffer, &map, GST_MAP_READ))
        {
          spice_record_channel_send_data (self->record, map.data, map.size, 0);
          gst_buffer_unmap (buffer, &map);
        }
      gst_sample_unref (sample);
    }
  return G_SOURCE_CONTINUE;
}

static void
start_recording (VmdSpiceAudio *self)
{
  static const char * const factories[] = { "autoaudiosrc", "queue", "audioconvert",
                                            "audioresample", "appsink", NULL };
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstElement *sink;

  if (self->recorder == NULL)
    {
      self->recorder = make_pipeline (self, "vmd-record", factories);
      if (self->recorder == NULL)
        return;
      bus = gst_pipeline_get_bus (GST_PIPELINE (self->recorder));
      gst_bus_remove_watch (bus);
      gst_bus_add_watch (bus, (GstBusFunc) on_recorder_message, self);
      sink = get_element (self->recorder, "appsink");
      caps = stream_caps (self->channels[RECORDER], self->rate[RECORDER]);
      g_object_set (sink, "caps", caps, NULL);
      gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, NULL, NULL);
    }
  gst_element_set_state (self->recorder, GST_STATE_PLAYING);
  set_flag (self, PROP_RECORDING, TRUE);
}

static void
on_record_start (SpiceRecordChannel *channel,
                 int                 format,
                 int                 channels,
                 int                 rate,
                 VmdSpiceAudio      *self)
{
  g_return_if_fail (format == SPICE_AUDIO_FMT_S16);

  if (self->rate[RECORDER] != rate || self->channels[RECORDER] != channels)
    drop_pipeline (&self->recorder);
  self->rate[RECORDER] = rate;
  self->channels[RECORDER] = channels;
  /* The microphone is only opened while the guest records and the user
   * lets it. */
  if (self->microphone)
    start_recording (self);
}

static void
stop_recording (VmdSpiceAudio *self)
{
  drop_pipeline (&self->recorder);
  set_flag (self, PROP_RECORDING, FALSE);
}

static void
on_record_stop (SpiceRecordChannel *channel,
                VmdSpiceAudio      *self)
{
  self->rate[RECORDER] = 0;
  stop_recording (self);
}

/* -- channels ---------------------------------------------------------- */

void
_vmd_spice_audio_add_channel (VmdSpiceAudio *self,
                              SpiceChannel  *channel)
{
  g_return_if_fail (VMD_IS_SPICE_AUDIO (self));

  if (SPICE_IS_PLAYBACK_CHANNEL (channel))
    {
      _vmd_spice_audio_remove_channel (self, SPICE_CHANNEL (self->playback));
      self->playback = g_object_ref (SPICE_PLAYBACK_CHANNEL (channel));
      g_signal_connect_object (channel, "playback-start", G_CALLBACK (on_playback_start), self, 0);
      g_signal_connect_object (channel, "playback-data", G_CALLBACK (on_playback_data), self, 0);
      g_signal_connect_object (channel, "playback-stop", G_CALLBACK (on_playback_stop), self, 0);
      g_signal_connect_object (channel, "playback-get-delay", G_CALLBACK (on_playback_get_delay),
                               self, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
    }
  else if (SPICE_IS_RECORD_CHANNEL (channel))
    {
      _vmd_spice_audio_remove_channel (self, SPICE_CHANNEL (self->record));
      self->record = g_object_ref (SPICE_RECORD_CHANNEL (channel));
      g_signal_connect_object (channel, "record-start", G_CALLBACK (on_record_start), self, 0);
      g_signal_connect_object (channel, "record-stop", G_CALLBACK (on_record_stop), self, 0);
    }
}

void
_vmd_spice_audio_remove_channel (VmdSpiceAudio *self,
                                 SpiceChannel  *channel)
{
  g_return_if_fail (VMD_IS_SPICE_AUDIO (self));

  if (channel == NULL)
    return;
  if (channel == SPICE_CHANNEL (self->playback))
    {
      g_signal_handlers_disconnect_by_data (channel, self);
      g_clear_object (&self->playback);
      drop_pipeline (&self->player);
      set_flag (self, PROP_PLAYING, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
    }
  else if (channel == SPICE_CHANNEL (self->record))
    {
      g_signal_handlers_disconnect_by_data (channel, self);
      g_clear_object (&self->record);
      self->rate[RECORDER] = 0;
      stop_recording (self);
    }
}

/* -- public ------------------------------------------------------------ */

gboolean
vmd_spice_audio_get_available (VmdSpiceAudio *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_AUDIO (self), FALSE);
  return self->playback != NULL;
}

gboolean
vmd_spice_audio_get_playing (VmdSpiceAudio *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_AUDIO (self), FALSE);
  return self->playing;
}

gboolean
vmd_spice_audio_get_recording (VmdSpiceAudio *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_AUDIO (self), FALSE);
  return self->recording;
}

const char *
vmd_spice_audio_get_error (VmdSpiceAudio *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_AUDIO (self), NULL);
  return self->error;
}

double
vmd_spice_audio_get_volume (VmdSpiceAudio *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_AUDIO (self), 0.0);
  return self->volume;
}

/**
 * vmd_spice_audio_set_volume:
 * @volume: from 0 (silence) to 1 (the guest's sound as it is), on a cubic
 *   scale, as the desktop's volume sliders are
 */
void
vmd_spice_audio_set_volume (VmdSpiceAudio *self,
                            double         volume)
{
  g_return_if_fail (VMD_IS_SPICE_AUDIO (self));

  volume = CLAMP (volume, 0.0, 1.0);
  if (G_APPROX_VALUE (self->volume, volume, 1e-6))
    return;
  self->volume = volume;
  apply_volume (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
}

gboolean
vmd_spice_audio_get_muted (VmdSpiceAudio *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_AUDIO (self), FALSE);
  return self->muted;
}

void
vmd_spice_audio_set_muted (VmdSpiceAudio *self,
                           gboolean       muted)
{
  g_return_if_fail (VMD_IS_SPICE_AUDIO (self));

  if (self->muted == !!muted)
    return;
  self->muted = !!muted;
  apply_volume (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

gboolean
vmd_spice_audio_get_microphone (VmdSpiceAudio *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_AUDIO (self), FALSE);
  return self->microphone;
}

/* Off: the desktop's microphone is closed at once, and the guest records
 * nothing until it is on again. */
void
vmd_spice_audio_set_microphone (VmdSpiceAudio *self,
                                gboolean       microphone)
{
  g_return_if_fail (VMD_IS_SPICE_AUDIO (self));

  if (self->microphone == !!microphone)
    return;
  self->microphone = !!microphone;
  if (!self->microphone)
    stop_recording (self);
  else if (self->record != NULL && self->rate[RECORDER] > 0)
    start_recording (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MICROPHONE]);
}

/* -- GObject ----------------------------------------------------------- */

static void
vmd_spice_audio_dispose (GObject *object)
{
  VmdSpiceAudio *self = (VmdSpiceAudio *) object;

  _vmd_spice_audio_remove_channel (self, SPICE_CHANNEL (self->playback));
  _vmd_spice_audio_remove_channel (self, SPICE_CHANNEL (self->record));
  drop_pipeline (&self->player);
  drop_pipeline (&self->recorder);

  G_OBJECT_CLASS (vmd_spice_audio_parent_class)->dispose (object);
}

static void
vmd_spice_audio_finalize (GObject *object)
{
  VmdSpiceAudio *self = (VmdSpiceAudio *) object;

  g_free (self->error);

  G_OBJECT_CLASS (vmd_spice_audio_parent_class)->finalize (object);
}

static void
vmd_spice_audio_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VmdSpiceAudio *self = VMD_SPICE_AUDIO (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, vmd_spice_audio_get_available (self));
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_RECORDING:
      g_value_set_boolean (value, self->recording);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_VOLUME:
      g_value_set_double (value, self->volume);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_MICROPHONE:
      g_value_set_boolean (value, self->microphone);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_spice_audio_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VmdSpiceAudio *self = VMD_SPICE_AUDIO (object);

  switch (prop_id)
    {
    case PROP_VOLUME:
      vmd_spice_audio_set_volume (self, g_value_get_double (value));
      break;
    case PROP_MUTED:
      vmd_spice_audio_set_muted (self, g_value_get_boolean (value));
      break;
    case PROP_MICROPHONE:
      vmd_spice_audio_set_microphone (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_spice_audio_class_init (VmdSpiceAudioClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = vmd_spice_audio_dispose;
  object_class->finalize = vmd_spice_audio_finalize;
  object_class->get_property = vmd_spice_audio_get_property;
  object_class->set_property = vmd_spice_audio_set_property;

  properties[PROP_AVAILABLE] = g_param_spec_boolean ("available", NULL, NULL, FALSE, ro);
  properties[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE, ro);
  properties[PROP_RECORDING] = g_param_spec_boolean ("recording", NULL, NULL, FALSE, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  properties[PROP_VOLUME] = g_param_spec_double ("volume", NULL, NULL, 0.0, 1.0, 1.0, rw);
  properties[PROP_MUTED] = g_param_spec_boolean ("muted", NULL, NULL, FALSE, rw);
  properties[PROP_MICROPHONE] = g_param_spec_boolean ("microphone", NULL, NULL, TRUE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_spice_audio_init (VmdSpiceAudio *self)
{
  self->volume = 1.0;
  self->microphone = TRUE;
}

VmdSpiceAudio *
_vmd_spice_audio_new (void)
{
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  return g_object_new (VMD_TYPE_SPICE_AUDIO, NULL);
}
