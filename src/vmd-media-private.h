/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <osinfo/osinfo.h>

#include "vmd-iso.h"
#include "vmd-types.h"

G_BEGIN_DECLS

void      _vmd_media_read_async  (const char          *path,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
gboolean  _vmd_media_read_finish (GAsyncResult        *result,
                                  guint64             *size,
                                  OsinfoMedia        **media,
                                  GError             **error);

void      _vmd_media_set_check_error (GError            **error,
                                      VmdIsoVerdict       verdict,
                                      const VmdIsoFacts  *facts,
                                      const char         *name,
                                      guint64             size,
                                      const char         *reason);
OsinfoMedia *_vmd_media_read_labels  (const char         *path,
                                      GCancellable       *cancellable,
                                      GError            **error);

/* vmd-media-there.c: an image on the computer of @connection */
void      _vmd_media_read_there_async  (VmdConnection       *connection,
                                        const char          *path,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  _vmd_media_read_there_finish (GAsyncResult        *result,
                                        guint64             *size,
                                        OsinfoMedia        **media,
                                        GError             **error);

G_END_DECLS
