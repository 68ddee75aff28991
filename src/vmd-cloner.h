/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vmd-types.h"

G_BEGIN_DECLS

#define VMD_TYPE_CLONER (vmd_cloner_get_type ())

G_DECLARE_FINAL_TYPE (VmdCloner, vmd_cloner, VMD, CLONER, GObject)

VmdCloner  *vmd_cloner_new          (VmdConnection       *connection,
                                     VmdMachine          *source,
                                     const char          *name);
VmdCloner  *vmd_cloner_new_for_image (VmdConnection      *connection,
                                      const char         *path,
                                      const char         *name);
void        vmd_cloner_set_name     (VmdCloner           *self,
                                     const char          *name);
const char *vmd_cloner_get_name     (VmdCloner           *self);
void        vmd_cloner_set_memory   (VmdCloner           *self,
                                     guint64              memory);
guint64     vmd_cloner_get_memory   (VmdCloner           *self);
void        vmd_cloner_set_vcpus    (VmdCloner           *self,
                                     guint                vcpus);
guint       vmd_cloner_get_vcpus    (VmdCloner           *self);
void        vmd_cloner_set_os       (VmdCloner           *self,
                                     const char          *os_id);
void        vmd_cloner_inspect_async  (VmdCloner           *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean    vmd_cloner_inspect_finish (VmdCloner           *self,
                                       GAsyncResult        *result,
                                       GError             **error);
const char *vmd_cloner_get_format   (VmdCloner           *self);
guint64     vmd_cloner_get_capacity (VmdCloner           *self);
const char *vmd_cloner_get_step     (VmdCloner           *self);
double      vmd_cloner_get_fraction (VmdCloner           *self);
void        vmd_cloner_run_async    (VmdCloner           *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
VmdMachine *vmd_cloner_run_finish   (VmdCloner           *self,
                                     GAsyncResult        *result,
                                     GError             **error);

G_END_DECLS
