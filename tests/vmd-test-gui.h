/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vmd-application.h"

G_BEGIN_DECLS

gboolean vmd_test_gui_init_as_user (void);
void     vmd_test_drop_file        (GtkWidget  *widget,
                                    const char *path);

GtkWidget      *vmd_test_find_widget        (GtkWidget      *root,
                                            GType           type);
VmdApplication *vmd_test_application_new    (void);
GtkWidget      *vmd_test_show_in_app_window (VmdApplication *app,
                                            const char     *title,
                                            int             width,
                                            int             height,
                                            const char     *name,
                                            GtkWidget     **page);
GtkWidget        *vmd_test_find_button       (GtkWidget      *root,
                                             const char     *label);
AdwMessageDialog *vmd_test_find_dialog       (GtkWindow      *parent);
void              vmd_test_make_memory_tight (VmdConnection  *connection);

G_END_DECLS
