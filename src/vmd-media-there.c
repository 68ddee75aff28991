/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-media"

#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vmd-connection-private.h"
#include "vmd-iso.h"
#include "vmd-media-private.h"
#include "vmd-text.h"

/* An installer image on another computer, in one of its storage pools:
 * read through libvirt's storage streams (virStorageVolDownload), nothing
 * copied but what the checks read (vmd_iso_check(): the volume
 * descriptors and what libosinfo walks). Those bytes go at their places in
 * a sparse file of the image's size on this computer, and libosinfo reads
 * that file as it reads any image: the labels are read the same way here
 * and there. */

typedef struct
{
  virStorageVolPtr  vol;
  int               copy;    /* the sparse file */
  char             *reason;  /* the first read's failure */
} There;

static gssize
read_there (gpointer  user_data,
            void     *buffer,
            gsize     count,
            guint64   offset)
{
  There *there = user_data;
  virStreamPtr stream = virStreamNew (virStorageVolGetConnect (there->vol), 0);
  gsize got = 0;
  gboolean ok = FALSE;

  if (stream != NULL && virStorageVolDownload (there->vol, stream, offset, count, 0) == 0)
    {
      int n = 1;

      while (got < count && (n = virStreamRecv (stream, (char *) buffer + got, count - got)) > 0)
        got += n;
      ok = n >= 0 && virStreamFinish (stream) == 0;
      if (!ok)
        virStreamAbort (stream);
    }
  if (stream != NULL)
    virStreamFree (stream);

  if (!ok)
    {
      if (there->reason == NULL)
        there->reason = g_strdup (virGetLastErrorMessage ());
      errno = EIO;
      return -1;
    }
  if (got > 0 && pwrite (there->copy, buffer, got, offset) != (gssize) got)
    {
      int saved_errno = errno;

      if (there->reason == NULL)
        there->reason = g_strdup (g_strerror (saved_errno));
      errno = saved_errno;
      return -1;
    }
  return got;
}

typedef struct
{
  VmdConnection *connection;
  char          *path;
  guint64        size;
  OsinfoMedia   *media;
} ThereData;

static void
there_data_free (ThereData *data)
{
  g_clear_object (&data->connection);
  g_free (data->path);
  g_clear_object (&data->media);
  g_free (data);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ThereData *data = task_data;
  virConnectPtr conn = _vmd_connection_dup_conn (data->connection);
  g_autofree char *name = vmd_text_dup_display_basename (data->path);
  g_autofree char *copy_path = NULL;
  There there = { NULL, -1, NULL };
  virStorageVolInfo info;
  VmdIsoVerdict verdict;
  VmdIsoFacts facts;
  GError *error = NULL;

  if (conn == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NOT_CONNECTED,
                               _("The other computer is not connected"));
      return;
    }
  there.vol = virStorageVolLookupByPath (conn, data->path);
  if (there.vol == NULL || virStorageVolGetInfo (there.vol, &info) < 0)
    {
      g_set_error (&error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                   _("“%s” is not among the images of the other computer’s storage."), name);
      goto out;
    }
  if (info.type != VIR_STORAGE_VOL_FILE && info.type != VIR_STORAGE_VOL_BLOCK)
    {
      g_set_error (&error, VMD_ERROR, VMD_ERROR_NOT_MEDIA,
                   _("“%s” is not an installer image: VmDesk reads ISO disc images."), name);
      goto out;
    }
  data->size = info.capacity;

  there.copy = g_file_open_tmp ("vmdesk-image-XXXXXX.iso", &copy_path, &error);
  if (there.copy < 0)
    goto out;
  if (ftruncate (there.copy, (off_t) data->size) != 0)
    {
      int saved_errno = errno;

      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s",
                   g_strerror (saved_errno));
      goto out;
    }

  verdict = vmd_iso_check (read_there, &there, data->size, &facts);
  if (verdict == VMD_ISO_LABELS)
    data->media = _vmd_media_read_labels (copy_path, cancellable, &error);
  else if (verdict != VMD_ISO_NO_LABELS)
    _vmd_media_set_check_error (&error, verdict, &facts, name, data->size,
                                there.reason ? there.reason : g_strerror (facts.read_errno));

out:
  if (there.copy >= 0)
    close (there.copy);
  if (copy_path != NULL)
    g_unlink (copy_path);
  g_free (there.reason);
  if (there.vol != NULL)
    virStorageVolFree (there.vol);
  virConnectClose (conn);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Reads the image at @path on the computer of @connection (once it is
 * connected), as _vmd_media_read_async() reads a file here. */
void
_vmd_media_read_there_async (VmdConnection       *connection,
                             const char          *path,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  ThereData *data = g_new0 (ThereData, 1);

  g_task_set_source_tag (task, _vmd_media_read_there_async);
  data->connection = g_object_ref (connection);
  data->path = g_strdup (path);
  g_task_set_task_data (task, data, (GDestroyNotify) there_data_free);
  _vmd_connection_run_when_open (connection, task, read_thread);
}

gboolean
_vmd_media_read_there_finish (GAsyncResult  *result,
                              guint64       *size,
                              OsinfoMedia  **media,
                              GError       **error)
{
  ThereData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  *size = data->size;
  *media = g_steal_pointer (&data->media);
  return TRUE;
}
