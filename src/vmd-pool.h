/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Engine-internal: VmDesk's storage pool, for the creator and the cloner. */

#include <gio/gio.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

virStoragePoolPtr _vmd_pool_ensure_images (virConnectPtr   conn,
                                           GError        **error);

typedef void (*VmdPoolProgress) (double fraction, gpointer user_data);

virStorageVolPtr  _vmd_pool_upload        (virStoragePoolPtr   pool,
                                           const char         *path,
                                           VmdPoolProgress     progress,
                                           gpointer            user_data,
                                           GCancellable       *cancellable,
                                           GError            **error);

G_END_DECLS
