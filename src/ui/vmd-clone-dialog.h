/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vmd-types.h"

G_BEGIN_DECLS

#define VMD_TYPE_CLONE_DIALOG (vmd_clone_dialog_get_type ())

G_DECLARE_FINAL_TYPE (VmdCloneDialog, vmd_clone_dialog, VMD, CLONE_DIALOG, AdwWindow)

VmdCloneDialog *vmd_clone_dialog_new         (GtkWindow      *parent,
                                              VmdConnection  *connection,
                                              VmdMachine     *machine);
VmdMachine     *vmd_clone_dialog_get_machine (VmdCloneDialog *self);
gboolean        vmd_clone_dialog_get_running (VmdCloneDialog *self);
void            vmd_clone_dialog_clone       (VmdCloneDialog *self);

G_END_DECLS
