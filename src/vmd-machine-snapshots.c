/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-machine"

#include "config.h"

#include <errno.h>
#include <sys/statvfs.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vmd-engine.h"
#include "vmd-error.h"
#include "vmd-files.h"
#include "vmd-machine-private.h"
#include "vmd-name.h"
#include "vmd-snapshot-private.h"

/* Snapshots of a machine, running or off, BIOS or UEFI.
 *
 * libvirt's own internal snapshots where libvirt 9.0 makes them: a running
 * machine's with its memory, an off machine's of its disks. For a UEFI
 * machine (pflash firmware) libvirt refuses a running snapshot and leaves
 * the NVRAM out of an off one, so VmDesk makes those itself, from parts
 * libvirt does support: the memory saved to a file (virDomainSaveFlags),
 * an internal snapshot of the disks of the machine now off, a copy of the
 * NVRAM (and of the TPM's state, a folder), and the memory restored.
 * Reverting does the reverse. The files sit in the images folder, named
 * after the machine and the snapshot (UUID-HASH.memory, UUID-HASH.nvram,
 * UUID-HASH.tpm; UUID-HASH.screen, a picture of its
 * screen for every snapshot of a running machine), where listing and deleting find
 * them. A failure half way undoes what was done: the machine is left as it
 * was. */

typedef struct
{
  virDomainPtr       domain;
  char              *machine;   /* its name, for messages */
  char              *uuid;
  char              *label;
  VmdSnapshotAction  action;
} SnapshotData;

static void
snapshot_data_free (SnapshotData *data)
{
  g_clear_pointer (&data->domain, virDomainFree);
  g_free (data->machine);
  g_free (data->uuid);
  g_free (data->label);
  g_free (data);
}

/* Where VmDesk keeps a part of a snapshot that libvirt does not. */
static char *
part_path (const char *uuid,
           const char *label,
           const char *suffix)
{
  g_autofree char *dir = vmd_engine_dup_images_dir ();
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, label, -1);
  g_autofree char *base = g_strdup_printf ("%s-%.16s.%s", uuid, sum, suffix);

  return g_build_filename (dir, base, NULL);
}

/* The NVRAM file of a UEFI machine; %NULL for a machine that boots from
 * BIOS, which libvirt snapshots by itself. */
static char *
dup_nvram_path (virDomainPtr domain)
{
  g_autofree char *xml = virDomainGetXMLDesc (domain, 0);
  g_auto(GStrv) uefi = NULL;
  g_auto(GStrv) nvram = NULL;

  if (xml == NULL)
    return NULL;
  uefi = _vmd_xml_xpath_strings (xml, "/domain/os[@firmware='efi']/@firmware | "
                                      "/domain/os/loader[@type='pflash']/@type");
  if (uefi[0] == NULL)
    return NULL;
  nvram = _vmd_xml_xpath_strings (xml, "/domain/os/nvram");
  return nvram[0] ? g_strdup (nvram[0])
                  : _vmd_default_nvram_path (virDomainGetConnect (domain),
                                             virDomainGetName (domain));
}

static void
remove_part (const char *path)
{
  if (g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("Could not remove %s: %s", path, g_strerror (errno));
}

static char *
describe_failure (SnapshotData *data)
{
  switch (data->action)
    {
    case VMD_SNAPSHOT_ACTION_CREATE:
      return g_strdup_printf (_("Could not take a snapshot of “%s”"), data->machine);
    case VMD_SNAPSHOT_ACTION_REVERT:
      return g_strdup_printf (_("Could not revert “%s” to “%s”"), data->machine, data->label);
    case VMD_SNAPSHOT_ACTION_DELETE:
    default:
      return g_strdup_printf (_("Could not delete the snapshot “%s” of “%s”"), data->label,
                              data->machine);
    }
}

/* A libvirt failure, said for the person: what VmDesk tried, then why. */
static gboolean
fail_libvirt (SnapshotData  *data,
              GError       **error)
{
  g_autofree char *what = describe_failure (data);

  g_propagate_error (error, _vmd_error_from_libvirt (what));
  return FALSE;
}

static gboolean
fail (SnapshotData  *data,
      GError       **error,
      VmdError       code,
      const char    *why)
{
  g_autofree char *what = describe_failure (data);

  g_set_error (error, VMD_ERROR, code, "%s: %s", what, why);
  return FALSE;
}

static gboolean
is_active (virDomainPtr domain)
{
  return virDomainIsActive (domain) == 1;
}

/* A memory image takes the guest's RAM in disk space, on the disk of the
 * images folder; a running libvirt snapshot takes it inside the disk
 * image. Both are checked against the images folder's free space. */
static gboolean
check_space (SnapshotData  *data,
             guint64        needed,
             GError       **error)
{
  g_autofree char *dir = vmd_engine_dup_images_dir ();
  struct statvfs fs;
  guint64 available;

  if (g_mkdir_with_parents (dir, 0700) != 0 || statvfs (dir, &fs) != 0)
    return TRUE;  /* the save itself then says what is wrong */
  available = (guint64) fs.f_bavail * fs.f_frsize;
  if (available >= needed)
    return TRUE;

  {
    g_autofree char *need = g_format_size_full (needed, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *have = g_format_size_full (available, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *why = g_strdup_printf (_("its memory needs %s of disk space and only %s "
                                              "is free. Free some space, or shut the machine "
                                              "down to take a snapshot of its disks only."),
                                            need, have);
    return fail (data, error, VMD_ERROR_NO_SPACE, why);
  }
}

static guint64
memory_bytes (virDomainPtr domain)
{
  virDomainInfo info;

  if (virDomainGetInfo (domain, &info) < 0)
    return 0;
  return (guint64) info.memory * 1024;
}

static char *
snapshot_xml (const char *label)
{
  g_autofree char *name = g_markup_escape_text (label, -1);

  return g_strdup_printf ("<domainsnapshot><name>%s</name></domainsnapshot>", name);
}

/* A UEFI machine's snapshot: memory to a file (when it runs), the disks'
 * internal snapshot while it is off, the NVRAM copied, the memory back. */
static gboolean
create_uefi (SnapshotData  *data,
             const char    *nvram,
             GError       **error)
{
  g_autofree char *memory = part_path (data->uuid, data->label, "memory");
  g_autofree char *partial = part_path (data->uuid, data->label, "memory.part");
  g_autofree char *nvram_copy = part_path (data->uuid, data->label, "nvram");
  g_autofree char *tpm_copy = part_path (data->uuid, data->label, "tpm");
  g_autofree char *tpm = _vmd_tpm_state_dir (virDomainGetConnect (data->domain), data->uuid);
  g_autofree char *xml = snapshot_xml (data->label);
  g_autoptr(GError) local = NULL;
  gboolean active = is_active (data->domain);
  virDomainSnapshotPtr snapshot;

  if (!_vmd_conn_is_local (virDomainGetConnect (data->domain)))
    return fail (data, error, VMD_ERROR_UNSUPPORTED,
                 _("snapshots of UEFI machines are only made on this computer for now."));

  if (active)
    {
      if (!check_space (data, memory_bytes (data->domain), error))
        return FALSE;
      remove_part (partial);
      if (virDomainSaveFlags (data->domain, partial, NULL, 0) < 0)
        {
          remove_part (partial);
          return fail_libvirt (data, error);  /* the machine runs on */
        }
    }

  snapshot = virDomainSnapshotCreateXML (data->domain, xml, VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC);
  if (snapshot == NULL)
    {
      fail_libvirt (data, error);
      goto undo_save;
    }

  /* A machine that never ran has no NVRAM yet: libvirt makes it from its
   * template at the first start. Its TPM's state (swtpm's files, at rest
   * while the machine is off) goes with the NVRAM: Windows seals its keys
   * to both. */
  _vmd_tree_remove (tpm_copy);
  if ((g_file_test (nvram, G_FILE_TEST_EXISTS) &&
       !_vmd_file_copy (nvram, nvram_copy, TRUE, &local)) ||
      (g_file_test (tpm, G_FILE_TEST_IS_DIR) && !_vmd_tree_copy (tpm, tpm_copy, &local)))
    {
      g_autofree char *what = describe_failure (data);

      g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED, "%s: %s", what, local->message);
      virDomainSnapshotDelete (snapshot, 0);
      virDomainSnapshotFree (snapshot);
      remove_part (nvram_copy);
      _vmd_tree_remove (tpm_copy);
      goto undo_save;
    }
  virDomainSnapshotFree (snapshot);

  if (!active)
    return TRUE;

  if (g_rename (partial, memory) != 0)
    {
      int saved_errno = errno;
      g_autofree char *what = describe_failure (data);

      g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED, "%s: %s", what, g_strerror (saved_errno));
      goto undo_save;
    }
  if (virDomainRestore (virDomainGetConnect (data->domain), memory) < 0)
    {
      g_autofree char *what = g_strdup_printf (_("The snapshot “%s” was taken, but “%s” did not "
                                                 "start again: revert to it to bring it back"),
                                               data->label, data->machine);

      g_propagate_error (error, _vmd_error_from_libvirt (what));
      return FALSE;
    }
  return TRUE;

undo_save:
  if (active)
    {
      /* The machine as it was: running from the memory just saved. */
      if (virDomainRestore (virDomainGetConnect (data->domain), partial) < 0)
        g_warning ("Could not restore “%s” from %s: %s", data->machine, partial,
                   virGetLastErrorMessage ());
      remove_part (partial);
    }
  return FALSE;
}

static gboolean
create_snapshot (SnapshotData  *data,
                 GError       **error)
{
  g_autofree char *nvram = dup_nvram_path (data->domain);
  g_autofree char *xml = NULL;
  virDomainSnapshotPtr snapshot;

  if (nvram != NULL)
    return create_uefi (data, nvram, error);

  if (is_active (data->domain) && !check_space (data, memory_bytes (data->domain), error))
    return FALSE;
  xml = snapshot_xml (data->label);
  snapshot = virDomainSnapshotCreateXML (data->domain, xml, VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC);
  if (snapshot == NULL)
    return fail_libvirt (data, error);
  virDomainSnapshotFree (snapshot);
  return TRUE;
}

/* What the screen showed, for the list: taken before the snapshot, kept
 * beside its other parts (on this computer: a remote machine's list shows
 * none). */
static char *
save_screen (SnapshotData *data)
{
  g_autofree char *path = part_path (data->uuid, data->label, "screen");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (!is_active (data->domain) || !_vmd_conn_is_local (virDomainGetConnect (data->domain)))
    return NULL;
  g_mkdir_with_parents (dir, 0700);
  bytes = _vmd_domain_screenshot (data->domain, NULL, &error);
  if (bytes == NULL ||
      !g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_debug ("No picture of “%s” for its snapshot: %s", data->machine, error->message);
      return NULL;
    }
  return g_steal_pointer (&path);
}

static gboolean
create (SnapshotData  *data,
        GError       **error)
{
  g_autofree char *screen = NULL;
  virDomainSnapshotPtr existing;

  /* Refused before anything is made (the parts of a snapshot of this name
   * are that snapshot's). */
  existing = virDomainSnapshotLookupByName (data->domain, data->label, 0);
  if (existing != NULL)
    {
      virDomainSnapshotFree (existing);
      return fail (data, error, VMD_ERROR_INVALID_NAME,
                   _("a snapshot of this name exists: give it another name."));
    }
  if (virDomainHasManagedSaveImage (data->domain, 0) == 1)
    return fail (data, error, VMD_ERROR_INVALID_STATE,
                 _("it is saved. Start it first, or discard its saved state."));

  screen = save_screen (data);
  if (create_snapshot (data, error))
    return TRUE;
  if (screen != NULL)
    remove_part (screen);
  return FALSE;
}

static gboolean
revert (SnapshotData          *data,
        virDomainSnapshotPtr   snapshot,
        GError               **error)
{
  g_autofree char *memory = part_path (data->uuid, data->label, "memory");
  g_autofree char *nvram_copy = part_path (data->uuid, data->label, "nvram");
  g_autofree char *tpm_copy = part_path (data->uuid, data->label, "tpm");
  g_autofree char *nvram = NULL;
  g_autoptr(GError) local = NULL;
  gboolean own_memory = g_file_test (memory, G_FILE_TEST_EXISTS);
  gboolean own_nvram = g_file_test (nvram_copy, G_FILE_TEST_EXISTS);
  gboolean own_tpm = g_file_test (tpm_copy, G_FILE_TEST_IS_DIR);

  if (!own_memory && !own_nvram && !own_tpm)
    {
      /* libvirt's own snapshot: libvirt reverts it, memory included. */
      if (virDomainRevertToSnapshot (snapshot, 0) < 0)
        return fail_libvirt (data, error);
      return TRUE;
    }

  if (own_nvram)
    {
      nvram = dup_nvram_path (data->domain);
      if (nvram == NULL)
        return fail (data, error, VMD_ERROR_FAILED,
                     _("the machine no longer has UEFI variables to put back."));
    }

  /* What runs now is replaced: the person chose to go back. */
  if (is_active (data->domain) && virDomainDestroy (data->domain) < 0)
    return fail_libvirt (data, error);
  if (virDomainHasManagedSaveImage (data->domain, 0) == 1 &&
      virDomainManagedSaveRemove (data->domain, 0) < 0)
    return fail_libvirt (data, error);
  if (virDomainRevertToSnapshot (snapshot, 0) < 0)
    return fail_libvirt (data, error);
  if (own_nvram && !_vmd_file_copy (nvram_copy, nvram, TRUE, &local))
    {
      g_autofree char *what = describe_failure (data);

      g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED, "%s: %s", what, local->message);
      return FALSE;
    }
  if (own_tpm)
    {
      g_autofree char *tpm = _vmd_tpm_state_dir (virDomainGetConnect (data->domain), data->uuid);

      _vmd_tree_remove (tpm);
      if (!_vmd_tree_copy (tpm_copy, tpm, &local))
        {
          g_autofree char *what = describe_failure (data);

          g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED, "%s: %s", what, local->message);
          return FALSE;
        }
    }
  if (own_memory && virDomainRestore (virDomainGetConnect (data->domain), memory) < 0)
    return fail_libvirt (data, error);
  return TRUE;
}

static gboolean
delete (SnapshotData          *data,
        virDomainSnapshotPtr   snapshot,
        GError               **error)
{
  g_autofree char *memory = part_path (data->uuid, data->label, "memory");
  g_autofree char *nvram_copy = part_path (data->uuid, data->label, "nvram");
  g_autofree char *screen = part_path (data->uuid, data->label, "screen");
  g_autofree char *tpm_copy = part_path (data->uuid, data->label, "tpm");

  if (virDomainSnapshotDelete (snapshot, 0) < 0)
    return fail_libvirt (data, error);
  remove_part (memory);
  remove_part (nvram_copy);
  remove_part (screen);
  _vmd_tree_remove (tpm_copy);
  return TRUE;
}

/* In a worker thread, once @uuid's machine is undefined: the memory
 * images, NVRAM and TPM copies of its snapshots, which libvirt does not
 * know. */
void
_vmd_machine_remove_snapshot_parts (const char *uuid)
{
  g_autofree char *dir = vmd_engine_dup_images_dir ();
  g_autofree char *prefix = g_strdup_printf ("%s-", uuid);
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *entry;

  while (folder != NULL && (entry = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);

      if (!g_str_has_prefix (entry, prefix))
        continue;
      if (g_str_has_suffix (entry, ".memory") || g_str_has_suffix (entry, ".memory.part") ||
          g_str_has_suffix (entry, ".nvram") || g_str_has_suffix (entry, ".screen"))
        remove_part (path);
      else if (g_str_has_suffix (entry, ".tpm"))
        _vmd_tree_remove (path);
    }
}

static void
snapshot_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SnapshotData *data = task_data;
  virDomainSnapshotPtr snapshot = NULL;
  GError *error = NULL;
  gboolean ok;

  if (data->action == VMD_SNAPSHOT_ACTION_CREATE)
    ok = create (data, &error);
  else if ((snapshot = virDomainSnapshotLookupByName (data->domain, data->label, 0)) == NULL)
    {
      const virError *verr = virGetLastError ();

      if (verr != NULL && verr->code == VIR_ERR_NO_DOMAIN_SNAPSHOT)
        ok = fail (data, &error, VMD_ERROR_NOT_FOUND, _("there is no snapshot of this name."));
      else
        ok = fail_libvirt (data, &error);
    }
  else if (data->action == VMD_SNAPSHOT_ACTION_REVERT)
    ok = revert (data, snapshot, &error);
  else
    ok = delete (data, snapshot, &error);

  g_clear_pointer (&snapshot, virDomainSnapshotFree);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_snapshot_completed (GTask      *task,
                       GParamSpec *pspec,
                       VmdMachine *self)
{
  _vmd_machine_release_busy (self);
}

/**
 * vmd_machine_snapshot_async:
 * @label: the snapshot's name, as the person typed it
 *
 * Takes, reverts to or deletes a snapshot, off the main thread. Taking one
 * of a running machine keeps its memory, UEFI machines included; reverting
 * replaces what the machine runs now.
 */
void
vmd_machine_snapshot_async (VmdMachine          *self,
                            VmdSnapshotAction    action,
                            const char          *label,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *normal = NULL;
  virDomainPtr domain;
  SnapshotData *data;

  g_return_if_fail (VMD_IS_MACHINE (self));
  g_return_if_fail (action <= VMD_SNAPSHOT_ACTION_DELETE);
  g_return_if_fail (label != NULL);

  task = _vmd_machine_domain_task (self, vmd_machine_snapshot_async, cancellable, callback,
                                   user_data, &domain);
  if (task == NULL)
    return;

  data = g_new0 (SnapshotData, 1);
  data->domain = domain;
  data->machine = g_strdup (vmd_machine_get_name (self));
  data->uuid = g_strdup (vmd_machine_get_uuid (self));
  data->action = action;
  g_task_set_task_data (task, data, (GDestroyNotify) snapshot_data_free);

  /* A snapshot's name becomes libvirt's file and XML names, as a
   * machine's does: the same rules. */
  normal = vmd_name_normalize (label);
  data->label = g_strdup (normal);
  if (*normal == '\0')
    {
      fail (data, &error, VMD_ERROR_INVALID_NAME, _("give the snapshot a name."));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!vmd_name_check (normal, &error))
    {
      g_autofree char *why = g_strdup (error->message);

      g_clear_error (&error);
      fail (data, &error, VMD_ERROR_INVALID_NAME, why);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _vmd_machine_hold_busy (self);
  g_signal_connect_object (task, "notify::completed", G_CALLBACK (on_snapshot_completed), self, 0);
  g_task_run_in_thread (task, snapshot_thread);
}

gboolean
vmd_machine_snapshot_finish (VmdMachine    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static int
compare_created (gconstpointer a,
                 gconstpointer b)
{
  return g_date_time_compare (vmd_snapshot_get_created (*(VmdSnapshot **) a),
                              vmd_snapshot_get_created (*(VmdSnapshot **) b));
}

static VmdSnapshot *
read_snapshot (virDomainSnapshotPtr  snapshot,
               const char           *uuid)
{
  const char *label = virDomainSnapshotGetName (snapshot);
  g_autofree char *xml = virDomainSnapshotGetXMLDesc (snapshot, VIR_DOMAIN_SNAPSHOT_XML_SECURE);
  g_autofree char *memory = part_path (uuid, label, "memory");
  g_autofree char *screen = part_path (uuid, label, "screen");
  g_auto(GStrv) created = NULL;
  g_auto(GStrv) state = NULL;
  VmdMachineState machine_state = VMD_MACHINE_STATE_SHUT_OFF;
  gboolean has_memory;

  if (xml == NULL)
    return NULL;
  created = _vmd_xml_xpath_strings (xml, "/domainsnapshot/creationTime");
  state = _vmd_xml_xpath_strings (xml, "/domainsnapshot/state");
  if (g_strcmp0 (state[0], "running") == 0)
    machine_state = VMD_MACHINE_STATE_RUNNING;
  else if (g_strcmp0 (state[0], "paused") == 0)
    machine_state = VMD_MACHINE_STATE_PAUSED;

  has_memory = machine_state != VMD_MACHINE_STATE_SHUT_OFF;
  if (g_file_test (memory, G_FILE_TEST_EXISTS))
    {
      has_memory = TRUE;
      machine_state = VMD_MACHINE_STATE_RUNNING;
    }

  return _vmd_snapshot_new (label, created[0] ? g_ascii_strtoll (created[0], NULL, 10) : 0,
                            machine_state, has_memory,
                            virDomainSnapshotIsCurrent (snapshot, 0) == 1,
                            g_file_test (screen, G_FILE_TEST_EXISTS) ? screen : NULL);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SnapshotData *data = task_data;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListStore) store = g_list_store_new (VMD_TYPE_SNAPSHOT);
  virDomainSnapshotPtr *snapshots = NULL;
  int n = virDomainListAllSnapshots (data->domain, &snapshots, 0);

  if (n < 0)
    {
      g_autofree char *what = g_strdup_printf (_("Could not list the snapshots of “%s”"),
                                               data->machine);

      g_task_return_error (task, _vmd_error_from_libvirt (what));
      return;
    }

  for (int i = 0; i < n; i++)
    {
      VmdSnapshot *snapshot = read_snapshot (snapshots[i], data->uuid);

      if (snapshot != NULL)
        g_ptr_array_add (found, snapshot);
      virDomainSnapshotFree (snapshots[i]);
    }
  free (snapshots);

  g_ptr_array_sort (found, compare_created);
  g_list_store_splice (store, 0, 0, found->pdata, found->len);
  g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

/**
 * vmd_machine_list_snapshots_async:
 *
 * The machine's snapshots, oldest first, read off the main thread.
 */
void
vmd_machine_list_snapshots_async (VmdMachine          *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  virDomainPtr domain;
  SnapshotData *data;

  g_return_if_fail (VMD_IS_MACHINE (self));

  task = _vmd_machine_domain_task (self, vmd_machine_list_snapshots_async, cancellable, callback,
                                   user_data, &domain);
  if (task == NULL)
    return;

  data = g_new0 (SnapshotData, 1);
  data->domain = domain;
  data->machine = g_strdup (vmd_machine_get_name (self));
  data->uuid = g_strdup (vmd_machine_get_uuid (self));
  g_task_set_task_data (task, data, (GDestroyNotify) snapshot_data_free);
  g_task_run_in_thread (task, list_thread);
}

/**
 * vmd_machine_list_snapshots_finish:
 *
 * Returns: (transfer full): a #GListModel of #VmdSnapshot
 */
GListModel *
vmd_machine_list_snapshots_finish (VmdMachine    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
