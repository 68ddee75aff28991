/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "vmd-spice-session.h"

G_BEGIN_DECLS

struct _VmdSpiceSession
{
  GObject              parent_instance;

  VmdMachine          *machine;
  SpiceSession        *session;
  SpiceMainChannel    *main;
  SpiceDisplayChannel *display;
  SpiceInputsChannel  *inputs;
  SpiceCursorChannel  *cursor;
  GCancellable        *cancellable;
  GHashTable          *pending;       /* SpiceChannel waiting for its socket */
  GHashTable          *linking;       /* SpiceChannel not opened yet */
  GHashTable          *sockets;       /* SpiceChannel -> our duplicate of its socket */
  char                *error;
  VmdSpiceState        state;
  guint                users;         /* connect() calls not yet disconnected */
  guint                reconnect_source;
  guint                linger_source;
  guint                settle_source;
  guint                agent : 1;
  guint                retiring : 1;  /* to tear down once channels settle */
};

void _vmd_spice_session_set_state          (VmdSpiceSession *self,
                                            VmdSpiceState    state,
                                            const char      *error);
void _vmd_spice_session_request_fd         (VmdSpiceSession *self,
                                            SpiceChannel    *channel);
void _vmd_spice_session_on_open_fd         (SpiceChannel    *channel,
                                            int              with_tls,
                                            VmdSpiceSession *self);
void _vmd_spice_session_shut_all_sockets   (VmdSpiceSession *self);
void _vmd_spice_session_drop_socket        (gpointer         value);

G_END_DECLS
