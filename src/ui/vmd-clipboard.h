/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _VmdSpiceSession VmdSpiceSession;

#define VMD_TYPE_CLIPBOARD (vmd_clipboard_get_type ())

G_DECLARE_FINAL_TYPE (VmdClipboard, vmd_clipboard, VMD, CLIPBOARD, GObject)

VmdClipboard *vmd_clipboard_new (GdkClipboard    *clipboard,
                                 VmdSpiceSession *session);

G_END_DECLS
