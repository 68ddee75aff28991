/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vmd-spice-clipboard.h"
#include "vmd-spice-input.h"
#include "vmd-types.h"

G_BEGIN_DECLS

typedef enum
{
  VMD_SPICE_STATE_DISCONNECTED,
  VMD_SPICE_STATE_CONNECTING,
  VMD_SPICE_STATE_CONNECTED,
  VMD_SPICE_STATE_FAILED,
} VmdSpiceState;

/* The shared folder, as the guest sees it. */
typedef enum
{
  VMD_SPICE_FOLDER_UNAVAILABLE, /* no screen, or the machine has no channel for it */
  VMD_SPICE_FOLDER_OFF,         /* the person shares none with this machine */
  VMD_SPICE_FOLDER_WAITING,     /* offered; the guest runs no spice-webdavd */
  VMD_SPICE_FOLDER_SHARED,      /* the guest's spice-webdavd reaches it */
} VmdSpiceFolder;

#define VMD_TYPE_SPICE_STATE   (vmd_spice_state_get_type ())
#define VMD_TYPE_SPICE_FOLDER  (vmd_spice_folder_get_type ())
#define VMD_TYPE_SPICE_SESSION (vmd_spice_session_get_type ())

GType vmd_spice_state_get_type (void) G_GNUC_CONST;
GType vmd_spice_folder_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (VmdSpiceSession, vmd_spice_session, VMD, SPICE_SESSION, GObject)

VmdSpiceSession    *vmd_spice_session_dup_for_machine (VmdMachine     *machine);
VmdMachine         *vmd_spice_session_get_machine    (VmdSpiceSession *self);
VmdSpiceState       vmd_spice_session_get_state      (VmdSpiceSession *self);
const char         *vmd_spice_session_get_error      (VmdSpiceSession *self);
void                vmd_spice_session_connect        (VmdSpiceSession *self);
void                vmd_spice_session_disconnect     (VmdSpiceSession *self);
gboolean            vmd_spice_session_get_agent      (VmdSpiceSession *self);
VmdSpiceAudio      *vmd_spice_session_get_audio      (VmdSpiceSession *self);
VmdSpiceFolder      vmd_spice_session_get_folder     (VmdSpiceSession *self);
VmdSpiceUsb        *vmd_spice_session_get_usb        (VmdSpiceSession *self);
VmdSpiceInput      *vmd_spice_session_get_input      (VmdSpiceSession *self);
VmdSpiceClipboard  *vmd_spice_session_get_clipboard  (VmdSpiceSession *self);
void                vmd_spice_session_set_resolution (VmdSpiceSession *self,
                                                      int              width,
                                                      int              height);
void                vmd_spice_session_copy_files_async  (VmdSpiceSession      *self,
                                                         GFile               **files,
                                                         GCancellable         *cancellable,
                                                         GFileProgressCallback progress,
                                                         gpointer              progress_data,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean            vmd_spice_session_copy_files_finish (VmdSpiceSession      *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void vmd_spice_session_set_linger (int ms);

G_END_DECLS
