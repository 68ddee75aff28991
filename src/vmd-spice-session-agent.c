/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-spice-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vmd-spice-session-private.h"

/* What the session asks of the guest's SPICE agent (spice-vdagent): its
 * screen's resolution and files to copy in. */

/* Smaller than this, a guest's desktop is of no use. */
#define MIN_WIDTH  320
#define MIN_HEIGHT 200

void
_vmd_spice_session_send_resolution (VmdSpiceSession *self)
{
  int width = self->wanted_width, height = self->wanted_height;

  /* spice-client-glib sends a monitor configuration only to an agent. */
  if (self->main == NULL || !self->agent || width < MIN_WIDTH || height < MIN_HEIGHT ||
      (width == self->sent_width && height == self->sent_height))
    return;

  spice_main_channel_update_display_enabled (self->main, 0, TRUE, FALSE);
  spice_main_channel_update_display (self->main, 0, 0, 0, width, height, FALSE);
  spice_main_channel_send_monitor_config (self->main);
  self->sent_width = width;
  self->sent_height = height;
}

/**
 * vmd_spice_session_set_resolution:
 * @width: the guest screen's width, in pixels
 * @height: its height
 *
 * Asks the guest for a screen of this size, now if its agent runs, else
 * when one starts (and again whenever a new one does: after a reboot).
 * SPICE hands the size to the display device where the guest's driver
 * takes it there (QXL, virtio-gpu), else to the agent. Sizes under 320x200
 * are not asked for.
 */
void
vmd_spice_session_set_resolution (VmdSpiceSession *self,
                                  int              width,
                                  int              height)
{
  g_return_if_fail (VMD_IS_SPICE_SESSION (self));

  self->wanted_width = width;
  self->wanted_height = height;
  _vmd_spice_session_send_resolution (self);
}

static void
on_copied (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (spice_main_channel_file_copy_finish (SPICE_MAIN_CHANNEL (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * vmd_spice_session_copy_files_async:
 * @files: (array zero-terminated=1): the files to copy
 *
 * Copies files into the guest, where its agent puts them (the user's
 * Downloads folder, for spice-vdagent). Fails with G_IO_ERROR_NOT_CONNECTED
 * while no agent runs.
 */
void
vmd_spice_session_copy_files_async (VmdSpiceSession      *self,
                                    GFile               **files,
                                    GCancellable         *cancellable,
                                    GFileProgressCallback progress,
                                    gpointer              progress_data,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VMD_IS_SPICE_SESSION (self));
  g_return_if_fail (files != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_spice_session_copy_files_async);
  if (self->main == NULL || !self->agent)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("To receive files, the machine needs the SPICE agent (spice-vdagent)"));
      return;
    }
  spice_main_channel_file_copy_async (self->main, files, G_FILE_COPY_NONE, cancellable,
                                      progress, progress_data, on_copied,
                                      g_steal_pointer (&task));
}

gboolean
vmd_spice_session_copy_files_finish (VmdSpiceSession *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
