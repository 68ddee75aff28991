/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Engine-internal helpers around the libvirt C API. Nothing outside src/
 * includes this header: the UI never sees libvirt types. */

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "vmd-machine.h"

G_BEGIN_DECLS

#define VMD_LIBOSINFO_NS "http://libosinfo.org/xmlns/libvirt/domain/1.0"
/* VmDesk's own metadata in a domain: the disks it made for it. */
#define VMD_NS           "http://example.com/vmdesk/xmlns/domain/1.0"
/* The storage pool of the disks VmDesk makes. */
#define VMD_POOL_NAME    "vmdesk"

typedef struct
{
  char            *uuid;
  char            *name;
  char            *os_id;
  VmdMachineState  state;
  VmdMachineReason reason;
  guint64          memory;     /* bytes */
  guint            vcpus;
  gboolean         persistent;
  gboolean         os_id_known;  /* FALSE: os_id not read yet */
  gboolean         installing;   /* an express install's files are listed (read with os_id) */
  gboolean         installer_defined; /* its definition boots the installer (idem) */
} VmdDomainInfo;

VmdDomainInfo   *_vmd_domain_info_fetch          (virDomainPtr   domain,
                                                  GError       **error);
void             _vmd_domain_info_free           (VmdDomainInfo *info);
GPtrArray       *_vmd_domain_infos_fetch_all     (virConnectPtr   conn,
                                                  GPtrArray     **out_domains,
                                                  GError        **error);
char            *_vmd_domain_fetch_os_id         (virDomainPtr   domain,
                                                  gboolean      *installing,
                                                  gboolean      *installer_defined);

VmdMachineState  _vmd_machine_state_from_libvirt (int            state);
VmdMachineReason _vmd_machine_reason_from_libvirt (int           state,
                                                  int            reason);
gboolean         _vmd_machine_state_from_event   (int            event,
                                                  int            detail,
                                                  VmdMachineState *state);
gboolean         _vmd_machine_reason_from_event  (int            event,
                                                  int            detail,
                                                  VmdMachineReason *reason);

void             _vmd_domain_unref               (gpointer       domain);
void             _vmd_task_return_domain_info    (GTask         *task,
                                                  virDomainPtr   domain);
gboolean         _vmd_uri_is_local               (const char    *uri);
gboolean         _vmd_conn_is_local              (virConnectPtr  conn);
gboolean         _vmd_conn_is_system             (virConnectPtr  conn);
gboolean         _vmd_uri_screen_needs_tunnel    (const char    *uri);
char            *_vmd_default_nvram_path         (virConnectPtr  conn,
                                                  const char    *name);
char            *_vmd_tpm_state_dir              (virConnectPtr  conn,
                                                  const char    *uuid);
const char      *_vmd_not_connected_message      (void);
GError          *_vmd_error_from_libvirt_open    (const char    *uri);
GError          *_vmd_error_from_libvirt         (const char    *what);
void             _vmd_set_error_from_libvirt     (GError       **error,
                                                  const char    *what);

GStrv            _vmd_xml_xpath_strings          (const char    *xml,
                                                  const char    *expr);
char            *_vmd_domain_xml_get_os_id       (const char    *xml);
GStrv            _vmd_domain_xml_get_disk_images (const char    *xml);
GStrv            _vmd_domain_xml_get_install_files (const char  *xml);
char            *_vmd_domain_xml_get_spice_target (const char  *xml);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdDomainInfo, _vmd_domain_info_free)

G_END_DECLS
