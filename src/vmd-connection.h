/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vmd-types.h"

G_BEGIN_DECLS

typedef enum
{
  VMD_CONNECTION_STATE_DISCONNECTED,
  VMD_CONNECTION_STATE_CONNECTING,
  VMD_CONNECTION_STATE_CONNECTED,
  VMD_CONNECTION_STATE_LOST,      /* the daemon went away or cannot be reached: retrying */
} VmdConnectionState;

#define VMD_TYPE_CONNECTION_STATE (vmd_connection_state_get_type ())
#define VMD_TYPE_CONNECTION       (vmd_connection_get_type ())

GType vmd_connection_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (VmdConnection, vmd_connection, VMD, CONNECTION, GObject)

VmdConnection      *vmd_connection_new               (const char          *uri);
const char         *vmd_connection_get_uri           (VmdConnection       *self);
VmdConnectionState  vmd_connection_get_state         (VmdConnection       *self);
const GError       *vmd_connection_get_error         (VmdConnection       *self);
GListModel         *vmd_connection_get_machines      (VmdConnection       *self);
VmdMachine         *vmd_connection_find_machine      (VmdConnection       *self,
                                                      const char          *uuid);
VmdMachine         *vmd_connection_find_machine_by_name (VmdConnection    *self,
                                                      const char          *name);
gboolean            vmd_connection_check_new_name    (VmdConnection       *self,
                                                      const char          *typed,
                                                      VmdMachine          *keeper,
                                                      char               **out_name,
                                                      GError             **error);
void                vmd_connection_open_async        (VmdConnection       *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean            vmd_connection_open_finish       (VmdConnection       *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
void                vmd_connection_reconnect         (VmdConnection       *self);
gboolean            vmd_connection_get_reading_systems (VmdConnection     *self);
guint64             vmd_connection_get_committed_memory (VmdConnection    *self);
guint64             vmd_connection_get_reserve       (VmdConnection       *self);
VmdHost            *vmd_connection_get_host          (VmdConnection       *self);
struct _VmdBudget  *vmd_connection_compute_budget    (VmdConnection       *self,
                                                      VmdHost             *host,
                                                      guint64              committed,
                                                      guint64              request);
void                vmd_connection_define_async      (VmdConnection       *self,
                                                      const char          *xml,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
VmdMachine         *vmd_connection_define_finish     (VmdConnection       *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* An installer image in the computer's storage (a volume of one of its
 * pools), to make a machine from there. */
typedef struct
{
  char    *path;   /* on that computer */
  char    *name;   /* the volume's */
  char    *pool;
  guint64  size;
} VmdStoredImage;

void                vmd_stored_image_free            (VmdStoredImage      *image);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdStoredImage, vmd_stored_image_free)

void                vmd_connection_list_images_async (VmdConnection       *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray          *vmd_connection_list_images_finish (VmdConnection      *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
