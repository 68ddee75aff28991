/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vmd-computers.h"
#include "vmd-types.h"

G_BEGIN_DECLS

#define VMD_TYPE_APPLICATION (vmd_application_get_type ())

G_DECLARE_FINAL_TYPE (VmdApplication, vmd_application, VMD, APPLICATION, AdwApplication)

VmdApplication *vmd_application_new            (void);
VmdConnection  *vmd_application_get_connection (VmdApplication *self);
VmdComputers   *vmd_application_get_computers  (VmdApplication *self);

void            vmd_ui_init                    (void);
void            vmd_ui_set_status_description  (AdwStatusPage   *page,
                                                const char      *text);
void            vmd_ui_show_error_toast        (AdwToastOverlay *overlay,
                                                const char      *message);
void            vmd_ui_show_toast              (AdwToastOverlay *overlay,
                                                const char      *message);
void            vmd_ui_choose_renderer         (void);
const char     *vmd_ui_renderer_for_dri        (const char     *dri_dir);

G_END_DECLS
