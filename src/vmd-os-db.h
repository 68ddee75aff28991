/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <osinfo/osinfo.h>

#include "vmd-types.h"

G_BEGIN_DECLS

#define VMD_TYPE_OS_DB (vmd_os_db_get_type ())

G_DECLARE_FINAL_TYPE (VmdOsDb, vmd_os_db, VMD, OS_DB, GObject)

VmdOsDb  *vmd_os_db_get_default   (void);
void      vmd_os_db_load_async    (VmdOsDb             *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean  vmd_os_db_load_finish   (VmdOsDb             *self,
                                   GAsyncResult        *result,
                                   GError             **error);
gboolean  vmd_os_db_is_loaded     (VmdOsDb             *self);
OsinfoDb *vmd_os_db_get_db        (VmdOsDb             *self);
char     *vmd_os_db_dup_os_name   (VmdOsDb             *self,
                                   const char          *os_id);
GPtrArray *vmd_os_db_list_by_name (VmdOsDb             *self);
GPtrArray *vmd_os_db_list_downloads (VmdOsDb           *self,
                                     const GDate       *today);
OsinfoMedia *vmd_os_db_find_download (VmdOsDb         *self,
                                      const char      *id,
                                      GError         **error);
GHashTable *vmd_os_db_read_names  (const char * const  *ids);
void      vmd_os_db_add_names     (VmdOsDb             *self,
                                   GHashTable          *names);

G_END_DECLS
