/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean vmd_test_gui_init_as_user (void);
void     vmd_test_drop_file        (GtkWidget  *widget,
                                    const char *path);

G_END_DECLS
