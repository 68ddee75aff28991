/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vmd-types.h"

G_BEGIN_DECLS

typedef enum
{
  VMD_CLIPBOARD_TEXT  = 1 << 0,
  VMD_CLIPBOARD_IMAGE = 1 << 1,  /* PNG */
} VmdClipboardFormats;

#define VMD_TYPE_SPICE_CLIPBOARD (vmd_spice_clipboard_get_type ())

G_DECLARE_FINAL_TYPE (VmdSpiceClipboard, vmd_spice_clipboard, VMD, SPICE_CLIPBOARD, GObject)

gboolean vmd_spice_clipboard_get_ready   (VmdSpiceClipboard   *self);
void     vmd_spice_clipboard_offer       (VmdSpiceClipboard   *self,
                                          VmdClipboardFormats  formats);
void     vmd_spice_clipboard_send_text   (VmdSpiceClipboard   *self,
                                          const char          *text);
void     vmd_spice_clipboard_send_image  (VmdSpiceClipboard   *self,
                                          GBytes              *png);

G_END_DECLS
