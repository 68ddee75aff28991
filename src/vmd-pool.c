/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-pool"

#include "config.h"

#include <errno.h>
#include <string.h>

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
  g_autofree char *out = NULL;
  const char *home;

  if (parsed != NULL && g_str_equal (g_uri_get_path (parsed), "/system"))
    return g_strdup ("/var/lib/libvirt/images/vmdesk");

  /* After a mark: what the login shell's start-up files print comes
   * before it. */
  out = vmd_ssh_run_sync (uri, "printf 'vmdesk-home:%s' \"$HOME\"", NULL, error);
  if (out == NULL)
    return NULL;
  home = strstr (out, "vmdesk-home:");
  if (home != NULL)
    home += strlen ("vmdesk-home:");
  if (home == NULL || !g_path_is_absolute (home))
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

/* Whether @vol ends as the file does: its last 64 KiB, read back from the
 * other computer. A copy cut short ends in what the volume was made with,
 * not the file's bytes. */
static gboolean
same_tail (virStorageVolPtr  vol,
           GInputStream     *input,
           goffset           size)
{
  gsize length = (gsize) MIN (size, 64 * 1024);
  g_autofree char *theirs = g_malloc (length);
  g_autofree char *ours = g_malloc (length);
  virStreamPtr stream = virStreamNew (virStorageVolGetConnect (vol), 0);
  gsize got = 0, read = 0;
  gboolean same = FALSE;

  if (stream == NULL)
    return FALSE;
  if (virStorageVolDownload (vol, stream, size - length, length, 0) == 0)
    {
      while (got < length)
        {
          int n = virStreamRecv (stream, theirs + got, length - got);

          if (n <= 0)
            break;
          got += n;
        }
      if (got == length && virStreamFinish (stream) == 0)
        same = g_seekable_seek (G_SEEKABLE (input), size - length, G_SEEK_SET, NULL, NULL) &&
               g_input_stream_read_all (input, ours, length, &read, NULL, NULL) &&
               read == length && memcmp (ours, theirs, length) == 0;
      else
        virStreamAbort (stream);
    }
  virStreamFree (stream);
  g_seekable_seek (G_SEEKABLE (input), 0, G_SEEK_SET, NULL, NULL);
  return same;
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
 * whose end is the file's is taken as the same file, not copied again;
 * another of that name (a different image, or a copy cut short) is left
 * alone, and the file goes in under a name of its own. A copy cancelled
 * or failed half way is removed. Blocks: for a worker thread.
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
  if (vol != NULL)
    {
      if (virStorageVolGetInfo (vol, &vol_info) == 0 &&
          vol_info.capacity == (unsigned long long) size &&
          same_tail (vol, G_INPUT_STREAM (input), size))
        return vol;
      g_autofree char *base = g_steal_pointer (&name);

      virStorageVolFree (vol);
      name = g_strdup_printf ("%08x-%s", g_random_int (), base);
    }

  /* No allocation: nothing is written ahead of the copy. */
  xml = g_markup_printf_escaped ("<volume><name>%s</name>"
                                 "<capacity unit='bytes'>%" G_GOFFSET_FORMAT "</capacity>"
                                 "<allocation unit='bytes'>0</allocation>"
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
