/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vmd-types.h"

G_BEGIN_DECLS

typedef enum
{
  VMD_MACHINE_STATE_UNKNOWN,
  VMD_MACHINE_STATE_SHUT_OFF,
  VMD_MACHINE_STATE_RUNNING,
  VMD_MACHINE_STATE_PAUSED,
  VMD_MACHINE_STATE_SHUTTING_DOWN,
  VMD_MACHINE_STATE_CRASHED,
  VMD_MACHINE_STATE_SUSPENDED,   /* guest-initiated power-management sleep */
} VmdMachineState;

/* Why a machine is in its state, where that changes what a person can do. */
typedef enum
{
  VMD_MACHINE_REASON_NONE,
  VMD_MACHINE_REASON_USER,            /* paused by a person, here or elsewhere */
  VMD_MACHINE_REASON_IO_ERROR,        /* paused: a disk image could not be read or written */
  VMD_MACHINE_REASON_NO_SPACE,        /* paused: the host disk under an image is full */
  VMD_MACHINE_REASON_INTERNAL_ERROR,  /* paused by the hypervisor itself (emulation failure) */
  VMD_MACHINE_REASON_GUEST_PANIC,     /* the system inside the machine crashed */
  VMD_MACHINE_REASON_CRASHED,         /* off: the hypervisor's process died */
  VMD_MACHINE_REASON_SAVED,           /* off, its memory saved: starting resumes it */
} VmdMachineReason;

typedef enum
{
  VMD_MACHINE_ACTION_START,
  VMD_MACHINE_ACTION_SHUTDOWN,   /* ACPI power button: the guest decides */
  VMD_MACHINE_ACTION_FORCE_OFF,  /* pull the plug */
  VMD_MACHINE_ACTION_PAUSE,
  VMD_MACHINE_ACTION_RESUME,
  VMD_MACHINE_ACTION_DELETE,     /* force off, undefine, delete disk images and NVRAM */
  VMD_MACHINE_ACTION_SAVE,       /* its memory to disk, then off: Start resumes it */
} VmdMachineAction;

typedef enum
{
  VMD_SNAPSHOT_ACTION_CREATE,   /* running: with its memory; off: its disks */
  VMD_SNAPSHOT_ACTION_REVERT,   /* back to the snapshot, running again if it was */
  VMD_SNAPSHOT_ACTION_DELETE,   /* the snapshot only; the machine is left as it is */
} VmdSnapshotAction;

#define VMD_TYPE_MACHINE_STATE  (vmd_machine_state_get_type ())
#define VMD_TYPE_MACHINE_REASON (vmd_machine_reason_get_type ())
#define VMD_TYPE_MACHINE_ACTION (vmd_machine_action_get_type ())
#define VMD_TYPE_MACHINE        (vmd_machine_get_type ())

GType vmd_machine_state_get_type  (void) G_GNUC_CONST;
GType vmd_machine_reason_get_type (void) G_GNUC_CONST;
GType vmd_machine_action_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (VmdMachine, vmd_machine, VMD, MACHINE, GObject)

const char      *vmd_machine_get_name         (VmdMachine        *self);
const char      *vmd_machine_get_uuid         (VmdMachine        *self);
VmdMachineState  vmd_machine_get_state        (VmdMachine        *self);
VmdMachineReason vmd_machine_get_reason       (VmdMachine        *self);
const char      *vmd_machine_get_summary      (VmdMachine        *self);
const char      *vmd_machine_get_explanation  (VmdMachine        *self);
gboolean         vmd_machine_get_has_problem  (VmdMachine        *self);
const char      *vmd_machine_get_os_id        (VmdMachine        *self);
const char      *vmd_machine_get_os_name      (VmdMachine        *self);
guint64          vmd_machine_get_memory       (VmdMachine        *self);
guint            vmd_machine_get_vcpus        (VmdMachine        *self);
gboolean         vmd_machine_get_busy         (VmdMachine        *self);
gboolean         vmd_machine_get_installing   (VmdMachine        *self);
gboolean         vmd_machine_get_is_active    (VmdMachine        *self);
gboolean         vmd_machine_can_run          (VmdMachine        *self,
                                               VmdMachineAction   action);
void             vmd_machine_run_async        (VmdMachine        *self,
                                               VmdMachineAction   action,
                                               GCancellable      *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer           user_data);
gboolean         vmd_machine_run_finish       (VmdMachine        *self,
                                               GAsyncResult      *result,
                                               GError           **error);
void             vmd_machine_delete_async     (VmdMachine        *self,
                                               const char * const *also,
                                               GCancellable      *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer           user_data);
void             vmd_machine_list_disks_async (VmdMachine        *self,
                                               GCancellable      *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer           user_data);
gboolean         vmd_machine_list_disks_finish (VmdMachine       *self,
                                               GAsyncResult      *result,
                                               GStrv             *own,
                                               GStrv             *others,
                                               GError           **error);

void             vmd_machine_set_resources_async (VmdMachine     *self,
                                               guint64            memory,
                                               guint              vcpus,
                                               GCancellable      *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer           user_data);
gboolean         vmd_machine_set_resources_finish (VmdMachine    *self,
                                               GAsyncResult      *result,
                                               GError           **error);
void             vmd_machine_rename_async     (VmdMachine        *self,
                                               const char        *new_name,
                                               GCancellable      *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer           user_data);
gboolean         vmd_machine_rename_finish    (VmdMachine        *self,
                                               GAsyncResult      *result,
                                               GError           **error);
void             vmd_machine_folder_channel_async  (VmdMachine          *self,
                                                   gboolean             add,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean         vmd_machine_folder_channel_finish (VmdMachine          *self,
                                                   GAsyncResult        *result,
                                                   gboolean            *has,
                                                   GError             **error);
void             vmd_machine_read_disk_async  (VmdMachine        *self,
                                               GCancellable      *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer           user_data);
gboolean         vmd_machine_read_disk_finish (VmdMachine        *self,
                                               GAsyncResult      *result,
                                               char             **path,
                                               guint64           *capacity,
                                               guint64           *free_space,
                                               GError           **error);
void             vmd_machine_resize_disk_async (VmdMachine       *self,
                                               guint64            new_capacity,
                                               GCancellable      *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer           user_data);
gboolean         vmd_machine_resize_disk_finish (VmdMachine      *self,
                                               GAsyncResult      *result,
                                               GError           **error);
void             vmd_machine_screenshot_async (VmdMachine        *self,
                                               GCancellable      *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer           user_data);
GBytes          *vmd_machine_screenshot_finish (VmdMachine       *self,
                                               GAsyncResult      *result,
                                               char             **mime_type,
                                               GError           **error);

void             vmd_machine_list_snapshots_async (VmdMachine    *self,
                                               GCancellable      *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer           user_data);
GListModel      *vmd_machine_list_snapshots_finish (VmdMachine   *self,
                                               GAsyncResult      *result,
                                               GError           **error);
void             vmd_machine_snapshot_async   (VmdMachine        *self,
                                               VmdSnapshotAction  action,
                                               const char        *label,
                                               GCancellable      *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer           user_data);
gboolean         vmd_machine_snapshot_finish  (VmdMachine        *self,
                                               GAsyncResult      *result,
                                               GError           **error);

const char      *vmd_machine_state_to_string  (VmdMachineState    state);
gboolean         vmd_machine_state_can_run    (VmdMachineState    state,
                                               VmdMachineAction   action);

G_END_DECLS
