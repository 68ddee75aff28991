/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vmd-types.h"

G_BEGIN_DECLS

typedef struct _VmdDisplayPage VmdDisplayPage;

#define VMD_TYPE_DISPLAY_WINDOW (vmd_display_window_get_type ())

G_DECLARE_FINAL_TYPE (VmdDisplayWindow, vmd_display_window, VMD, DISPLAY_WINDOW, AdwApplicationWindow)

VmdDisplayWindow *vmd_display_window_new         (GtkApplication   *application,
                                                  VmdConnection    *connection,
                                                  VmdMachine       *machine);
VmdDisplayWindow *vmd_display_window_find        (GtkApplication   *application,
                                                  VmdMachine       *machine);
VmdMachine       *vmd_display_window_get_machine (VmdDisplayWindow *self);
VmdDisplayPage   *vmd_display_window_get_page    (VmdDisplayWindow *self);

G_END_DECLS
