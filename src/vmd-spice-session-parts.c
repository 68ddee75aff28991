/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-spice-session"

#include "config.h"

#include "vmd-spice-session-private.h"

/* What a machine's session gives the window, beside the screen: engine
 * objects with properties and calls, each following the session's
 * channels, none of them handing out spice-client-glib's. */

/**
 * vmd_spice_session_get_audio:
 *
 * The guest's sound on the desktop: there for the session's whole life,
 * its volume kept across reconnections.
 *
 * Returns: (transfer none): the sound
 */
VmdSpiceAudio *
vmd_spice_session_get_audio (VmdSpiceSession *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_SESSION (self), NULL);
  return self->audio;
}

VmdSpiceFolder
vmd_spice_session_get_folder (VmdSpiceSession *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_SESSION (self), VMD_SPICE_FOLDER_UNAVAILABLE);
  return self->folder;
}

/**
 * vmd_spice_session_get_usb:
 *
 * Returns: (transfer none): this computer's USB devices, for the guest
 */
VmdSpiceUsb *
vmd_spice_session_get_usb (VmdSpiceSession *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_SESSION (self), NULL);
  return self->usb;
}

/**
 * vmd_spice_session_get_input:
 *
 * Returns: (transfer none): the guest's keyboard and mouse
 */
VmdSpiceInput *
vmd_spice_session_get_input (VmdSpiceSession *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_SESSION (self), NULL);
  return self->input;
}

/**
 * vmd_spice_session_get_clipboard:
 *
 * Returns: (transfer none): the guest's clipboard
 */
VmdSpiceClipboard *
vmd_spice_session_get_clipboard (VmdSpiceSession *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_SESSION (self), NULL);
  return self->clipboard;
}
