/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "vmd-types.h"

G_BEGIN_DECLS

/* A tile's natural width, in pixels. */
#define VMD_MACHINE_TILE_WIDTH 200

#define VMD_TYPE_MACHINE_TILE (vmd_machine_tile_get_type ())

G_DECLARE_FINAL_TYPE (VmdMachineTile, vmd_machine_tile, VMD, MACHINE_TILE, GtkWidget)

GtkWidget  *vmd_machine_tile_new               (void);
VmdMachine *vmd_machine_tile_get_machine       (VmdMachineTile *self);
void        vmd_machine_tile_set_machine       (VmdMachineTile *self,
                                                VmdMachine     *machine);
void        vmd_machine_tile_popup_menu        (VmdMachineTile *self,
                                                double          x,
                                                double          y);
GtkPopover *vmd_machine_tile_get_menu          (VmdMachineTile *self);
gboolean    vmd_machine_tile_has_thumbnail     (VmdMachineTile *self);

G_END_DECLS
