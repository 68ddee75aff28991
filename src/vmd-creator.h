/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vmd-express.h"
#include "vmd-guest-spec.h"
#include "vmd-types.h"

G_BEGIN_DECLS

typedef struct _VmdCreator VmdCreator;

#define VMD_TYPE_CREATOR (vmd_creator_get_type ())

G_DECLARE_FINAL_TYPE (VmdCreator, vmd_creator, VMD, CREATOR, GObject)

VmdCreator *vmd_creator_new            (VmdConnection       *connection,
                                        VmdGuestSpec        *spec);
const char *vmd_creator_get_step       (VmdCreator          *self);
double      vmd_creator_get_fraction   (VmdCreator          *self);
const char *vmd_creator_get_notice     (VmdCreator          *self);
const char *vmd_creator_get_warning    (VmdCreator          *self);
void        vmd_creator_set_express    (VmdCreator          *self,
                                        VmdExpress          *express,
                                        const char          *password);
void        vmd_creator_set_start      (VmdCreator          *self,
                                        gboolean             start);
void        vmd_creator_run_async      (VmdCreator          *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
VmdMachine *vmd_creator_run_finish     (VmdCreator          *self,
                                        GAsyncResult        *result,
                                        GError             **error);


G_END_DECLS
