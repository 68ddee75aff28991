/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-sound-button"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vmd-sound-button.h"

/* The machine's sound in the screen's header: mute, volume and the
 * microphone, in a popover. Shown only for a guest with a sound card; the
 * microphone's icon beside the speaker's says while the guest records. */

struct _VmdSoundButton
{
  GtkWidget      parent_instance;

  /* template */
  GtkWidget     *button;
  GtkWidget     *error_label;
  GtkWidget     *microphone_icon;
  GtkWidget     *microphone_switch;
  GtkWidget     *mute_button;
  GtkWidget     *popover;
  GtkAdjustment *volume_adjustment;
  GtkWidget     *volume_icon;

  /* owned */
  VmdSpiceAudio *audio;
  GPtrArray     *bindings;
};

G_DEFINE_FINAL_TYPE (VmdSoundButton, vmd_sound_button, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_AUDIO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
volume_icon_name (VmdSpiceAudio *audio)
{
  double volume = vmd_spice_audio_get_volume (audio);

  if (vmd_spice_audio_get_muted (audio) || volume <= 0.0)
    return "audio-volume-muted-symbolic";
  if (volume < 0.34)
    return "audio-volume-low-symbolic";
  if (volume < 0.67)
    return "audio-volume-medium-symbolic";
  return "audio-volume-high-symbolic";
}

static void
update (VmdSoundButton *self)
{
  const char *error;
  gboolean recording;

  if (self->audio == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  recording = vmd_spice_audio_get_recording (self->audio);
  error = vmd_spice_audio_get_error (self->audio);
  gtk_widget_set_visible (GTK_WIDGET (self), vmd_spice_audio_get_available (self->audio));
  gtk_image_set_from_icon_name (GTK_IMAGE (self->volume_icon), volume_icon_name (self->audio));
  gtk_widget_set_visible (self->microphone_icon, recording);
  gtk_widget_set_tooltip_text (self->button,
                               recording ? _("Sound (the machine is using the microphone)")
                                         : _("Sound"));
  gtk_label_set_label (GTK_LABEL (self->error_label), error);
  gtk_widget_set_visible (self->error_label, error != NULL);
}

VmdSpiceAudio *
vmd_sound_button_get_audio (VmdSoundButton *self)
{
  g_return_val_if_fail (VMD_IS_SOUND_BUTTON (self), NULL);
  return self->audio;
}

static void
bind (VmdSoundButton *self,
      const char     *property,
      gpointer        target,
      const char     *target_property)
{
  GBinding *binding = g_object_bind_property (self->audio, property, target, target_property,
                                              G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  g_ptr_array_add (self->bindings, g_object_ref (binding));
}

void
vmd_sound_button_set_audio (VmdSoundButton *self,
                            VmdSpiceAudio  *audio)
{
  g_return_if_fail (VMD_IS_SOUND_BUTTON (self));
  g_return_if_fail (audio == NULL || VMD_IS_SPICE_AUDIO (audio));

  if (self->audio == audio)
    return;

  for (guint i = 0; i < self->bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (self->bindings, i));
  g_ptr_array_set_size (self->bindings, 0);
  if (self->audio != NULL)
    g_signal_handlers_disconnect_by_data (self->audio, self);
  g_set_object (&self->audio, audio);

  if (audio != NULL)
    {
      bind (self, "volume", self->volume_adjustment, "value");
      bind (self, "muted", self->mute_button, "active");
      bind (self, "microphone", self->microphone_switch, "active");
      g_signal_connect_swapped (audio, "notify", G_CALLBACK (update), self);
    }
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO]);
}

static void
vmd_sound_button_dispose (GObject *object)
{
  VmdSoundButton *self = (VmdSoundButton *) object;

  if (self->bindings != NULL)
    vmd_sound_button_set_audio (self, NULL);
  g_clear_pointer (&self->bindings, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), VMD_TYPE_SOUND_BUTTON);

  G_OBJECT_CLASS (vmd_sound_button_parent_class)->dispose (object);
}

static void
vmd_sound_button_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  VmdSoundButton *self = VMD_SOUND_BUTTON (object);

  switch (prop_id)
    {
    case PROP_AUDIO:
      g_value_set_object (value, self->audio);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_sound_button_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  VmdSoundButton *self = VMD_SOUND_BUTTON (object);

  switch (prop_id)
    {
    case PROP_AUDIO:
      vmd_sound_button_set_audio (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_sound_button_class_init (VmdSoundButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_sound_button_dispose;
  object_class->get_property = vmd_sound_button_get_property;
  object_class->set_property = vmd_sound_button_set_property;

  properties[PROP_AUDIO] =
    g_param_spec_object ("audio", NULL, NULL, VMD_TYPE_SPICE_AUDIO,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/VmDesk/vmd-sound-button.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdSoundButton, button);
  gtk_widget_class_bind_template_child (widget_class, VmdSoundButton, error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdSoundButton, microphone_icon);
  gtk_widget_class_bind_template_child (widget_class, VmdSoundButton, microphone_switch);
  gtk_widget_class_bind_template_child (widget_class, VmdSoundButton, mute_button);
  gtk_widget_class_bind_template_child (widget_class, VmdSoundButton, popover);
  gtk_widget_class_bind_template_child (widget_class, VmdSoundButton, volume_adjustment);
  gtk_widget_class_bind_template_child (widget_class, VmdSoundButton, volume_icon);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
vmd_sound_button_init (VmdSoundButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->bindings = g_ptr_array_new_with_free_func (g_object_unref);
  update (self);
}

GtkWidget *
vmd_sound_button_new (void)
{
  return g_object_new (VMD_TYPE_SOUND_BUTTON, NULL);
}
