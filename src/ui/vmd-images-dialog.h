/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vmd-types.h"

G_BEGIN_DECLS

#define VMD_TYPE_IMAGES_DIALOG (vmd_images_dialog_get_type ())

G_DECLARE_FINAL_TYPE (VmdImagesDialog, vmd_images_dialog, VMD, IMAGES_DIALOG, AdwWindow)

VmdImagesDialog *vmd_images_dialog_new (GtkWindow     *parent,
                                        VmdConnection *connection);

G_END_DECLS
