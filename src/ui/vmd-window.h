/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vmd-computers.h"
#include "vmd-types.h"

G_BEGIN_DECLS

typedef struct _VmdApplication VmdApplication;

#define VMD_TYPE_WINDOW (vmd_window_get_type ())

G_DECLARE_FINAL_TYPE (VmdWindow, vmd_window, VMD, WINDOW, AdwApplicationWindow)

VmdWindow     *vmd_window_new            (VmdApplication *application,
                                          VmdConnection  *connection);
VmdConnection *vmd_window_get_connection (VmdWindow      *self);
void           vmd_window_set_computers  (VmdWindow      *self,
                                          VmdComputers   *computers);
VmdComputers  *vmd_window_get_computers  (VmdWindow      *self);
VmdConnection *vmd_window_get_home_connection (VmdWindow *self);
void           vmd_window_open_file      (VmdWindow      *self,
                                          GFile          *file);
void           vmd_window_show_error     (VmdWindow      *self,
                                          const char     *message);
void           vmd_window_show_machine   (VmdWindow      *self,
                                          VmdMachine     *machine);
void           vmd_window_show_machine_by_name (VmdWindow *self,
                                          const char     *name);

G_END_DECLS
