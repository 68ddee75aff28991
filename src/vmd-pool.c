/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-pool"

#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <libvirt-gconfig/libvirt-gconfig.h>
#include <libvirt/virterror.h>

#include "vmd-engine.h"
#include "vmd-libvirt.h"
#include "vmd-pool.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePool, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolTarget, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePermissions, g_object_unref)

/* VmDesk's storage pool, defined, built and started if need be, and
 * refreshed: where its disk images (and its snapshots' memory) live. */
virStoragePoolPtr
_vmd_pool_ensure_images (virConnectPtr   conn,
                         GError        **error)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (conn, VMD_POOL_NAME);
  g_autofree char *dir = vmd_engine_dup_images_dir ();
  int active;

  if (pool == NULL)
    {
      g_autoptr(GVirConfigStoragePool) config = gvir_config_storage_pool_new ();
      g_autoptr(GVirConfigStoragePoolTarget) target = gvir_config_storage_pool_target_new ();
      g_autoptr(GVirConfigStoragePermissions) perms = gvir_config_storage_permissions_new ();
      g_autofree char *xml = NULL;

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not create the folder for disk images (%s): %s"),
                       dir, g_strerror (saved_errno));
          return NULL;
        }

      gvir_config_storage_pool_set_pool_type (config, GVIR_CONFIG_STORAGE_POOL_TYPE_DIR);
      gvir_config_storage_pool_set_name (config, VMD_POOL_NAME);
      /* libvirt-gconfig writes the number in decimal and libvirt reads it
       * as octal: 700 is rwx------. */
      gvir_config_storage_permissions_set_mode (perms, 700);
      gvir_config_storage_pool_target_set_path (target, dir);
      gvir_config_storage_pool_target_set_permissions (target, perms);
      gvir_config_storage_pool_set_target (config, target);
      xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));

      pool = virStoragePoolDefineXML (conn, xml, 0);
      if (pool == NULL)
        {
          _vmd_set_error_from_libvirt (error, _("Could not set up storage for disk images"));
          return NULL;
        }
      virStoragePoolSetAutostart (pool, 1);
    }

  active = virStoragePoolIsActive (pool);
  /* The folder is made above; drivers without a build step (the test
   * driver) refuse the flag. */
  if (active == 0 && virStoragePoolCreate (pool, VIR_STORAGE_POOL_CREATE_WITH_BUILD) < 0 &&
      (virGetLastErrorCode () != VIR_ERR_INVALID_ARG || virStoragePoolCreate (pool, 0) < 0))
    {
      _vmd_set_error_from_libvirt (error, _("Could not set up storage for disk images"));
      virStoragePoolFree (pool);
      return NULL;
    }
  virStoragePoolRefresh (pool, 0);

  return pool;
}
