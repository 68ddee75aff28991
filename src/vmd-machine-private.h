/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "vmd-libvirt.h"
#include "vmd-machine.h"

G_BEGIN_DECLS

struct _VmdMachine
{
  GObject          parent_instance;

  /* owned */
  virDomainPtr     domain;
  char            *uuid;
  char            *name;
  char            *os_id;
  char            *os_name;

  VmdMachineState  state;          /* what people see */
  VmdMachineState  libvirt_state;  /* what the hypervisor says */
  VmdMachineReason reason;
  guint64          memory;
  guint            vcpus;
  guint            busy;
  guint            persistent : 1;
  guint            shutdown_asked : 1;
  guint            installing : 1;     /* an express install is under way */
  guint            installer_defined : 1; /* its definition still boots the installer */
  guint            installer_ran : 1;  /* and its run ended, */
  guint            installer_stopped_by_vmdesk : 1;  /* by VmDesk, not by its reboot */
  guint            finishing_install : 1;
};


VmdMachine *_vmd_machine_new            (virDomainPtr         domain,
                                         const VmdDomainInfo *info);
void        _vmd_machine_set_domain     (VmdMachine          *self,
                                         virDomainPtr         domain);
void        _vmd_machine_apply_info     (VmdMachine          *self,
                                         const VmdDomainInfo *info);
void        _vmd_machine_set_state      (VmdMachine          *self,
                                         VmdMachineState      state);
void        _vmd_machine_set_reason     (VmdMachine          *self,
                                         VmdMachineReason     reason);
void        _vmd_machine_set_shutdown_asked (VmdMachine      *self,
                                         gboolean             asked);
void        _vmd_machine_set_os_id      (VmdMachine          *self,
                                         const char          *os_id);
void        _vmd_machine_set_installing (VmdMachine          *self,
                                         gboolean             installing,
                                         gboolean             installer_defined);
void        _vmd_machine_set_os_name    (VmdMachine          *self,
                                         const char          *os_name);
void        _vmd_machine_set_persistent (VmdMachine          *self,
                                         gboolean             persistent);
gboolean    _vmd_machine_get_persistent (VmdMachine          *self);
virDomainPtr _vmd_machine_dup_domain    (VmdMachine          *self);
GTask      *_vmd_machine_domain_task   (VmdMachine          *self,
                                         gpointer             source_tag,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data,
                                         virDomainPtr        *domain);
void        _vmd_machine_finish_install (VmdMachine          *self,
                                         gboolean             restart);
void        _vmd_machine_hold_busy      (VmdMachine          *self);
void        _vmd_machine_release_busy   (VmdMachine          *self);
void        _vmd_machine_classify_disks (virConnectPtr        conn,
                                         const char          *xml,
                                         GStrv               *own,
                                         GStrv               *others);
void        _vmd_machine_remove_snapshot_parts (const char *uuid);
void        _vmd_machine_remove_install_files (const char *xml);
GBytes     *_vmd_domain_screenshot      (virDomainPtr         domain,
                                         char               **mime_type,
                                         GError             **error);
gboolean    _vmd_machine_delete_image   (virConnectPtr        conn,
                                         const char          *path,
                                         GError             **error);

G_END_DECLS
