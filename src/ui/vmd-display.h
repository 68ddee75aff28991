/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "vmd-types.h"

G_BEGIN_DECLS

typedef struct _VmdSpiceSession VmdSpiceSession;

#define VMD_TYPE_DISPLAY (vmd_display_get_type ())

G_DECLARE_FINAL_TYPE (VmdDisplay, vmd_display, VMD, DISPLAY, GtkWidget)

GtkWidget       *vmd_display_new                 (void);
VmdSpiceSession *vmd_display_get_session         (VmdDisplay      *self);
void             vmd_display_set_session         (VmdDisplay      *self,
                                                  VmdSpiceSession *session);
gboolean         vmd_display_get_ready           (VmdDisplay      *self);
void             vmd_display_get_guest_size      (VmdDisplay      *self,
                                                  int             *width,
                                                  int             *height);
gboolean         vmd_display_get_shortcuts_inhibited (VmdDisplay  *self);
guint            vmd_display_get_frames          (VmdDisplay      *self);
void             vmd_display_release_shortcuts   (VmdDisplay      *self);

G_END_DECLS
