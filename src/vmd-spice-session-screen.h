/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <spice-client.h>

#include "vmd-spice-session.h"

G_BEGIN_DECLS

/* For the code that draws the guest's screen, and only that: the display
 * channel's primary surface and the cursor channel's shape are drawn
 * straight from spice-client-glib's memory. Everything else goes through
 * VmdSpiceSession's calls and the objects beside it. The session notifies
 * "display" and "cursor" when they change. */

SpiceDisplayChannel *vmd_spice_session_get_display_channel (VmdSpiceSession *self);
SpiceCursorChannel  *vmd_spice_session_get_cursor_channel  (VmdSpiceSession *self);

G_END_DECLS
