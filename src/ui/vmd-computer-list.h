/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "vmd-computers.h"
#include "vmd-types.h"

G_BEGIN_DECLS

#define VMD_TYPE_COMPUTER_LIST (vmd_computer_list_get_type ())

G_DECLARE_FINAL_TYPE (VmdComputerList, vmd_computer_list, VMD, COMPUTER_LIST, GtkWidget)

void           vmd_computer_list_set_computers (VmdComputerList *self,
                                                VmdComputers    *computers);
VmdConnection *vmd_computer_list_get_selected  (VmdComputerList *self);
void           vmd_computer_list_select        (VmdComputerList *self,
                                                VmdConnection   *connection);
char          *vmd_computer_dup_state_text     (VmdConnection   *connection);

G_END_DECLS
