/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-connection"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vmd-connection-private.h"

/* The installer images a computer already has: the `.iso` volumes of its
 * running storage pools. A machine made from one there uses it where it is,
 * instead of a copy from this computer. */

typedef struct
{
  GTask           *task;
  GTaskThreadFunc  func;
} WhenOpen;

static void
on_open_for_thread (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  WhenOpen *when = user_data;
  g_autoptr(GTask) task = when->task;
  GError *error = NULL;

  if (!vmd_connection_open_finish (VMD_CONNECTION (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_run_in_thread (task, when->func);
  g_free (when);
}

/* Runs @func with @task (taken) on a worker thread once the connection is
 * open, or returns why it could not open on @task: the listing here, and
 * vmd-media-there.c's reading of an image there. */
void
_vmd_connection_run_when_open (VmdConnection   *self,
                               GTask           *task,
                               GTaskThreadFunc  func)
{
  WhenOpen *when = g_new0 (WhenOpen, 1);

  when->task = task;
  when->func = func;
  vmd_connection_open_async (self, g_task_get_cancellable (task), on_open_for_thread, when);
}

void
vmd_stored_image_free (VmdStoredImage *image)
{
  if (image == NULL)
    return;
  g_free (image->path);
  g_free (image->name);
  g_free (image->pool);
  g_free (image);
}

static int
compare_images (gconstpointer a,
                gconstpointer b)
{
  const VmdStoredImage *ia = *(VmdStoredImage **) a;
  const VmdStoredImage *ib = *(VmdStoredImage **) b;
  int by_name = g_utf8_collate (ia->name, ib->name);

  return by_name != 0 ? by_name : g_strcmp0 (ia->path, ib->path);
}

static void
add_pool_images (virStoragePoolPtr  pool,
                 GPtrArray         *images)
{
  virStorageVolPtr *vols = NULL;
  int n;

  /* What was put in the folder since the pool last looked. */
  virStoragePoolRefresh (pool, 0);
  n = virStoragePoolListAllVolumes (pool, &vols, 0);
  for (int i = 0; i < n; i++)
    {
      const char *name = virStorageVolGetName (vols[i]);
      g_autofree char *lower = g_ascii_strdown (name, -1);
      virStorageVolInfo info;
      char *path;

      if (g_str_has_suffix (lower, ".iso") && virStorageVolGetInfo (vols[i], &info) == 0 &&
          (info.type == VIR_STORAGE_VOL_FILE || info.type == VIR_STORAGE_VOL_BLOCK) &&
          (path = virStorageVolGetPath (vols[i])) != NULL)
        {
          VmdStoredImage *image = g_new0 (VmdStoredImage, 1);

          image->path = path;
          image->name = g_utf8_make_valid (name, -1);
          image->pool = g_utf8_make_valid (virStoragePoolGetName (pool), -1);
          image->size = info.capacity;
          g_ptr_array_add (images, image);
        }
      virStorageVolFree (vols[i]);
    }
  free (vols);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  virConnectPtr conn = _vmd_connection_dup_conn (source_object);
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_stored_image_free);
  virStoragePoolPtr *pools = NULL;
  int n;

  if (conn == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NOT_CONNECTED,
                               _("The computer is not connected"));
      return;
    }
  n = virConnectListAllStoragePools (conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
  if (n < 0)
    {
      GError *error = NULL;

      _vmd_set_error_from_libvirt (&error, _("Could not list the computer’s storage"));
      g_task_return_error (task, error);
      virConnectClose (conn);
      return;
    }
  for (int i = 0; i < n; i++)
    {
      add_pool_images (pools[i], images);
      virStoragePoolFree (pools[i]);
    }
  free (pools);
  virConnectClose (conn);

  g_ptr_array_sort (images, compare_images);
  g_task_return_pointer (task, g_steal_pointer (&images), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * vmd_connection_list_images_async:
 *
 * Lists the installer images (`.iso` volumes) of the computer's running
 * storage pools, once connected, by name.
 */
void
vmd_connection_list_images_async (VmdConnection       *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (VMD_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_connection_list_images_async);
  _vmd_connection_run_when_open (self, task, list_thread);
}

/**
 * vmd_connection_list_images_finish:
 *
 * Returns: (transfer container) (element-type VmdStoredImage): the images
 */
GPtrArray *
vmd_connection_list_images_finish (VmdConnection  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
