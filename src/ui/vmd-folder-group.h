/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vmd-types.h"

G_BEGIN_DECLS

#define VMD_TYPE_FOLDER_GROUP (vmd_folder_group_get_type ())

G_DECLARE_FINAL_TYPE (VmdFolderGroup, vmd_folder_group, VMD, FOLDER_GROUP, AdwPreferencesGroup)

void vmd_folder_group_set_machine (VmdFolderGroup *self,
                                   VmdMachine     *machine);

G_END_DECLS
