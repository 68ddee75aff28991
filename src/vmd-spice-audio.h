/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "vmd-types.h"

#include <gio/gio.h>

G_BEGIN_DECLS

#define VMD_TYPE_SPICE_AUDIO (vmd_spice_audio_get_type ())

G_DECLARE_FINAL_TYPE (VmdSpiceAudio, vmd_spice_audio, VMD, SPICE_AUDIO, GObject)

gboolean    vmd_spice_audio_get_available  (VmdSpiceAudio *self);
gboolean    vmd_spice_audio_get_playing    (VmdSpiceAudio *self);
gboolean    vmd_spice_audio_get_recording  (VmdSpiceAudio *self);
const char *vmd_spice_audio_get_error      (VmdSpiceAudio *self);
double      vmd_spice_audio_get_volume     (VmdSpiceAudio *self);
void        vmd_spice_audio_set_volume     (VmdSpiceAudio *self,
                                            double         volume);
gboolean    vmd_spice_audio_get_muted      (VmdSpiceAudio *self);
void        vmd_spice_audio_set_muted      (VmdSpiceAudio *self,
                                            gboolean       muted);
gboolean    vmd_spice_audio_get_microphone (VmdSpiceAudio *self);
void        vmd_spice_audio_set_microphone (VmdSpiceAudio *self,
                                            gboolean       microphone);

G_END_DECLS
