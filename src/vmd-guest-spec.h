/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vmd-host.h"
#include "vmd-media.h"
#include "vmd-types.h"

G_BEGIN_DECLS

typedef struct _VmdGuestSpec VmdGuestSpec;

typedef enum
{
  VMD_FIRMWARE_BIOS,
  VMD_FIRMWARE_EFI,
} VmdFirmware;

#define VMD_TYPE_FIRMWARE   (vmd_firmware_get_type ())
#define VMD_TYPE_GUEST_SPEC (vmd_guest_spec_get_type ())

GType vmd_firmware_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (VmdGuestSpec, vmd_guest_spec, VMD, GUEST_SPEC, GObject)

/* Generic settings for a system nobody recognised. */
#define VMD_GENERIC_MEMORY (G_GUINT64_CONSTANT (2) << 30)
#define VMD_GENERIC_VCPUS  2
#define VMD_GENERIC_DISK   (G_GUINT64_CONSTANT (32) << 30)
#define VMD_MIN_MEMORY     (G_GUINT64_CONSTANT (256) << 20)

VmdGuestSpec *vmd_guest_spec_new_for_media  (VmdMedia          *media,
                                             VmdHost           *host,
                                             GListModel        *existing);
VmdGuestSpec *vmd_guest_spec_new            (void);

const char   *vmd_guest_spec_get_name       (VmdGuestSpec *self);
void          vmd_guest_spec_set_name       (VmdGuestSpec *self,
                                             const char   *name);
guint64       vmd_guest_spec_get_memory     (VmdGuestSpec *self);
void          vmd_guest_spec_set_memory     (VmdGuestSpec *self,
                                             guint64       memory);
guint         vmd_guest_spec_get_vcpus      (VmdGuestSpec *self);
void          vmd_guest_spec_set_vcpus      (VmdGuestSpec *self,
                                             guint         vcpus);
guint64       vmd_guest_spec_get_disk_size  (VmdGuestSpec *self);
void          vmd_guest_spec_set_disk_size  (VmdGuestSpec *self,
                                             guint64       disk_size);

/* Decided from the OS and the host; settable for tests and golden files. */
const char   *vmd_guest_spec_get_os_id      (VmdGuestSpec *self);
const char   *vmd_guest_spec_get_os_label   (VmdGuestSpec *self);
const char   *vmd_guest_spec_get_iso        (VmdGuestSpec *self);
gboolean      vmd_guest_spec_get_iso_there  (VmdGuestSpec *self);
const char   *vmd_guest_spec_get_arch       (VmdGuestSpec *self);
VmdFirmware   vmd_guest_spec_get_firmware   (VmdGuestSpec *self);
gboolean      vmd_guest_spec_get_secure_boot (VmdGuestSpec *self);
gboolean      vmd_guest_spec_get_tpm        (VmdGuestSpec *self);
gboolean      vmd_guest_spec_get_kvm        (VmdGuestSpec *self);
gboolean      vmd_guest_spec_get_host_cpu   (VmdGuestSpec *self);
gboolean      vmd_guest_spec_get_screen_socket (VmdGuestSpec *self);
void          vmd_guest_spec_set_iso        (VmdGuestSpec *self,
                                             const char   *iso);
void          vmd_guest_spec_set_iso_there  (VmdGuestSpec *self,
                                             gboolean      there);
void          vmd_guest_spec_set_screen_socket (VmdGuestSpec *self,
                                                gboolean      screen_socket);
void          vmd_guest_spec_set_secure_boot (VmdGuestSpec *self,
                                              gboolean      secure_boot);
void          vmd_guest_spec_set_host_cpu   (VmdGuestSpec *self,
                                             gboolean      host_cpu);
const char   *vmd_guest_spec_get_disk_bus   (VmdGuestSpec *self);
const char   *vmd_guest_spec_get_net_model  (VmdGuestSpec *self);
const char   *vmd_guest_spec_get_video      (VmdGuestSpec *self);
const char   *vmd_guest_spec_get_sound      (VmdGuestSpec *self);
guint64       vmd_guest_spec_get_min_memory (VmdGuestSpec *self);

void          vmd_guest_spec_set_platform   (VmdGuestSpec *self,
                                             const char   *os_id,
                                             const char   *os_label,
                                             const char   *iso,
                                             VmdFirmware   firmware,
                                             gboolean      secure_boot,
                                             gboolean      tpm,
                                             gboolean      kvm);
void          vmd_guest_spec_set_devices    (VmdGuestSpec *self,
                                             const char   *disk_bus,
                                             const char   *net_model,
                                             const char   *video,
                                             const char   *sound);

char         *vmd_guest_spec_make_unique_name (const char *base,
                                               GListModel *existing);

G_END_DECLS
