/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Engine-internal: a machine's state files beside libvirt's daemon on this
 * computer (NVRAM, TPM state, snapshot parts), copied and removed. */

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean _vmd_file_copy   (const char  *from,
                           const char  *to,
                           gboolean     overwrite,
                           GError     **error);
gboolean _vmd_tree_copy   (const char  *from,
                           const char  *to,
                           GError     **error);
void     _vmd_tree_remove (const char  *path);

G_END_DECLS
