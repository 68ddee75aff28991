/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vmd-types.h"

G_BEGIN_DECLS

typedef struct _VmdHost VmdHost;

#define VMD_TYPE_PROPERTIES_DIALOG (vmd_properties_dialog_get_type ())

G_DECLARE_FINAL_TYPE (VmdPropertiesDialog, vmd_properties_dialog, VMD, PROPERTIES_DIALOG, AdwWindow)

VmdPropertiesDialog *vmd_properties_dialog_new         (GtkWindow           *parent,
                                                        VmdConnection       *connection,
                                                        VmdMachine          *machine,
                                                        VmdHost             *host);
void                 vmd_properties_dialog_set_values  (VmdPropertiesDialog *self,
                                                        guint64              memory,
                                                        guint                vcpus);
const char          *vmd_properties_dialog_get_verdict (VmdPropertiesDialog *self);
void                 vmd_properties_dialog_save        (VmdPropertiesDialog *self);

G_END_DECLS
