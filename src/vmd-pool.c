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
#include "vmd-ssh-tunnel.h"
#include "vmd-error.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePool, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolTarget, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePermissions, g_object_unref)

/* Where VmDesk's images go on another computer: the system daemon's
 * images folder, or the session's user's data folder, found over SSH (no
 * libvirt call says where that user's home is). */
static char *
remote_images_dir (const char  *uri,
                   GError     **error)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_autofree char *home = NULL;

  if (parsed != NULL && g_str_equal (g_uri_get_path (parsed), "/system"))
    return g_strdup ("/var/lib/libvirt/images/vmdesk");

  home = vmd_ssh_run_sync (uri, "printf '%s' \"$HOME\"", NULL, error);
  if (home == NULL)
    return NULL;
  if (!g_path_is_absolute (home))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED,
                   _("The other computer gave no home folder for its disk images"));
      return NULL;
    }
  return g_build_filename (home, ".local", "share", "vmdesk", "images", NULL);
}

/* VmDesk's storage pool, defined, built and started if need be, and
 * refreshed: where its disk images (and its snapshots' memory) live. */
virStoragePoolPtr
_vmd_pool_ensure_images (virConnectPtr   conn,
                         GError        **error)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (conn, VMD_POOL_NAME);
  g_autofree char *uri = virConnectGetURI (conn);
  gboolean remote = uri != NULL && _vmd_uri_screen_needs_tunnel (uri);
  g_autofree char *dir = NULL;
  int active;

  if (pool == NULL)
    {
      g_autoptr(GVirConfigStoragePool) config = gvir_config_storage_pool_new ();
      g_autoptr(GVirConfigStoragePoolTarget) target = gvir_config_storage_pool_target_new ();
      g_autoptr(GVirConfigStoragePermissions) perms = gvir_config_storage_permissions_new ();
      g_autofree char *xml = NULL;

      /* Another computer's: the pool's build makes the folder there. */
      dir = remote ? remote_images_dir (uri, error) : vmd_engine_dup_images_dir ();
      if (dir == NULL)
        return NULL;
      if (!remote && g_mkdir_with_parents (dir, 0700) != 0)
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

/**
 * _vmd_pool_upload:
 * @pool: VmDesk's pool on another computer
 * @path: a file on this computer (an installer image)
 * @progress: (nullable): called with the fraction copied, from this thread
 *
 * Copies the file into the pool under its own name, through libvirt's
 * stream (virStorageVolUpload): for a machine made on another computer,
 * whose QEMU reads only what is there. A volume of that name and size
 * already there is taken as the same file, not copied again. A copy
 * cancelled or failed half way is removed. Blocks: for a worker thread.
 *
 * Returns: the volume, or %NULL with @error set
 */
virStorageVolPtr
_vmd_pool_upload (virStoragePoolPtr   pool,
                  const char         *path,
                  VmdPoolProgress     progress,
                  gpointer            user_data,
                  GCancellable       *cancellable,
                  GError            **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *xml = NULL;
  g_autofree guchar *block = NULL;
  virStorageVolPtr vol;
  virStreamPtr stream = NULL;
  virStorageVolInfo vol_info;
  goffset size, sent = 0;

  input = g_file_read (file, cancellable, error);
  if (input == NULL)
    return NULL;
  info = g_file_input_stream_query_info (input, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, error);
  if (info == NULL)
    return NULL;
  size = g_file_info_get_size (info);

  vol = virStorageVolLookupByName (pool, name);
  if (vol != NULL && virStorageVolGetInfo (vol, &vol_info) == 0 &&
      vol_info.capacity == (unsigned long long) size)
    return vol;
  if (vol != NULL)
    {
      virStorageVolDelete (vol, 0);
      virStorageVolFree (vol);
    }

  xml = g_markup_printf_escaped ("<volume><name>%s</name>"
                                 "<capacity unit='bytes'>%" G_GOFFSET_FORMAT "</capacity>"
                                 "<target><format type='raw'/></target></volume>", name, size);
  vol = virStorageVolCreateXML (pool, xml, 0);
  if (vol == NULL)
    {
      _vmd_set_error_from_libvirt (error, _("Could not copy the installer to the other computer"));
      return NULL;
    }

  stream = virStreamNew (virStoragePoolGetConnect (pool), 0);
  if (stream == NULL || virStorageVolUpload (vol, stream, 0, size, 0) < 0)
    {
      _vmd_set_error_from_libvirt (error, _("Could not copy the installer to the other computer"));
      goto failed;
    }

  block = g_malloc (1 << 20);
  while (sent < size)
    {
      gssize got = g_input_stream_read (G_INPUT_STREAM (input), block, 1 << 20, cancellable, error);

      if (got <= 0)
        {
          if (got == 0)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                         _("The installer image got shorter while it was copied"));
          virStreamAbort (stream);
          goto failed;
        }
      for (gssize done = 0; done < got;)
        {
          int n = virStreamSend (stream, (const char *) block + done, got - done);

          if (n < 0)
            {
              _vmd_set_error_from_libvirt (error,
                                           _("Could not copy the installer to the other computer"));
              virStreamAbort (stream);
              goto failed;
            }
          done += n;
        }
      sent += got;
      if (progress != NULL)
        progress ((double) sent / size, user_data);
    }
  if (virStreamFinish (stream) < 0)
    {
      _vmd_set_error_from_libvirt (error, _("Could not copy the installer to the other computer"));
      goto failed;
    }
  virStreamFree (stream);
  return vol;

failed:
  if (stream != NULL)
    virStreamFree (stream);
  virStorageVolDelete (vol, 0);
  virStorageVolFree (vol);
  return NULL;
}
