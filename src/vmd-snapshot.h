/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "vmd-machine.h"

G_BEGIN_DECLS

#define VMD_TYPE_SNAPSHOT (vmd_snapshot_get_type ())

G_DECLARE_FINAL_TYPE (VmdSnapshot, vmd_snapshot, VMD, SNAPSHOT, GObject)

const char      *vmd_snapshot_get_label      (VmdSnapshot *self);
GDateTime       *vmd_snapshot_get_created    (VmdSnapshot *self);
VmdMachineState  vmd_snapshot_get_state      (VmdSnapshot *self);
gboolean         vmd_snapshot_get_has_memory (VmdSnapshot *self);
gboolean         vmd_snapshot_get_is_current (VmdSnapshot *self);
const char      *vmd_snapshot_get_screen     (VmdSnapshot *self);

G_END_DECLS
