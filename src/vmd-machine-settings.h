/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vmd-types.h"

G_BEGIN_DECLS

GSettings *vmd_machine_settings_new        (VmdMachine *machine);
char      *vmd_machine_settings_dup_folder (GSettings  *settings,
                                            gboolean    make);

G_END_DECLS
