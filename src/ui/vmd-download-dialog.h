/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <osinfo/osinfo.h>

G_BEGIN_DECLS

#define VMD_TYPE_DOWNLOAD_DIALOG (vmd_download_dialog_get_type ())

G_DECLARE_FINAL_TYPE (VmdDownloadDialog, vmd_download_dialog, VMD, DOWNLOAD_DIALOG, AdwWindow)

VmdDownloadDialog *vmd_download_dialog_new (GtkWindow *parent);

G_END_DECLS
