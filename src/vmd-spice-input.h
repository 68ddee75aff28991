/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "vmd-types.h"

G_BEGIN_DECLS

typedef enum
{
  VMD_KEY_LOCK_SCROLL = 1 << 0,
  VMD_KEY_LOCK_NUM    = 1 << 1,
  VMD_KEY_LOCK_CAPS   = 1 << 2,
} VmdKeyLocks;

/* The guest's mouse buttons; the wheel is buttons UP and DOWN. */
typedef enum
{
  VMD_POINTER_BUTTON_LEFT,
  VMD_POINTER_BUTTON_MIDDLE,
  VMD_POINTER_BUTTON_RIGHT,
  VMD_POINTER_BUTTON_UP,
  VMD_POINTER_BUTTON_DOWN,
  VMD_POINTER_BUTTON_SIDE,
  VMD_POINTER_BUTTON_EXTRA,
} VmdPointerButton;

#define VMD_TYPE_SPICE_INPUT (vmd_spice_input_get_type ())

G_DECLARE_FINAL_TYPE (VmdSpiceInput, vmd_spice_input, VMD, SPICE_INPUT, GObject)

gboolean vmd_spice_input_get_available     (VmdSpiceInput    *self);
gboolean vmd_spice_input_get_absolute      (VmdSpiceInput    *self);
void     vmd_spice_input_key               (VmdSpiceInput    *self,
                                            guint             scancode,
                                            gboolean          press);
void     vmd_spice_input_send_keys         (VmdSpiceInput    *self,
                                            const guint      *evdev_codes,
                                            gsize             n_codes);
void     vmd_spice_input_release_all_keys  (VmdSpiceInput    *self);
VmdKeyLocks vmd_spice_input_get_guest_locks (VmdSpiceInput *self);
void     vmd_spice_input_set_locks         (VmdSpiceInput    *self,
                                            VmdKeyLocks       locks);
void     vmd_spice_input_pointer_position  (VmdSpiceInput    *self,
                                            int               x,
                                            int               y);
void     vmd_spice_input_pointer_motion    (VmdSpiceInput    *self,
                                            int               dx,
                                            int               dy);
void     vmd_spice_input_button            (VmdSpiceInput    *self,
                                            VmdPointerButton  button,
                                            gboolean          press);
void     vmd_spice_input_wheel             (VmdSpiceInput    *self,
                                            int               clicks);

G_END_DECLS
