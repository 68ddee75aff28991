/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A virtual appliance (OVA): a tar archive of an OVF descriptor and the
 * disks it names, as VirtualBox and VMware export machines. Opening it reads
 * the archive's list of files and the descriptor; extracting a disk reads
 * the archive again. Both block on disk I/O: call them from a thread. */
typedef struct _VmdOva VmdOva;

typedef void (*VmdOvaProgress) (guint64  done,
                                guint64  total,
                                gpointer data);

gboolean            vmd_ova_is_ova     (const char      *path);
VmdOva             *vmd_ova_open       (const char      *path,
                                        GError         **error);
void                vmd_ova_free       (VmdOva          *self);

const char         *vmd_ova_get_name   (VmdOva          *self);
guint64             vmd_ova_get_memory (VmdOva          *self);
guint               vmd_ova_get_cpus   (VmdOva          *self);
guint64             vmd_ova_get_capacity (VmdOva        *self);
const char * const *vmd_ova_get_disks  (VmdOva          *self);

gboolean            vmd_ova_extract    (VmdOva          *self,
                                        const char      *member,
                                        const char      *dest_path,
                                        GCancellable    *cancellable,
                                        VmdOvaProgress   progress,
                                        gpointer         data,
                                        GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdOva, vmd_ova_free)

G_END_DECLS
