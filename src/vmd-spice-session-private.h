/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <spice-client.h>

#include "vmd-spice-audio.h"
#include "vmd-spice-session.h"
#include "vmd-spice-usb.h"
#include "vmd-ssh-tunnel.h"

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
  VmdSpiceAudio       *audio;
  VmdSpiceUsb         *usb;
  VmdSpiceInput       *input;
  VmdSpiceClipboard   *clipboard;
  VmdSshTunnel        *tunnel;        /* a guest on another computer's screen */
  SpiceChannel        *webdav;
  GSettings           *settings;      /* the machine's: its shared folder */
  GCancellable        *cancellable;
  GHashTable          *pending;       /* SpiceChannel waiting for its socket */
  GHashTable          *linking;       /* SpiceChannel not opened yet */
  GHashTable          *sockets;       /* SpiceChannel -> our duplicate of its socket */
  char                *error;
  VmdSpiceState        state;
  VmdSpiceFolder       folder;
  int                  wanted_width;  /* the guest's resolution, as asked */
  int                  wanted_height;
  int                  sent_width;    /* what the agent running now was sent */
  int                  sent_height;
  guint                users;         /* connect() calls not yet disconnected */
  guint                reconnect_source;
  guint                linger_source;
  guint                settle_source;
  guint                agent : 1;
  guint                webdav_connected : 1;
  guint                remote : 1;    /* its sockets come through the tunnel */
  guint                cut : 1;       /* the tunnel's link went while shown */
  guint                folder_off : 1;    /* the person shares no folder */
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
void _vmd_spice_session_update_folder      (VmdSpiceSession *self);
void _vmd_spice_session_sync_folder        (VmdSpiceSession *self);
void _vmd_spice_session_send_resolution    (VmdSpiceSession *self);
void _vmd_spice_session_schedule_reconnect (VmdSpiceSession *self);

VmdSpiceAudio *_vmd_spice_audio_new            (void);
void           _vmd_spice_audio_add_channel    (VmdSpiceAudio *self,
                                                SpiceChannel  *channel);
void           _vmd_spice_audio_remove_channel (VmdSpiceAudio *self,
                                                SpiceChannel  *channel);

VmdSpiceUsb   *_vmd_spice_usb_new              (GSettings     *settings);
void           _vmd_spice_usb_set_session      (VmdSpiceUsb   *self,
                                                SpiceSession  *session);
void           _vmd_spice_usb_add_channel      (VmdSpiceUsb   *self);

VmdSpiceInput *_vmd_spice_input_new            (void);
void           _vmd_spice_input_set_channels   (VmdSpiceInput      *self,
                                                SpiceInputsChannel *inputs,
                                                SpiceMainChannel   *main_channel);

VmdSpiceClipboard *_vmd_spice_clipboard_new      (void);
void               _vmd_spice_clipboard_set_main (VmdSpiceClipboard *self,
                                                  SpiceMainChannel  *main_channel);

G_END_DECLS
