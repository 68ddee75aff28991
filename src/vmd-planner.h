/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vmd-budget.h"
#include "vmd-express.h"
#include "vmd-guest-spec.h"
#include "vmd-host.h"
#include "vmd-media.h"
#include "vmd-types.h"

G_BEGIN_DECLS

#define VMD_TYPE_PLANNER (vmd_planner_get_type ())

G_DECLARE_FINAL_TYPE (VmdPlanner, vmd_planner, VMD, PLANNER, GObject)

VmdPlanner   *vmd_planner_new              (VmdConnection        *connection,
                                            const char           *path);
VmdPlanner   *vmd_planner_new_there        (VmdConnection        *connection,
                                            const char           *path);
void          vmd_planner_load_async       (VmdPlanner           *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean      vmd_planner_load_finish      (VmdPlanner           *self,
                                            GAsyncResult         *result,
                                            GError              **error);
VmdConnection *vmd_planner_get_connection  (VmdPlanner           *self);
VmdMedia     *vmd_planner_get_media        (VmdPlanner           *self);
VmdHost      *vmd_planner_get_host         (VmdPlanner           *self);
VmdGuestSpec *vmd_planner_get_spec         (VmdPlanner           *self);
void          vmd_planner_set_spec         (VmdPlanner           *self,
                                            VmdGuestSpec         *spec);
void          vmd_planner_select_os        (VmdPlanner           *self,
                                            guint                 position);
VmdExpress   *vmd_planner_get_express      (VmdPlanner           *self,
                                            const GError        **out_why_not);
VmdBudget    *vmd_planner_dup_budget       (VmdPlanner           *self);
char         *vmd_planner_dup_disk_warning (VmdPlanner           *self);
char         *vmd_planner_dup_warnings     (VmdPlanner           *self);
void          vmd_planner_recheck_async    (VmdPlanner           *self,
                                            VmdBudgetVerdict      seen,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean      vmd_planner_recheck_finish   (VmdPlanner           *self,
                                            GAsyncResult         *result,
                                            gboolean             *out_worse,
                                            GError              **error);

G_END_DECLS
