/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vmd-types.h"

G_BEGIN_DECLS


#define VMD_TYPE_HOST (vmd_host_get_type ())

G_DECLARE_FINAL_TYPE (VmdHost, vmd_host, VMD, HOST, GObject)

void      vmd_host_query_async         (VmdConnection       *connection,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
VmdHost  *vmd_host_query_finish        (GAsyncResult        *result,
                                        GError             **error);
VmdHost  *vmd_host_new_for_testing     (guint64              total_ram,
                                        guint64              available_ram,
                                        guint                n_cpus,
                                        guint64              free_disk,
                                        gboolean             kvm);

guint64   vmd_host_get_total_ram       (VmdHost             *self);
guint64   vmd_host_get_available_ram   (VmdHost             *self);
guint     vmd_host_get_n_cpus          (VmdHost             *self);
guint64   vmd_host_get_free_disk       (VmdHost             *self);
gboolean  vmd_host_get_kvm             (VmdHost             *self);
gboolean  vmd_host_get_efi             (VmdHost             *self);
gboolean  vmd_host_get_secure_boot     (VmdHost             *self);
gboolean  vmd_host_get_tpm             (VmdHost             *self);
gboolean  vmd_host_get_local           (VmdHost             *self);

struct _VmdBudget *vmd_host_compute_budget (VmdHost     *self,
                                            guint64      committed,
                                            guint64      request,
                                            guint64      reserve);

G_END_DECLS
