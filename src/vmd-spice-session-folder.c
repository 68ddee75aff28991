/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-spice-session"

#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "vmd-machine-settings.h"
#include "vmd-spice-session-private.h"

/* The shared folder of a machine's session: the folder its settings name,
 * offered over SPICE WebDAV (spice-client-glib's phodav server) to the
 * guest's spice-webdavd. */

void
_vmd_spice_session_update_folder (VmdSpiceSession *self)
{
  VmdSpiceFolder folder = VMD_SPICE_FOLDER_UNAVAILABLE;
  gboolean opened = FALSE;

  if (self->webdav != NULL && (!self->webdav_connected || self->folder_off))
    folder = VMD_SPICE_FOLDER_OFF;
  else if (self->webdav != NULL)
    {
      g_object_get (self->webdav, "port-opened", &opened, NULL);
      folder = opened ? VMD_SPICE_FOLDER_SHARED : VMD_SPICE_FOLDER_WAITING;
    }
  if (self->folder == folder)
    return;
  self->folder = folder;
  g_object_notify (G_OBJECT (self), "folder");
}

/* What the guest reaches once the person stopped sharing while the
 * channel is up: an empty folder of VmDesk's, read-only. Closing the
 * channel instead, with the guest's requests under way, made
 * spice-client-glib's WebDAV channel return a task it had freed. */
static char *
dup_nothing (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_runtime_dir (), "vmdesk-no-folder", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_message ("No empty folder for the guest: %s", g_strerror (errno));
  return g_steal_pointer (&dir);
}

/* The folder the machine's settings name, offered to the guest over the
 * WebDAV channel. The channel is connected once a folder is shared, and
 * stays: a folder no longer shared is replaced by nothing at once. */
void
_vmd_spice_session_sync_folder (VmdSpiceSession *self)
{
  g_autofree char *folder =
    vmd_machine_settings_dup_folder (self->settings, self->session != NULL);

  self->folder_off = folder == NULL;
  if (self->session != NULL && folder != NULL)
    g_object_set (self->session, "shared-dir", folder, "share-dir-ro", FALSE, NULL);
  else if (self->session != NULL && self->webdav_connected)
    {
      g_autofree char *nothing = dup_nothing ();

      g_object_set (self->session, "shared-dir", nothing, "share-dir-ro", TRUE, NULL);
    }
  if (self->webdav != NULL && folder != NULL && !self->webdav_connected)
    {
      self->webdav_connected = TRUE;
      g_hash_table_add (self->linking, self->webdav);
      spice_channel_connect (self->webdav);
    }
  _vmd_spice_session_update_folder (self);
}
