/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vmd-types.h"

G_BEGIN_DECLS

gboolean vmd_quit_ask (GApplication  *app,
                       GtkWindow     *parent,
                       VmdConnection *connection);

G_END_DECLS
