/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Pause has no make code of its own: callers send vmd_keymap_pause_strokes(). */
#define VMD_KEYMAP_PAUSE 0xe11d45u

/* A key event as spice_inputs_channel_key_press() and _release() take it. */
typedef struct
{
  guint    scancode;
  gboolean press;
} VmdKeyStroke;

guint          vmd_keymap_evdev_to_xt    (guint  evdev);
guint          vmd_keymap_x11_to_xt      (guint  hardware_keycode);
const VmdKeyStroke *vmd_keymap_pause_strokes (gsize *length);
const char    *vmd_keymap_evdev_name     (guint  evdev);
guint          vmd_keymap_get_size       (void);

G_END_DECLS
