/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vmd-types.h"

G_BEGIN_DECLS

typedef struct _VmdDisplay VmdDisplay;

#define VMD_TYPE_DISPLAY_PAGE (vmd_display_page_get_type ())

G_DECLARE_FINAL_TYPE (VmdDisplayPage, vmd_display_page, VMD, DISPLAY_PAGE, GtkWidget)

GtkWidget  *vmd_display_page_new         (void);
VmdMachine *vmd_display_page_get_machine (VmdDisplayPage *self);
void        vmd_display_page_set_machine (VmdDisplayPage *self,
                                          VmdMachine     *machine);
VmdDisplay *vmd_display_page_get_display (VmdDisplayPage *self);
void        vmd_display_page_set_detachable (VmdDisplayPage *self,
                                             gboolean        detachable);

G_END_DECLS
