/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Pause has no make code of its own: callers send vmd_keymap_pause_sequence(). */
#define VMD_KEYMAP_PAUSE 0xe11d45u

guint          vmd_keymap_evdev_to_xt    (guint  evdev);
guint          vmd_keymap_x11_to_xt      (guint  hardware_keycode);
const guint8  *vmd_keymap_pause_sequence (gsize *length);
const char    *vmd_keymap_evdev_name     (guint  evdev);
guint          vmd_keymap_get_size       (void);

G_END_DECLS
