/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-machine"

#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vmd-engine.h"
#include "vmd-error.h"
#include "vmd-machine-private.h"

/* Which of a guest's disks are VmDesk's: the ones it made, which deleting
 * the machine deletes; any other (a disk the person attached from
 * elsewhere) is only deleted when the person ticks it. */

static gboolean
in_images_dir (const char *path)
{
  g_autofree char *images_dir = vmd_engine_dup_images_dir ();
  g_autofree char *dir = g_path_get_dirname (path);

  return g_strcmp0 (dir, images_dir) == 0;
}

/* Machines VmDesk made before it recorded its disks: VmDesk's are the ones
 * in its storage pool or its images folder. */
static gboolean
in_vmdesk_storage (virConnectPtr  conn,
                   const char    *path)
{
  virStorageVolPtr vol = virStorageVolLookupByPath (conn, path);
  gboolean ours = FALSE;

  if (vol != NULL)
    {
      virStoragePoolPtr pool = virStoragePoolLookupByVolume (vol);

      ours = pool != NULL && g_strcmp0 (virStoragePoolGetName (pool), VMD_POOL_NAME) == 0;
      if (pool != NULL)
        virStoragePoolFree (pool);
      virStorageVolFree (vol);
      return ours;
    }
  return _vmd_conn_is_local (conn) && in_images_dir (path);
}

/* In a worker thread: @xml's writable, unshared disks (CD-ROMs and
 * read-only or shared disks are never deleted), VmDesk's and the others. */
void
_vmd_machine_classify_disks (virConnectPtr   conn,
                             const char     *xml,
                             GStrv          *own,
                             GStrv          *others)
{
  g_auto(GStrv) images = _vmd_domain_xml_get_disk_images (xml);
  g_auto(GStrv) listed = _vmd_xml_xpath_strings (xml, "/domain/metadata/vmdesk:vmdesk"
                                                      "/vmdesk:disk/@path");
  g_autoptr(GStrvBuilder) own_builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) others_builder = g_strv_builder_new ();

  for (guint i = 0; images[i] != NULL; i++)
    {
      gboolean ours = listed[0] != NULL ? g_strv_contains ((const char * const *) listed, images[i])
                                        : in_vmdesk_storage (conn, images[i]);

      g_strv_builder_add (ours ? own_builder : others_builder, images[i]);
    }
  *own = g_strv_builder_end (own_builder);
  *others = g_strv_builder_end (others_builder);
}

/* Deletes the volume at @path, or the file where it is not one (a local
 * connection only: a file on another host is not VmDesk's to reach). */
gboolean
_vmd_machine_delete_image (virConnectPtr   conn,
                           const char     *path,
                           GError        **error)
{
  virStorageVolPtr vol = virStorageVolLookupByPath (conn, path);

  if (vol != NULL)
    {
      int rc = virStorageVolDelete (vol, 0);

      virStorageVolFree (vol);
      if (rc < 0)
        {
          g_autofree char *what =
            g_strdup_printf (_("The disk image “%s” could not be deleted"), path);
          _vmd_set_error_from_libvirt (error, what);
          return FALSE;
        }
      return TRUE;
    }

  if (!_vmd_conn_is_local (conn))
    {
      g_message ("Keeping disk image %s: it is no storage volume of the remote host", path);
      return TRUE;
    }
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The disk image “%s” could not be deleted: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GStrv own;
  GStrv others;
} Disks;

static void
disks_free (Disks *disks)
{
  g_strfreev (disks->own);
  g_strfreev (disks->others);
  g_free (disks);
}

static void
list_disks_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  virDomainPtr domain = task_data;
  g_autofree char *xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  Disks *disks;

  if (xml == NULL)
    {
      g_task_return_error (task, _vmd_error_from_libvirt (NULL));
      return;
    }
  disks = g_new0 (Disks, 1);
  _vmd_machine_classify_disks (virDomainGetConnect (domain), xml, &disks->own, &disks->others);
  g_task_return_pointer (task, disks, (GDestroyNotify) disks_free);
}

/**
 * vmd_machine_list_disks_async:
 *
 * The guest's disk images that deleting it would remove (VmDesk made
 * them) and the others, for the confirmation to list.
 */
void
vmd_machine_list_disks_async (VmdMachine          *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  virDomainPtr domain;

  g_return_if_fail (VMD_IS_MACHINE (self));

  g_task_set_source_tag (task, vmd_machine_list_disks_async);
  domain = _vmd_machine_dup_domain (self);
  if (domain == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NOT_CONNECTED, "%s",
                               _vmd_not_connected_message ());
      return;
    }
  g_task_set_task_data (task, domain, _vmd_domain_unref);
  g_task_run_in_thread (task, list_disks_thread);
}

gboolean
vmd_machine_list_disks_finish (VmdMachine    *self,
                               GAsyncResult  *result,
                               GStrv         *own,
                               GStrv         *others,
                               GError       **error)
{
  Disks *disks;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  disks = g_task_propagate_pointer (G_TASK (result), error);
  if (disks == NULL)
    return FALSE;
  if (own != NULL)
    *own = g_steal_pointer (&disks->own);
  if (others != NULL)
    *others = g_steal_pointer (&disks->others);
  disks_free (disks);
  return TRUE;
}
