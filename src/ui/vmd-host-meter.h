/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "vmd-types.h"

G_BEGIN_DECLS

typedef struct _VmdHost VmdHost;

#define VMD_TYPE_HOST_METER (vmd_host_meter_get_type ())

G_DECLARE_FINAL_TYPE (VmdHostMeter, vmd_host_meter, VMD, HOST_METER, GtkWidget)

GtkWidget  *vmd_host_meter_new            (void);
void        vmd_host_meter_set_connection (VmdHostMeter  *self,
                                           VmdConnection *connection);
const char *vmd_host_meter_get_text       (VmdHostMeter  *self);

G_END_DECLS
