/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-machine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libvirt/virterror.h>

#include "vmd-error.h"
#include "vmd-machine-private.h"
#include "vmd-secrets.h"

/* What VmDesk does to a guest, each in a worker thread: run actions
 * (start … delete), screenshots for thumbnails, new RAM and vCPUs. */

/* A task on the guest's domain, for a worker thread; %NULL when the
 * connection is down, in which case the task has already failed. */
GTask *
_vmd_machine_domain_task (VmdMachine          *self,
                          gpointer             source_tag,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data,
                          virDomainPtr        *domain)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  *domain = _vmd_machine_dup_domain (self);
  if (*domain == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NOT_CONNECTED, "%s",
                               _vmd_not_connected_message ());
      return NULL;
    }
  return g_steal_pointer (&task);
}

typedef struct
{
  virDomainPtr      domain;
  char             *name;
  VmdMachineAction  action;
  GStrv             also;    /* delete: the other disks the person ticked */
} ActionData;

static void
action_data_free (ActionData *data)
{
  g_clear_pointer (&data->domain, virDomainFree);
  g_free (data->name);
  g_strfreev (data->also);
  g_free (data);
}

static char *
describe_failure (VmdMachineAction  action,
                  const char       *name)
{
  switch (action)
    {
    case VMD_MACHINE_ACTION_START:
      return g_strdup_printf (_("Could not start “%s”"), name);
    case VMD_MACHINE_ACTION_SHUTDOWN:
      return g_strdup_printf (_("Could not shut down “%s”"), name);
    case VMD_MACHINE_ACTION_FORCE_OFF:
      return g_strdup_printf (_("Could not force off “%s”"), name);
    case VMD_MACHINE_ACTION_PAUSE:
      return g_strdup_printf (_("Could not pause “%s”"), name);
    case VMD_MACHINE_ACTION_RESUME:
      return g_strdup_printf (_("Could not resume “%s”"), name);
    case VMD_MACHINE_ACTION_SAVE:
      return g_strdup_printf (_("Could not save “%s”"), name);
    case VMD_MACHINE_ACTION_DELETE:
    default:
      return g_strdup_printf (_("Could not delete “%s”"), name);
    }
}

/* The keyring forgets the machine's users' passwords, at best: a desktop
 * without a keyring has none to forget, and a keyring that fails fails no
 * deletion. */
static void
clear_passwords (const char *uuid)
{
  g_autoptr(GError) error = NULL;

  if (vmd_secrets_clear_sync (uuid, NULL, &error))
    return;
  if (g_error_matches (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED))
    g_debug ("No keyring to forget %s's passwords: %s", uuid, error->message);
  else
    g_message ("The keyring kept %s's passwords: %s", uuid, error->message);
}

/* Force off, undefine, then delete VmDesk's disks and those of @also the
 * person ticked among the others. */
static int
delete_domain (virDomainPtr         domain,
               const char * const  *also,
               GError             **error)
{
  const unsigned int full = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                            VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
                            VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA |
                            VIR_DOMAIN_UNDEFINE_NVRAM;
  virConnectPtr conn = virDomainGetConnect (domain);
  g_autofree char *xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  g_auto(GStrv) own = NULL;
  g_auto(GStrv) others = NULL;
  char uuid[VIR_UUID_STRING_BUFLEN];
  int active;

  if (xml == NULL)
    return -1;
  _vmd_machine_classify_disks (conn, xml, &own, &others);
  if (virDomainGetUUIDString (domain, uuid) < 0)
    return -1;

  active = virDomainIsActive (domain);
  if (active < 0 || (active == 1 && virDomainDestroy (domain) < 0))
    return -1;

  if (virDomainUndefineFlags (domain, full) < 0)
    {
      const virError *verr = virGetLastError ();

      /* Drivers without NVRAM or checkpoint support reject those flags. */
      if (verr == NULL ||
          (verr->code != VIR_ERR_INVALID_ARG && verr->code != VIR_ERR_NO_SUPPORT &&
           verr->code != VIR_ERR_ARGUMENT_UNSUPPORTED))
        return -1;
      if (virDomainUndefine (domain) < 0)
        return -1;
    }

  clear_passwords (uuid);
  if (_vmd_conn_is_local (conn))
    {
      _vmd_machine_remove_snapshot_parts (uuid);
      /* An install cut short: its answers, and the password in them, go too. */
      _vmd_machine_remove_install_files (xml);
    }
  for (guint i = 0; own[i] != NULL; i++)
    {
      if (!_vmd_machine_delete_image (conn, own[i], error))
        return -2;
    }
  for (guint i = 0; others[i] != NULL; i++)
    {
      if (also == NULL || !g_strv_contains (also, others[i]))
        g_message ("Keeping disk image %s: VmDesk did not make it", others[i]);
      else if (!_vmd_machine_delete_image (conn, others[i], error))
        return -2;
    }

  return 0;
}

static const char *
describe_state (VmdMachineState state)
{
  switch (state)
    {
    case VMD_MACHINE_STATE_SHUT_OFF:
      return _("The machine is off.");
    case VMD_MACHINE_STATE_RUNNING:
      return _("The machine is running.");
    case VMD_MACHINE_STATE_PAUSED:
      return _("The machine is paused.");
    case VMD_MACHINE_STATE_SHUTTING_DOWN:
      return _("The machine is shutting down.");
    case VMD_MACHINE_STATE_CRASHED:
      return _("The machine has crashed.");
    case VMD_MACHINE_STATE_SUSPENDED:
      return _("The machine is sleeping.");
    case VMD_MACHINE_STATE_UNKNOWN:
    default:
      return _("The machine is not in a state that allows this.");
    }
}

/* Drivers word "wrong state" differently (the QEMU driver says "operation
 * invalid", others "internal error"): ask first, and say it plainly. */
static gboolean
check_state (ActionData  *data,
             GError     **error)
{
  int state, reason;
  VmdMachineState current;

  if (data->action == VMD_MACHINE_ACTION_DELETE)
    return TRUE;

  if (virDomainGetState (data->domain, &state, &reason, 0) < 0)
    {
      g_autofree char *what = describe_failure (data->action, data->name);
      g_propagate_error (error, _vmd_error_from_libvirt (what));
      return FALSE;
    }

  current = _vmd_machine_state_from_libvirt (state);
  if (!vmd_machine_state_can_run (current, data->action))
    {
      g_autofree char *what = describe_failure (data->action, data->name);
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE, "%s: %s", what,
                   describe_state (current));
      return FALSE;
    }

  return TRUE;
}

static void
run_action_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ActionData *data = task_data;
  GError *error = NULL;
  int rc = -1;

  if (!check_state (data, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  switch (data->action)
    {
    case VMD_MACHINE_ACTION_START:
      rc = virDomainCreate (data->domain);
      break;
    case VMD_MACHINE_ACTION_SHUTDOWN:
      rc = virDomainShutdown (data->domain);
      break;
    case VMD_MACHINE_ACTION_FORCE_OFF:
      rc = virDomainDestroy (data->domain);
      break;
    case VMD_MACHINE_ACTION_PAUSE:
      rc = virDomainSuspend (data->domain);
      break;
    case VMD_MACHINE_ACTION_RESUME:
      rc = virDomainResume (data->domain);
      break;
    case VMD_MACHINE_ACTION_SAVE:
      /* libvirt keeps the image (beside the domain, not in a pool) and
       * its next start restores it; on a failure the guest runs on. */
      rc = virDomainManagedSave (data->domain, 0);
      break;
    case VMD_MACHINE_ACTION_DELETE:
      rc = delete_domain (data->domain, (const char * const *) data->also, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (rc == -1)
    {
      g_autofree char *what = describe_failure (data->action, data->name);
      g_task_return_error (task, _vmd_error_from_libvirt (what));
    }
  else if (rc < 0)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_task_completed (GTask      *task,
                   GParamSpec *pspec,
                   VmdMachine *self)
{
  ActionData *data = g_task_get_task_data (task);

  if (data->action == VMD_MACHINE_ACTION_SHUTDOWN && !g_task_had_error (task))
    _vmd_machine_set_shutdown_asked (self, TRUE);
  _vmd_machine_release_busy (self);
}

/**
 * vmd_machine_run_async:
 *
 * Starts, shuts down, forces off, pauses, resumes or deletes the guest, off
 * the main thread. The new state reaches #VmdMachine:state through the
 * hypervisor's events, not through this call's result.
 */
static void
run_action (VmdMachine          *self,
            VmdMachineAction     action,
            const char * const  *also,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  virDomainPtr domain;
  ActionData *data;

  task = _vmd_machine_domain_task (self, vmd_machine_run_async, cancellable, callback, user_data, &domain);
  if (task == NULL)
    return;

  data = g_new0 (ActionData, 1);
  data->domain = domain;
  data->name = g_strdup (vmd_machine_get_name (self));
  data->action = action;
  data->also = g_strdupv ((char **) also);
  g_task_set_task_data (task, data, (GDestroyNotify) action_data_free);

  _vmd_machine_hold_busy (self);
  g_signal_connect_object (task, "notify::completed", G_CALLBACK (on_task_completed), self, 0);

  g_task_run_in_thread (task, run_action_thread);
}

void
vmd_machine_run_async (VmdMachine          *self,
                       VmdMachineAction     action,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (VMD_IS_MACHINE (self));
  g_return_if_fail (action <= VMD_MACHINE_ACTION_SAVE);

  run_action (self, action, NULL, cancellable, callback, user_data);
}

/**
 * vmd_machine_delete_async:
 * @also: (nullable): disks VmDesk did not make that go too, as the person
 *   ticked them (vmd_machine_list_disks_async() lists them)
 *
 * Deletes the guest and the disks VmDesk made for it; finish with
 * vmd_machine_run_finish().
 */
void
vmd_machine_delete_async (VmdMachine          *self,
                          const char * const  *also,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (VMD_IS_MACHINE (self));

  run_action (self, VMD_MACHINE_ACTION_DELETE, also, cancellable, callback, user_data);
}

gboolean
vmd_machine_run_finish (VmdMachine    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GBytes *bytes;
  char   *mime_type;
} Screenshot;

static void
screenshot_free (Screenshot *shot)
{
  g_clear_pointer (&shot->bytes, g_bytes_unref);
  g_free (shot->mime_type);
  g_free (shot);
}

/* In a worker thread: the guest's screen as the hypervisor grabs it (PNG or
 * PPM, see @mime_type). */
GBytes *
_vmd_domain_screenshot (virDomainPtr   domain,
                        char         **mime_type,
                        GError       **error)
{
  virStreamPtr stream = virStreamNew (virDomainGetConnect (domain), 0);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  char *mime;
  char buf[65536];
  int n;

  if (stream == NULL)
    {
      g_propagate_error (error, _vmd_error_from_libvirt (NULL));
      return NULL;
    }

  mime = virDomainScreenshot (domain, stream, 0, 0);
  if (mime == NULL)
    {
      g_propagate_error (error, _vmd_error_from_libvirt (NULL));
      virStreamFree (stream);
      return NULL;
    }

  while ((n = virStreamRecv (stream, buf, sizeof buf)) > 0)
    g_byte_array_append (data, (guint8 *) buf, n);

  if (n < 0 || virStreamFinish (stream) < 0)
    {
      g_propagate_error (error, _vmd_error_from_libvirt (NULL));
      virStreamAbort (stream);
      virStreamFree (stream);
      free (mime);
      return NULL;
    }
  virStreamFree (stream);

  if (mime_type != NULL)
    *mime_type = g_strdup (mime);
  free (mime);
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

static void
screenshot_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  Screenshot *shot = g_new0 (Screenshot, 1);

  shot->bytes = _vmd_domain_screenshot (task_data, &shot->mime_type, &error);
  if (shot->bytes == NULL)
    {
      screenshot_free (shot);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, shot, (GDestroyNotify) screenshot_free);
}

/**
 * vmd_machine_screenshot_async:
 *
 * The guest's screen as an image (PNG or PPM, see the mime type), taken by
 * the hypervisor: for thumbnails, not for the live display.
 */
void
vmd_machine_screenshot_async (VmdMachine          *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  virDomainPtr domain;

  g_return_if_fail (VMD_IS_MACHINE (self));

  task = _vmd_machine_domain_task (self, vmd_machine_screenshot_async, cancellable, callback, user_data, &domain);
  if (task == NULL)
    return;
  g_task_set_task_data (task, domain, _vmd_domain_unref);
  g_task_run_in_thread (task, screenshot_thread);
}

GBytes *
vmd_machine_screenshot_finish (VmdMachine    *self,
                               GAsyncResult  *result,
                               char         **mime_type,
                               GError       **error)
{
  Screenshot *shot;
  GBytes *bytes;

  g_return_val_if_fail (VMD_IS_MACHINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  shot = g_task_propagate_pointer (G_TASK (result), error);
  if (shot == NULL)
    return NULL;
  bytes = g_steal_pointer (&shot->bytes);
  if (mime_type != NULL)
    *mime_type = g_steal_pointer (&shot->mime_type);
  screenshot_free (shot);
  return bytes;
}

typedef struct
{
  virDomainPtr domain;
  char        *name;
  guint64      memory;
  guint        vcpus;
} ResourcesData;

static void
resources_data_free (ResourcesData *data)
{
  g_clear_pointer (&data->domain, virDomainFree);
  g_free (data->name);
  g_free (data);
}

static void
set_resources_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  ResourcesData *data = task_data;
  unsigned long kib = data->memory / 1024;
  const unsigned int config = VIR_DOMAIN_AFFECT_CONFIG;

  /* The saved definition: a running guest gets it at its next start. The
   * maximum first, so that the current value fits under it; vCPUs the
   * same way. */
  if (virDomainSetMemoryFlags (data->domain, kib, config | VIR_DOMAIN_MEM_MAXIMUM) < 0 ||
      virDomainSetMemoryFlags (data->domain, kib, config) < 0 ||
      virDomainSetVcpusFlags (data->domain, data->vcpus, config | VIR_DOMAIN_VCPU_MAXIMUM) < 0 ||
      virDomainSetVcpusFlags (data->domain, data->vcpus, config) < 0)
    {
      g_autofree char *what = g_strdup_printf (_("Could not change “%s”"), data->name);
      g_task_return_error (task, _vmd_error_from_libvirt (what));
      return;
    }

  /* Drivers announce no event for this: read the guest again. */
  _vmd_task_return_domain_info (task, data->domain);
}

/**
 * vmd_machine_set_resources_async:
 * @memory: bytes of RAM
 *
 * Changes the guest's RAM and vCPUs in its saved definition; a running
 * guest gets them when it next starts. The caller checks the budget first.
 */
void
vmd_machine_set_resources_async (VmdMachine          *self,
                                 guint64              memory,
                                 guint                vcpus,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  virDomainPtr domain;
  ResourcesData *data;

  g_return_if_fail (VMD_IS_MACHINE (self));
  g_return_if_fail (memory >= 1024 * 1024);
  g_return_if_fail (vcpus >= 1);

  task = _vmd_machine_domain_task (self, vmd_machine_set_resources_async, cancellable, callback, user_data,
                      &domain);
  if (task == NULL)
    return;

  data = g_new0 (ResourcesData, 1);
  data->domain = domain;
  data->name = g_strdup (vmd_machine_get_name (self));
  data->memory = memory;
  data->vcpus = vcpus;
  g_task_set_task_data (task, data, (GDestroyNotify) resources_data_free);
  g_task_run_in_thread (task, set_resources_thread);
}

gboolean
vmd_machine_set_resources_finish (VmdMachine    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_autoptr(VmdDomainInfo) info = NULL;

  g_return_val_if_fail (VMD_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  info = g_task_propagate_pointer (G_TASK (result), error);
  if (info == NULL)
    return FALSE;
  _vmd_machine_apply_info (self, info);
  return TRUE;
}
