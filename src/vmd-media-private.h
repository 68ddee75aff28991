/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <osinfo/osinfo.h>

G_BEGIN_DECLS

void      _vmd_media_read_async  (const char          *path,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
gboolean  _vmd_media_read_finish (GAsyncResult        *result,
                                  guint64             *size,
                                  OsinfoMedia        **media,
                                  GError             **error);

G_END_DECLS
