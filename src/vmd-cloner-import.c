/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-cloner"

#include "config.h"

#include "vmd-cloner-private.h"
#include "vmd-connection.h"
#include "vmd-guest-spec.h"
#include "vmd-name.h"

/* An import: a machine from a disk image file, read first (what it is,
 * whether it fits), then shaped by a person's choices. */

/**
 * vmd_cloner_new_for_image:
 * @path: a disk image file (qcow2, VMDK, VDI, raw…) on this computer
 * @name: (nullable): the new machine's name; %NULL names it after the file
 */
VmdCloner *
vmd_cloner_new_for_image (VmdConnection *connection,
                          const char    *path,
                          const char    *name)
{
  VmdCloner *self;

  g_return_val_if_fail (VMD_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (VMD_TYPE_CLONER, NULL);
  self->connection = g_object_ref (connection);
  self->image = g_canonicalize_filename (path, NULL);
  self->auto_name = name == NULL;
  if (name != NULL)
    self->name = vmd_name_normalize (name);
  else
    {
      g_autofree char *base = g_path_get_basename (self->image);
      char *dot = strrchr (base, '.');
      g_autofree char *display = NULL;

      if (dot != NULL && dot != base)
        *dot = '\0';
      display = g_filename_display_name (base);
      self->name = vmd_guest_spec_make_unique_name (display,
                                                    vmd_connection_get_machines (connection));
    }
  return self;
}

/**
 * vmd_cloner_inspect_async:
 *
 * For an import: reads, off the main thread, what the image is (a disk
 * libvirt recognises, its format and size) and whether its copy fits, the
 * checks the import makes first, without copying anything. Then
 * vmd_cloner_get_format() and vmd_cloner_get_capacity() tell.
 */
void
vmd_cloner_inspect_async (VmdCloner           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (VMD_IS_CLONER (self));
  g_return_if_fail (self->image != NULL);

  _vmd_cloner_start (self, TRUE, vmd_cloner_inspect_async, cancellable, callback, user_data);
}

gboolean
vmd_cloner_inspect_finish (VmdCloner     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  RunData *data;
  Disk *disk;

  g_return_val_if_fail (VMD_IS_CLONER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  g_free (self->format);
  if (data->appliance != NULL)
    {
      const char *name = vmd_ova_get_name (data->appliance);

      self->format = g_strdup ("ova");
      self->capacity = vmd_ova_get_capacity (data->appliance);
      if (self->memory == 0)
        self->memory = vmd_ova_get_memory (data->appliance);
      if (self->vcpus == 0)
        self->vcpus = vmd_ova_get_cpus (data->appliance);
      if (self->auto_name && name != NULL && *name != '\0')
        {
          g_autofree char *normal = vmd_name_normalize (name);

          g_free (self->name);
          self->name = vmd_guest_spec_make_unique_name (normal,
                                                        vmd_connection_get_machines (self->connection));
        }
      return TRUE;
    }
  disk = data->disks->pdata[0];
  self->format = g_strdup (disk->format);
  self->capacity = disk->capacity;
  return TRUE;
}

/* The import's choices; 0 or %NULL: VmDesk's usual. */
void
vmd_cloner_set_name (VmdCloner  *self,
                     const char *name)
{
  g_return_if_fail (VMD_IS_CLONER (self));
  g_return_if_fail (name != NULL);

  g_free (self->name);
  self->name = vmd_name_normalize (name);
  self->auto_name = FALSE;
}

const char *
vmd_cloner_get_name (VmdCloner *self)
{
  g_return_val_if_fail (VMD_IS_CLONER (self), NULL);
  return self->name;
}

void
vmd_cloner_set_memory (VmdCloner *self,
                       guint64    memory)
{
  g_return_if_fail (VMD_IS_CLONER (self));
  self->memory = memory;
}

guint64
vmd_cloner_get_memory (VmdCloner *self)
{
  g_return_val_if_fail (VMD_IS_CLONER (self), 0);
  return self->memory;
}

void
vmd_cloner_set_vcpus (VmdCloner *self,
                      guint      vcpus)
{
  g_return_if_fail (VMD_IS_CLONER (self));
  self->vcpus = vcpus;
}

guint
vmd_cloner_get_vcpus (VmdCloner *self)
{
  g_return_val_if_fail (VMD_IS_CLONER (self), 0);
  return self->vcpus;
}

void
vmd_cloner_set_os (VmdCloner  *self,
                   const char *os_id)
{
  g_return_if_fail (VMD_IS_CLONER (self));
  g_free (self->os_id);
  self->os_id = g_strdup (os_id);
}

/* The image's format as libvirt read it ("qcow2", "vmdk"…), once inspected. */
const char *
vmd_cloner_get_format (VmdCloner *self)
{
  g_return_val_if_fail (VMD_IS_CLONER (self), NULL);
  return self->format;
}

/* The disk's size as its guest sees it, once inspected. */
guint64
vmd_cloner_get_capacity (VmdCloner *self)
{
  g_return_val_if_fail (VMD_IS_CLONER (self), 0);
  return self->capacity;
}
