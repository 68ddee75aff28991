/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vmd-types.h"

G_BEGIN_DECLS

#define VMD_TYPE_SNAPSHOTS_DIALOG (vmd_snapshots_dialog_get_type ())

G_DECLARE_FINAL_TYPE (VmdSnapshotsDialog, vmd_snapshots_dialog, VMD, SNAPSHOTS_DIALOG, AdwWindow)

VmdSnapshotsDialog *vmd_snapshots_dialog_new         (GtkWindow          *parent,
                                                      VmdMachine         *machine);
VmdMachine         *vmd_snapshots_dialog_get_machine (VmdSnapshotsDialog *self);
gboolean            vmd_snapshots_dialog_get_running (VmdSnapshotsDialog *self);

G_END_DECLS
