/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "vmd-machine.h"
#include "vmd-types.h"

G_BEGIN_DECLS

typedef struct _VmdHost VmdHost;

#define VMD_TYPE_MACHINE_CONTROLS (vmd_machine_controls_get_type ())

G_DECLARE_FINAL_TYPE (VmdMachineControls, vmd_machine_controls, VMD, MACHINE_CONTROLS, GObject)

VmdMachineControls *vmd_machine_controls_new         (GtkApplicationWindow *window,
                                                      VmdConnection        *connection);
VmdMachine         *vmd_machine_controls_get_machine (VmdMachineControls   *self);
void                vmd_machine_controls_set_machine (VmdMachineControls   *self,
                                                      VmdMachine           *machine);
void                vmd_machine_controls_set_host    (VmdMachineControls   *self,
                                                      VmdHost              *host);
void                vmd_machine_controls_start       (VmdMachineControls   *self,
                                                      VmdMachine           *machine);
void                vmd_machine_controls_run         (VmdMachineControls   *self,
                                                      VmdMachine           *machine,
                                                      VmdMachineAction      action);
void                vmd_machine_controls_delete      (VmdMachineControls   *self,
                                                      VmdMachine           *machine,
                                                      const char * const   *also);

G_END_DECLS
