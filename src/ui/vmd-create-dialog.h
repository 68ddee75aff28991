/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vmd-types.h"

G_BEGIN_DECLS

typedef struct _VmdHost VmdHost;

#define VMD_TYPE_CREATE_DIALOG (vmd_create_dialog_get_type ())

G_DECLARE_FINAL_TYPE (VmdCreateDialog, vmd_create_dialog, VMD, CREATE_DIALOG, AdwWindow)

VmdCreateDialog *vmd_create_dialog_new          (GtkWindow       *parent,
                                                 VmdConnection   *connection,
                                                 GFile           *iso);
VmdCreateDialog *vmd_create_dialog_new_there    (GtkWindow       *parent,
                                                 VmdConnection   *connection,
                                                 const char      *path);
const char      *vmd_create_dialog_get_page     (VmdCreateDialog *self);
const char      *vmd_create_dialog_get_os_label (VmdCreateDialog *self);
const char      *vmd_create_dialog_get_message  (VmdCreateDialog *self);
void             vmd_create_dialog_create       (VmdCreateDialog *self);

G_END_DECLS
