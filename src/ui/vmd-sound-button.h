/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "vmd-spice-audio.h"

G_BEGIN_DECLS

#define VMD_TYPE_SOUND_BUTTON (vmd_sound_button_get_type ())

G_DECLARE_FINAL_TYPE (VmdSoundButton, vmd_sound_button, VMD, SOUND_BUTTON, GtkWidget)

GtkWidget     *vmd_sound_button_new       (void);
VmdSpiceAudio *vmd_sound_button_get_audio (VmdSoundButton *self);
void           vmd_sound_button_set_audio (VmdSoundButton *self,
                                           VmdSpiceAudio  *audio);

G_END_DECLS
