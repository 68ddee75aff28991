/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-machine"

#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vmd-error.h"
#include "vmd-machine-private.h"
#include "vmd-name.h"

/* What the Properties window changes beyond RAM and vCPUs, each in a
 * worker thread: the machine's name, and the size of its disk. */

/* -- rename ----------------------------------------------------------- */

typedef struct
{
  virDomainPtr domain;
  char        *name;      /* as it is now */
  char        *new_name;  /* normalized and checked */
} RenameData;

static void
rename_data_free (RenameData *data)
{
  g_clear_pointer (&data->domain, virDomainFree);
  g_free (data->name);
  g_free (data->new_name);
  g_free (data);
}

/* Where the NVRAM of a UEFI machine lies, when libvirt derives it from the
 * name: libvirt 9.0 keeps no <nvram> in an off machine's definition, makes
 * the path from the name at each start, and a fresh file from the template
 * where there is none. Renaming leaves the old file behind (measured on
 * qemu:///session), so the renamed machine would boot with empty EFI
 * variables. %NULL for a BIOS machine, one whose definition names its
 * file (libvirt keeps that path through a rename), and remote machines,
 * whose files VmDesk cannot reach. */
static char *
dup_derived_nvram_path (virDomainPtr  domain,
                        const char   *name)
{
  virConnectPtr conn = virDomainGetConnect (domain);
  g_autofree char *xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  g_auto(GStrv) uefi = NULL;
  g_auto(GStrv) nvram = NULL;

  if (xml == NULL || !_vmd_conn_is_local (conn))
    return NULL;
  uefi = _vmd_xml_xpath_strings (xml, "/domain/os[@firmware='efi']/@firmware | "
                                      "/domain/os/loader[@type='pflash']/@type");
  nvram = _vmd_xml_xpath_strings (xml, "/domain/os/nvram");
  if (uefi[0] == NULL || nvram[0] != NULL)
    return NULL;
  return _vmd_default_nvram_path (conn, name);
}

static gboolean
check_rename (RenameData  *data,
              GError     **error)
{
  virConnectPtr conn = virDomainGetConnect (data->domain);
  virDomainPtr other;
  int state, reason, saved;

  other = virDomainLookupByName (conn, data->new_name);
  if (other != NULL)
    {
      virDomainFree (other);
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_NAME,
                   _("Could not rename “%s”: another machine is called “%s”. Choose another name."),
                   data->name, data->new_name);
      return FALSE;
    }
  virResetLastError ();

  if (virDomainGetState (data->domain, &state, &reason, 0) < 0)
    {
      g_autofree char *what = g_strdup_printf (_("Could not rename “%s”"), data->name);
      _vmd_set_error_from_libvirt (error, what);
      return FALSE;
    }
  if (state != VIR_DOMAIN_SHUTOFF)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                   _("Could not rename “%s”: only a machine that is off can be renamed. "
                     "Shut it down, then rename it."), data->name);
      return FALSE;
    }

  /* libvirt refuses it: the saved memory belongs to the old name. */
  saved = virDomainHasManagedSaveImage (data->domain, 0);
  if (saved < 0)
    virResetLastError ();
  if (saved == 1)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                   _("Could not rename “%s”: its memory is saved to disk. Start it and shut it "
                     "down, then rename it."), data->name);
      return FALSE;
    }
  return TRUE;
}

static void
rename_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenameData *data = task_data;
  g_autofree char *old_nvram = NULL;
  g_autofree char *new_nvram = NULL;
  GError *error = NULL;

  if (!check_rename (data, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  old_nvram = dup_derived_nvram_path (data->domain, data->name);
  if (old_nvram != NULL)
    new_nvram = _vmd_default_nvram_path (virDomainGetConnect (data->domain), data->new_name);

  if (virDomainRename (data->domain, data->new_name, 0) < 0)
    {
      g_autofree char *what = g_strdup_printf (_("Could not rename “%s”"), data->name);
      g_task_return_error (task, _vmd_error_from_libvirt (what));
      return;
    }

  /* The EFI variables (boot entries) follow the machine to the file libvirt
   * will look for; a machine that never started has none yet. */
  if (old_nvram != NULL && g_file_test (old_nvram, G_FILE_TEST_EXISTS) &&
      g_rename (old_nvram, new_nvram) != 0)
    {
      int saved_errno = errno;

      g_warning ("Could not move %s to %s: %s", old_nvram, new_nvram, g_strerror (saved_errno));
      if (virDomainRename (data->domain, data->name, 0) < 0)
        g_warning ("Could not give “%s” its name back", data->new_name);
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_FAILED,
                               _("Could not rename “%s”: its firmware settings could not be "
                                 "moved (%s)."), data->name, g_strerror (saved_errno));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * vmd_machine_rename_async:
 * @new_name: the name as typed; it is normalized (vmd_name_normalize())
 *
 * Gives the machine, which must be off, another name; a UEFI machine keeps
 * its firmware settings. The new name reaches #VmdMachine:name through
 * the hypervisor's events, as a rename made elsewhere does.
 */
void
vmd_machine_rename_async (VmdMachine          *self,
                          const char          *new_name,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr(GError) error = NULL;
  virDomainPtr domain;
  RenameData *data;

  g_return_if_fail (VMD_IS_MACHINE (self));
  g_return_if_fail (new_name != NULL);

  task = _vmd_machine_domain_task (self, vmd_machine_rename_async, cancellable, callback, user_data,
                                   &domain);
  if (task == NULL)
    return;

  normalized = vmd_name_normalize (new_name);
  if (!vmd_name_check (normalized, &error))
    {
      g_prefix_error (&error, _("Could not rename “%s”: "), vmd_machine_get_name (self));
      g_task_return_error (task, g_steal_pointer (&error));
      virDomainFree (domain);
      return;
    }
  if (g_strcmp0 (normalized, vmd_machine_get_name (self)) == 0)
    {
      g_task_return_boolean (task, TRUE);
      virDomainFree (domain);
      return;
    }

  data = g_new0 (RenameData, 1);
  data->domain = domain;
  data->name = g_strdup (vmd_machine_get_name (self));
  data->new_name = g_steal_pointer (&normalized);
  g_task_set_task_data (task, data, (GDestroyNotify) rename_data_free);
  g_task_run_in_thread (task, rename_thread);
}

gboolean
vmd_machine_rename_finish (VmdMachine    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* -- the disk ---------------------------------------------------------- */

typedef struct
{
  virDomainPtr domain;
  char        *name;
  guint64      new_capacity;
  /* read */
  char        *path;
  guint64      capacity;
  guint64      free_space;   /* G_MAXUINT64: not known */
} DiskData;

static void
disk_data_free (DiskData *data)
{
  g_clear_pointer (&data->domain, virDomainFree);
  g_free (data->name);
  g_free (data->path);
  g_free (data);
}

/* The storage volume at @path, after a refresh of the pools whose folder
 * holds it: a file copied there is no volume until its pool is read again. */
static virStorageVolPtr
lookup_volume (virConnectPtr  conn,
               const char    *path)
{
  virStorageVolPtr vol = virStorageVolLookupByPath (conn, path);
  g_autofree char *dir = NULL;
  virStoragePoolPtr *pools = NULL;
  int n;

  if (vol != NULL)
    return vol;
  virResetLastError ();

  dir = g_path_get_dirname (path);
  n = virConnectListAllStoragePools (conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *xml = virStoragePoolGetXMLDesc (pools[i], 0);
      g_auto(GStrv) target = xml ? _vmd_xml_xpath_strings (xml, "/pool/target/path") : NULL;

      if (target != NULL && target[0] != NULL && g_strcmp0 (target[0], dir) == 0)
        virStoragePoolRefresh (pools[i], 0);
      virStoragePoolFree (pools[i]);
    }
  free (pools);

  vol = virStorageVolLookupByPath (conn, path);
  if (vol == NULL)
    virResetLastError ();
  return vol;
}

/* Free space where @path lives: the file system's on this computer, the
 * pool's on another. */
static guint64
query_free_space (virConnectPtr  conn,
                  const char    *path)
{
  virStorageVolPtr vol;
  virStoragePoolPtr pool;
  virStoragePoolInfo info;
  guint64 free_space = G_MAXUINT64;

  if (_vmd_conn_is_local (conn))
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autoptr(GFile) file = g_file_new_for_path (dir);
      g_autoptr(GFileInfo) fs = g_file_query_filesystem_info (file, G_FILE_ATTRIBUTE_FILESYSTEM_FREE,
                                                              NULL, NULL);

      if (fs != NULL && g_file_info_has_attribute (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
        return g_file_info_get_attribute_uint64 (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
    }

  vol = lookup_volume (conn, path);
  if (vol == NULL)
    return G_MAXUINT64;
  pool = virStoragePoolLookupByVolume (vol);
  if (pool != NULL && virStoragePoolGetInfo (pool, &info) == 0)
    free_space = info.available;
  else
    virResetLastError ();
  if (pool != NULL)
    virStoragePoolFree (pool);
  virStorageVolFree (vol);
  return free_space;
}

static gboolean
read_volume_capacity (virConnectPtr  conn,
                      const char    *path,
                      guint64       *capacity)
{
  virStorageVolPtr vol = lookup_volume (conn, path);
  virStorageVolInfo info;
  int rc;

  if (vol == NULL)
    return FALSE;
  rc = virStorageVolGetInfo (vol, &info);
  virStorageVolFree (vol);
  if (rc < 0)
    return FALSE;
  *capacity = info.capacity;
  return TRUE;
}

/* The first writable disk's image, its size and the free space beside it. */
static gboolean
read_disk (DiskData  *data,
           GError   **error)
{
  virConnectPtr conn = virDomainGetConnect (data->domain);
  g_autofree char *xml = virDomainGetXMLDesc (data->domain, VIR_DOMAIN_XML_INACTIVE);
  g_auto(GStrv) images = NULL;
  virDomainBlockInfo block;

  if (xml == NULL)
    {
      _vmd_set_error_from_libvirt (error, NULL);
      return FALSE;
    }
  images = _vmd_domain_xml_get_disk_images (xml);
  if (images[0] == NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                   _("“%s” has no disk that can be grown."), data->name);
      return FALSE;
    }
  data->path = g_strdup (images[0]);

  /* What the guest sees when it runs; the volume's header when it is off
   * (the test driver's block info is made up). */
  if (virDomainIsActive (data->domain) == 1 &&
      virDomainGetBlockInfo (data->domain, data->path, &block, 0) == 0)
    data->capacity = block.capacity;
  else if (read_volume_capacity (conn, data->path, &data->capacity))
    ;
  else if (virDomainGetBlockInfo (data->domain, data->path, &block, 0) == 0)
    data->capacity = block.capacity;
  else
    {
      g_autofree char *what =
        g_strdup_printf (_("Could not read the size of the disk of “%s”"), data->name);
      _vmd_set_error_from_libvirt (error, what);
      return FALSE;
    }
  virResetLastError ();

  data->free_space = query_free_space (conn, data->path);
  return TRUE;
}

static void
read_disk_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;

  if (!read_disk (task_data, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static GTask *
disk_task (VmdMachine          *self,
           gpointer             source_tag,
           guint64              new_capacity,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  virDomainPtr domain;
  DiskData *data;

  task = _vmd_machine_domain_task (self, source_tag, cancellable, callback, user_data, &domain);
  if (task == NULL)
    return NULL;

  data = g_new0 (DiskData, 1);
  data->domain = domain;
  data->name = g_strdup (vmd_machine_get_name (self));
  data->new_capacity = new_capacity;
  data->free_space = G_MAXUINT64;
  g_task_set_task_data (task, data, (GDestroyNotify) disk_data_free);
  return g_steal_pointer (&task);
}

/**
 * vmd_machine_read_disk_async:
 *
 * The machine's first writable disk, for the Properties window: its
 * image, its size and the free space where the image lives.
 */
void
vmd_machine_read_disk_async (VmdMachine          *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VMD_IS_MACHINE (self));

  task = disk_task (self, vmd_machine_read_disk_async, 0, cancellable, callback, user_data);
  if (task != NULL)
    g_task_run_in_thread (task, read_disk_thread);
}

/**
 * vmd_machine_read_disk_finish:
 * @path: (out) (optional): the disk's image
 * @capacity: (out) (optional): its size as the guest sees it, in bytes
 * @free_space: (out) (optional): bytes free where the image lives;
 *   %G_MAXUINT64 when that is not known
 */
gboolean
vmd_machine_read_disk_finish (VmdMachine    *self,
                              GAsyncResult  *result,
                              char         **path,
                              guint64       *capacity,
                              guint64       *free_space,
                              GError       **error)
{
  DiskData *data;

  g_return_val_if_fail (VMD_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  if (path != NULL)
    *path = g_strdup (data->path);
  if (capacity != NULL)
    *capacity = data->capacity;
  if (free_space != NULL)
    *free_space = data->free_space;
  return TRUE;
}

static char *
format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_DEFAULT);
}

/* Off: the image's storage volume grows. An image in no pool cannot grow
 * here: libvirt resizes only a running machine's disks or a pool's
 * volumes, and VmDesk does not run qemu-img on files libvirt owns. */
static gboolean
resize_volume (DiskData  *data,
               GError   **error)
{
  virStorageVolPtr vol = lookup_volume (virDomainGetConnect (data->domain), data->path);
  int rc;

  if (vol == NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                   _("Could not grow the disk of “%s”: its image is in no storage pool, so it "
                     "cannot be grown while the machine is off. Start the machine, then grow "
                     "its disk."), data->name);
      return FALSE;
    }
  rc = virStorageVolResize (vol, data->new_capacity, 0);
  virStorageVolFree (vol);
  if (rc < 0)
    {
      g_autofree char *what = g_strdup_printf (_("Could not grow the disk of “%s”"), data->name);
      _vmd_set_error_from_libvirt (error, what);
      return FALSE;
    }
  return TRUE;
}

static void
resize_disk_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  DiskData *data = task_data;
  GError *error = NULL;
  guint64 growth;
  int state, reason, saved;

  if (!read_disk (data, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (data->new_capacity < data->capacity)
    {
      g_autofree char *now = format_size (data->capacity);

      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                               _("Could not change the disk of “%s”: a disk cannot be made "
                                 "smaller than it is (%s): the systems inside would lose data."),
                               data->name, now);
      return;
    }
  if (data->new_capacity == data->capacity)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* A qcow2 image grows as the guest writes: only the growth must fit. */
  growth = data->new_capacity - data->capacity;
  if (data->free_space != G_MAXUINT64 && growth > data->free_space)
    {
      g_autofree char *size = format_size (data->new_capacity);
      g_autofree char *more = format_size (growth);
      g_autofree char *free_space = format_size (data->free_space);

      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NO_SPACE,
                               _("Could not grow the disk of “%s”: it may grow to %s, %s more "
                                 "than now, and %s is free where its image lives."),
                               data->name, size, more, free_space);
      return;
    }

  if (virDomainGetState (data->domain, &state, &reason, 0) < 0)
    {
      g_autofree char *what = g_strdup_printf (_("Could not grow the disk of “%s”"), data->name);
      g_task_return_error (task, _vmd_error_from_libvirt (what));
      return;
    }

  if (state == VIR_DOMAIN_SHUTOFF)
    {
      /* The saved memory expects the disk as it was. */
      saved = virDomainHasManagedSaveImage (data->domain, 0);
      if (saved < 0)
        virResetLastError ();
      if (saved == 1)
        {
          g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                                   _("Could not grow the disk of “%s”: its memory is saved to "
                                     "disk. Start it first."), data->name);
          return;
        }
      if (!resize_volume (data, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else if (virDomainBlockResize (data->domain, data->path, data->new_capacity,
                                 VIR_DOMAIN_BLOCK_RESIZE_BYTES) < 0)
    {
      /* The guest sees the new size at once. */
      g_autofree char *what = g_strdup_printf (_("Could not grow the disk of “%s”"), data->name);
      g_task_return_error (task, _vmd_error_from_libvirt (what));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * vmd_machine_resize_disk_async:
 * @new_capacity: bytes; never less than the disk's size now
 *
 * Grows the machine's first writable disk (vmd_machine_read_disk_async()):
 * a running machine's at once, which its system sees live; an off
 * machine's through its storage pool. Refuses to shrink it, and to grow it
 * by more than the free space where its image lives.
 */
void
vmd_machine_resize_disk_async (VmdMachine          *self,
                               guint64              new_capacity,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VMD_IS_MACHINE (self));

  task = disk_task (self, vmd_machine_resize_disk_async, new_capacity, cancellable, callback,
                    user_data);
  if (task != NULL)
    g_task_run_in_thread (task, resize_disk_thread);
}

gboolean
vmd_machine_resize_disk_finish (VmdMachine    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
