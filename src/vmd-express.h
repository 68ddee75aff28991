/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vmd-media.h"

G_BEGIN_DECLS

/* How the answers reach the installer. */
typedef enum
{
  VMD_EXPRESS_INITRD,  /* added to the installer's initrd, booted directly (Linux) */
  VMD_EXPRESS_CDROM,   /* on a small CD image beside the installer (Windows) */
} VmdExpressInjection;

#define VMD_TYPE_EXPRESS_INJECTION (vmd_express_injection_get_type ())
#define VMD_TYPE_EXPRESS           (vmd_express_get_type ())

GType vmd_express_injection_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (VmdExpress, vmd_express, VMD, EXPRESS, GObject)

VmdExpress  *vmd_express_new_for_media        (VmdMedia            *media,
                                               GError             **error);
const char  *vmd_express_get_script_id        (VmdExpress          *self);
const char  *vmd_express_get_profile          (VmdExpress          *self);
VmdExpressInjection vmd_express_get_injection (VmdExpress          *self);
const char  *vmd_express_get_filename         (VmdExpress          *self);
gboolean     vmd_express_get_needs_internet   (VmdExpress          *self);
gboolean     vmd_express_get_wants_product_key (VmdExpress         *self);
const char  *vmd_express_get_kernel_path      (VmdExpress          *self);
const char  *vmd_express_get_initrd_path      (VmdExpress          *self);
char        *vmd_express_describe             (VmdExpress          *self);

void         vmd_express_set_user             (VmdExpress          *self,
                                               const char          *login,
                                               const char          *full_name,
                                               gboolean             administrator);
const char  *vmd_express_get_user_login       (VmdExpress          *self);
const char  *vmd_express_get_user_full_name   (VmdExpress          *self);
void         vmd_express_set_locale           (VmdExpress          *self,
                                               const char          *language,
                                               const char          *keyboard,
                                               const char          *timezone);
const char  *vmd_express_get_language         (VmdExpress          *self);
const char  *vmd_express_get_keyboard         (VmdExpress          *self);
const char  *vmd_express_get_timezone         (VmdExpress          *self);
void         vmd_express_set_product_key      (VmdExpress          *self,
                                               const char          *key);
void         vmd_express_set_hostname         (VmdExpress          *self,
                                               const char          *machine_name);
const char  *vmd_express_get_hostname         (VmdExpress          *self);
void         vmd_express_set_disk_bus         (VmdExpress          *self,
                                               const char          *bus);

char        *vmd_express_generate             (VmdExpress          *self,
                                               const char          *password,
                                               GError             **error);
char        *vmd_express_dup_command_line     (VmdExpress          *self,
                                               const char          *password);

char        *vmd_express_make_hostname        (const char          *machine_name);

/* What one install was given, in the machines' images folder. */
typedef struct
{
  char *kernel;        /* initrd: the installer's kernel, booted directly */
  char *initrd;        /* initrd: its initrd, with the answers */
  char *command_line;  /* initrd: the kernel's command line */
  char *cdrom;         /* cdrom: the answers' CD image */
} VmdExpressFiles;

gboolean     vmd_express_write_files          (VmdExpress          *self,
                                               const char          *iso,
                                               const char          *password,
                                               const char          *dir,
                                               const char          *prefix,
                                               VmdExpressFiles     *files,
                                               GCancellable        *cancellable,
                                               GError             **error);
void         vmd_express_files_remove         (const VmdExpressFiles *files);
void         vmd_express_files_clear          (VmdExpressFiles     *files);

void vmd_express_read_desktop (void);

G_END_DECLS
