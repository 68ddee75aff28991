/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* VmdCloner's insides, shared by vmd-cloner.c (the run: disks found,
 * checked, copied, undone), vmd-cloner-import.c (an import's reading and
 * choices), vmd-cloner-appliance.c (an OVA) and vmd-cloner-definition.c
 * (what the copy is: its definition, its firmware state; whether an image
 * is a disk). */

#include <libvirt/libvirt.h>

#include "vmd-cloner.h"
#include "vmd-error.h"
#include "vmd-libvirt.h"
#include "vmd-ova.h"

G_BEGIN_DECLS

/* A new machine from a copy, all or nothing:
 * - of a machine that is off: its disks copied into VmDesk's pool by libvirt
 *   (virStorageVolCreateXMLFrom), its UEFI variables and TPM state copied, a
 *   new name, UUID and MAC addresses;
 * - of a disk image file (qcow2, VMDK, VDI, a raw disk; recognised by its
 *   content, as libvirt's storage probes it), converted to qcow2 into the
 *   pool, in a machine of VmDesk's usual make.
 * The disk space the copies take is checked first; whatever a failed run
 * made is removed. */
struct _VmdCloner
{
  GObject        parent_instance;

  VmdConnection *connection;
  VmdMachine    *source;
  char          *image;
  char          *name;
  char          *step;
  double         fraction;
  /* an import's choices */
  guint64        memory;
  guint          vcpus;
  char          *os_id;
  gboolean       auto_name;
  /* what the image is, once inspected */
  char          *format;
  guint64        capacity;
};

typedef struct
{
  char            *source;     /* the original image */
  virStorageVolPtr from;
  guint64          allocation; /* what its copy takes on disk */
  guint64          capacity;   /* the disk's size, as the guest sees it */
  char            *format;
  char            *copy;       /* the copy's path, once made */
  char            *target;     /* where the copy is being made, on this computer */
  virStorageVolPtr to;
} Disk;

typedef struct
{
  virConnectPtr  conn;
  virDomainPtr   source;      /* to clone, or */
  char          *image;       /* to import */
  gboolean       inspecting;  /* only read what the image is */
  guint64        memory;      /* an import's, or 0: VmDesk's default */
  guint          vcpus;       /* an import's, or 0: VmDesk's default */
  char          *os_id;       /* an import's system, or NULL: unknown */
  gboolean       auto_name;   /* named after the file: an appliance names itself */
  VmdOva        *appliance;   /* an OVA to import */
  char          *unpacked;    /* its disk, unpacked into the pool for the copy */
  double         copy_base;   /* where the copy's progress starts, and its share */
  double         copy_span;
  char          *source_name;
  char          *name;
  char          *uuid;
  GPtrArray     *disks;        /* Disk */
  GPtrArray     *lent_pools;   /* virStoragePoolPtr: transient, over disks in no pool */
  char          *nvram;        /* the copy's UEFI variables, once copied */
  char          *tpm;          /* the copy's TPM state folder, once copied */
  virDomainPtr   domain;
  VmdDomainInfo *info;
  /* progress of the copy in flight, read by a watcher thread */
  char          *copying;
  guint64        copied_before;
  guint64        total;
  gint           watching;
} RunData;

gboolean _vmd_cloner_fail                (RunData      *data,
                                          GError      **error,
                                          VmdError      code,
                                          const char   *why);
gboolean _vmd_cloner_fail_libvirt        (RunData      *data,
                                          GError      **error);
void     _vmd_cloner_report              (GTask        *task,
                                          const char   *step,
                                          double        fraction);
gboolean _vmd_cloner_check_image         (RunData      *data,
                                          const char   *path,
                                          const char   *format,
                                          GError      **error);
gboolean _vmd_cloner_open_appliance      (RunData      *data,
                                          GError      **error);
gboolean _vmd_cloner_unpack_appliance    (GTask        *task,
                                          RunData      *data,
                                          virStoragePoolPtr pool,
                                          GError      **error);
void     _vmd_cloner_remove_unpacked     (RunData      *data,
                                          virStoragePoolPtr pool);
char    *_vmd_cloner_copy_definition     (RunData      *data,
                                          const char   *xml);
gboolean _vmd_cloner_copy_state          (RunData      *data,
                                          const char   *xml,
                                          GError      **error);
char    *_vmd_cloner_import_definition   (RunData      *data,
                                          GError      **error);
void     _vmd_cloner_start               (VmdCloner    *self,
                                          gboolean      inspecting,
                                          gpointer      source_tag,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer      user_data);

G_END_DECLS
