/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "vmd-snapshot.h"

G_BEGIN_DECLS

VmdSnapshot *_vmd_snapshot_new (const char      *label,
                                gint64           created,
                                VmdMachineState  state,
                                gboolean         has_memory,
                                gboolean         is_current,
                                const char      *screen);

G_END_DECLS
