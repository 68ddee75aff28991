/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "vmd-download.h"

G_BEGIN_DECLS

#define VMD_TYPE_DOWNLOAD_TILE (vmd_download_tile_get_type ())

G_DECLARE_FINAL_TYPE (VmdDownloadTile, vmd_download_tile, VMD, DOWNLOAD_TILE, GtkBox)

VmdDownloadTile *vmd_download_tile_new          (const char      *title,
                                                 VmdDownload     *download);
VmdDownload     *vmd_download_tile_get_download (VmdDownloadTile *self);
void             vmd_download_tile_start        (VmdDownloadTile *self);

G_END_DECLS
