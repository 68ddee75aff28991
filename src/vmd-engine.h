/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VMD_DEFAULT_URI "qemu:///session"

void vmd_engine_init (void);

G_END_DECLS

G_BEGIN_DECLS

char *vmd_engine_dup_images_dir (void);

G_END_DECLS
