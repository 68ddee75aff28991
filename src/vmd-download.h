/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VMD_TYPE_DOWNLOAD (vmd_download_get_type ())

G_DECLARE_FINAL_TYPE (VmdDownload, vmd_download, VMD, DOWNLOAD, GObject)

VmdDownload *vmd_download_new               (const char          *url,
                                             GFile               *directory);
const char  *vmd_download_get_url           (VmdDownload         *self);
GFile       *vmd_download_get_file          (VmdDownload         *self);
guint64      vmd_download_get_received      (VmdDownload         *self);
guint64      vmd_download_get_total         (VmdDownload         *self);
guint64      vmd_download_get_resumed_from  (VmdDownload         *self);
char        *vmd_download_dup_progress_text (VmdDownload         *self);
void         vmd_download_run_async         (VmdDownload         *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GFile       *vmd_download_run_finish        (VmdDownload         *self,
                                             GAsyncResult        *result,
                                             GError             **error);

void         vmd_download_discard           (VmdDownload         *self);
gboolean     vmd_download_get_running       (VmdDownload         *self);
GFile       *vmd_download_default_directory (void);

G_END_DECLS
