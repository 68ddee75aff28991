/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <spice-client.h>

#include "vmd-types.h"

G_BEGIN_DECLS

typedef enum
{
  VMD_SPICE_STATE_DISCONNECTED,
  VMD_SPICE_STATE_CONNECTING,
  VMD_SPICE_STATE_CONNECTED,
  VMD_SPICE_STATE_FAILED,
} VmdSpiceState;

#define VMD_TYPE_SPICE_STATE   (vmd_spice_state_get_type ())
#define VMD_TYPE_SPICE_SESSION (vmd_spice_session_get_type ())

GType vmd_spice_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (VmdSpiceSession, vmd_spice_session, VMD, SPICE_SESSION, GObject)

VmdSpiceSession    *vmd_spice_session_dup_for_machine (VmdMachine     *machine);
VmdMachine         *vmd_spice_session_get_machine    (VmdSpiceSession *self);
VmdSpiceState       vmd_spice_session_get_state      (VmdSpiceSession *self);
const char         *vmd_spice_session_get_error      (VmdSpiceSession *self);
void                vmd_spice_session_connect        (VmdSpiceSession *self);
void                vmd_spice_session_disconnect     (VmdSpiceSession *self);
SpiceSession       *vmd_spice_session_get_session    (VmdSpiceSession *self);
SpiceMainChannel   *vmd_spice_session_get_main       (VmdSpiceSession *self);
SpiceDisplayChannel *vmd_spice_session_get_display   (VmdSpiceSession *self);
SpiceInputsChannel *vmd_spice_session_get_inputs     (VmdSpiceSession *self);
SpiceCursorChannel *vmd_spice_session_get_cursor     (VmdSpiceSession *self);
gboolean            vmd_spice_session_get_agent      (VmdSpiceSession *self);

void vmd_spice_session_set_linger (int ms);

G_END_DECLS
